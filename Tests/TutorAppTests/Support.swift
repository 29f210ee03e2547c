import Foundation
import Testing
import TutorApp
import TutorCore
import TutorUI

enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/Lessons")
    static let loader = LessonLoader(directory: directory, knownDemos: ["uts"])
    /// The time every action in these tests happens at, unless a test says otherwise.
    static let time = Date(timeIntervalSince1970: 1_800_000_000)

    static func entries() -> [LessonEntry] {
        loader.index()
    }

    static func state(_ language: Language = .ko, size: Size = Size(columns: 80, rows: 24)) -> AppState {
        AppState(
            language: language, entries: entries(), progress: Progress(),
            demoTitles: ["uts": Localized(ko: "UTS 네임스페이스", en: "UTS namespace")], size: size, now: time)
    }

    /// Applies keys in order, collecting every effect; lessons are read as the
    /// session would, so `.loadLesson` is answered and not returned.
    @discardableResult
    static func press(_ keys: [Key], _ state: inout AppState, at time: Date = time) -> [Effect] {
        keys.flatMap { reduce(.key($0), &state, at: time) }
    }

    @discardableResult
    static func reduce(_ action: Action, _ state: inout AppState, at time: Date = time) -> [Effect] {
        Reducer.reduce(&state, action, at: time).flatMap { effect -> [Effect] in
            guard case .loadLesson(let folder) = effect else { return [effect] }
            return reduce(.lessonLoaded(loader.load(folder: folder)), &state, at: time)
        }
    }

    /// A report value for view tests (the engine's real reports are tested in EngineTests).
    static let report = DemoReport(
        demo: "uts", title: Localized(ko: "UTS 네임스페이스", en: "UTS namespace"), mode: .real,
        steps: [Localized(ko: "clone(CLONE_NEWUTS|CLONE_NEWPID) → 호스트 PID 4242", en: "clone(CLONE_NEWUTS|CLONE_NEWPID) → host PID 4242")],
        observations: [
            Observation(id: "hostname", label: Localized(ko: "호스트 이름", en: "hostname"), host: "lab-01", inside: "ctutor-demo"),
            Observation(id: "pid", label: Localized(ko: "PID", en: "PID"), host: "4242", inside: "1"),
        ],
        cleanup: [CleanupItem(Localized("child process 4242"), released: true)])
}

/// Compares screen text with a snapshot file in `__Snapshots__/`. Set
/// `CTUTOR_RECORD_SNAPSHOTS=1` to write the files after a deliberate change; a
/// missing snapshot fails instead of recording itself.
func assertSnapshot(_ buffer: ScreenBuffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let actual = buffer.lines.joined(separator: "\n") + "\n"
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__/\(name).txt")
    if ProcessInfo.processInfo.environment["CTUTOR_RECORD_SNAPSHOTS"] == "1" {
        try Data(actual.utf8).write(to: file)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("no snapshot \(file.path); run with CTUTOR_RECORD_SNAPSHOTS=1 and review it", sourceLocation: sourceLocation)
        return
    }
    #expect(actual == expected, "screen differs from \(name).txt:\n\(actual)", sourceLocation: sourceLocation)
}
