import Foundation
import Testing
import TutorApp
import TutorCore
import TutorUI

@testable import TutorSession

/// The reader's `L` key: the session gives the terminal back, runs the lab, takes
/// the terminal back and shows the progress the lab saved.
@Suite struct LabSessionTests {
    /// A terminal that writes down when it is given back and taken again.
    final class RecordingTerminal: Terminal {
        let size = Size(columns: 80, rows: 24)
        var keys: [Key]
        var log: [String] = []
        let fakeWaker = FakeWaker()

        init(keys: [Key]) { self.keys = keys }
        var waker: any TerminalWaker { fakeWaker }
        func draw(_ buffer: ScreenBuffer) { log.append("draw") }
        func suspend() { log.append("suspend") }
        func resume() { log.append("resume") }
        func close() { log.append("close") }
        func nextEvent(timeoutMilliseconds: Int32) -> TerminalEvent {
            keys.isEmpty ? .signal(SIGINT) : .key(keys.removeFirst())
        }
    }

    @Test func theLabRunsWhileTheTerminalIsGivenBackAndItsProgressIsShown() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-labsession-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = FakeClock()
        let terminal = RecordingTerminal(keys: [.enter, .character("L"), .character("q"), .character("q")])
        var opened: [(String, Language)] = []
        let session = Session(
            terminal: terminal, state: SessionFixture.state(clock), engine: GatedEngine(report: SessionFixture.report),
            lessons: SessionFixture.lessons, progressStore: ProgressStore(directory: directory), clock: { clock.now },
            openLab: { folder, language in
                opened.append((folder, language))
                terminal.log.append("lab")
                var saved = Progress()
                saved.apply(.labStepDone(lab: "sample-lab", lesson: "sample", step: "one"), at: clock.now)
                return saved
            })
        _ = session.run()
        let folder = SessionFixture.lessons.index()[0].folder
        #expect(opened.map(\.0) == [folder] && opened.map(\.1) == [.en])
        let around = terminal.log.firstIndex(of: "lab").map { Array(terminal.log[($0 - 1)...($0 + 2)]) }
        #expect(around == ["suspend", "lab", "resume", "draw"], "\(terminal.log)")
        #expect(session.currentState.progress.labs["sample-lab"]?.stepsDone == ["one"])
    }

    @Test func lInTheReaderAsksForTheLessonsLab() {
        var state = SessionFixture.state(FakeClock())
        _ = Reducer.reduce(&state, .key(.enter), at: Date())
        _ = Reducer.reduce(&state, .lessonLoaded(SessionFixture.lessons.load(folder: state.entries[0].folder)), at: Date())
        let effects = Reducer.reduce(&state, .key(.character("L")), at: Date())
        #expect(effects == [.openLab(folder: state.entries[0].folder, language: .en)])
    }
}
