import Foundation
import TutorApp
import TutorCore
import TutorSession
import TutorUI

/// A terminal that plays a script of events and keeps every frame drawn on it,
/// like ratatui's TestBackend: the session loop runs in-process, on this thread.
final class FakeTerminal: Terminal {
    enum Step {
        case key(Key)
        case signal(Int32)
        /// Time passed with nothing to report.
        case timeout
        /// Waits (up to 10 s) for a worker's wake-up and reports it.
        case awaitWake
        /// Runs code between events (release an engine, move the clock).
        case run(() -> Void)
        /// Looks at the frame on screen now.
        case look((ScreenBuffer) -> Void)
    }

    let size: Size
    private var script: [Step]
    private(set) var frames: [ScreenBuffer] = []
    private(set) var closed = false
    /// The wait limit the loop asked for at each event.
    private(set) var waitLimits: [Int32] = []
    let fakeWaker = FakeWaker()

    init(size: Size = Size(columns: 80, rows: 24), script: [Step]) {
        self.size = size
        self.script = script
    }

    var waker: any TerminalWaker { fakeWaker }

    func draw(_ buffer: ScreenBuffer) { frames.append(buffer) }

    func close() { closed = true }

    func nextEvent(timeoutMilliseconds: Int32) -> TerminalEvent {
        waitLimits.append(timeoutMilliseconds)
        while !script.isEmpty {
            switch script.removeFirst() {
            case .key(let key): return .key(key)
            case .signal(let number): return .signal(number)
            case .timeout: return .timeout
            case .awaitWake: return fakeWaker.waitForWake(seconds: 10) ? .wake : .timeout
            case .run(let code): code()
            case .look(let check): check(frames.last ?? ScreenBuffer(size: size))
            }
        }
        // A script that ran out ends the session instead of hanging the test.
        return .key(.interrupt)
    }
}

final class FakeWaker: TerminalWaker, @unchecked Sendable {
    // `pending` is guarded by `condition`.
    private let condition = NSCondition()
    private var pending = false

    func wake() {
        condition.lock()
        pending = true
        condition.broadcast()
        condition.unlock()
    }

    func waitForWake(seconds: TimeInterval) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(seconds)
        while !pending {
            if !condition.wait(until: deadline) { return false }
        }
        pending = false
        return true
    }
}

/// An engine whose demo blocks until the test releases it: a stuck child.
final class GatedEngine: DemoEngine, @unchecked Sendable {
    private let gate = DispatchSemaphore(value: 0)
    let report: DemoReport

    init(report: DemoReport) {
        self.report = report
    }

    func run(_ demoID: String) -> DemoReport {
        gate.wait()
        return report
    }

    func release() { gate.signal() }
}

/// A clock the test moves by hand.
final class FakeClock: @unchecked Sendable {
    private(set) var now = Date(timeIntervalSince1970: 1_800_000_000)

    func advance(_ seconds: TimeInterval) { now = now.addingTimeInterval(seconds) }
}

/// A directory under /tmp that removes itself.
final class TempDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

enum SessionFixture {
    static let lessons = LessonLoader(
        directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TutorAppTests/Fixtures/Lessons"),
        knownDemos: ["uts"])

    static let report = DemoReport(
        demo: "uts", title: Localized(ko: "UTS 네임스페이스", en: "UTS namespace"), mode: .real,
        observations: [Observation(id: "hostname", label: Localized(ko: "호스트 이름", en: "Hostname"), host: "lab-01", inside: "ctutor-demo")],
        cleanup: [CleanupItem(Localized("child process 4242"), released: true)])

    static func state(_ clock: FakeClock) -> AppState {
        AppState(
            language: .en, entries: lessons.index(), progress: Progress(),
            demoTitles: ["uts": Localized(ko: "UTS 네임스페이스", en: "UTS namespace")], size: Size(columns: 80, rows: 24), now: clock.now)
    }
}

extension ScreenBuffer {
    var text: String { lines.joined(separator: "\n") }
}
