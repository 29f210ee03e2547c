import Foundation
import Testing
import TutorApp
import TutorCore
import TutorSession
import TutorUI

/// The run loop with a fake terminal and a fake engine: a demo runs on the
/// worker while keys keep working.
@Suite struct SessionTests {
    @Test func aRunningDemoDoesNotBlockKeysAndItsLateResultIsDropped() throws {
        let directory = try TempDirectory()
        let store = ProgressStore(directory: directory.url)
        let clock = FakeClock()
        let engine = GatedEngine(report: SessionFixture.report)
        var running = "", reader = ""
        let terminal = FakeTerminal(script: [
            .key(.enter), .key(.character("d")),
            .run { clock.advance(2.5) }, .timeout,
            .look { running = $0.text },
            // The engine is still stuck: Esc must work anyway.
            .key(.escape), .look { reader = $0.text },
            .run { engine.release() }, .awaitWake,
            .key(.character("q")), .key(.character("q")),
        ])
        let session = Session(
            terminal: terminal, state: SessionFixture.state(clock), engine: engine, lessons: SessionFixture.lessons,
            progressStore: store, clock: { clock.now })
        let end = session.run()

        #expect(running.contains("Running… 2.5 s"), "\(running)")
        #expect(running.contains("Esc back"))
        #expect(reader.contains("Sample lesson") && !reader.contains("Running"), "\(reader)")
        // The late report was dropped: not shown, not counted.
        #expect(session.currentState.demo == nil)
        #expect(session.currentState.progress[lesson: "sample"].demoRuns == 0)
        #expect(try store.load().progress[lesson: "sample"].demoRuns == 0)
        #expect(end == SessionEnd(signal: nil, unfinishedDemo: nil))
        #expect(terminal.closed)
    }

    @Test func aFinishedDemoIsShownAndCounted() throws {
        let directory = try TempDirectory()
        let store = ProgressStore(directory: directory.url)
        let clock = FakeClock()
        let engine = GatedEngine(report: SessionFixture.report)
        engine.release()
        var report = ""
        let terminal = FakeTerminal(script: [
            .key(.enter), .key(.character("d")), .awaitWake, .look { report = $0.text }, .key(.interrupt),
        ])
        let session = Session(
            terminal: terminal, state: SessionFixture.state(clock), engine: engine, lessons: SessionFixture.lessons,
            progressStore: store, clock: { clock.now })
        _ = session.run()
        #expect(report.contains("ctutor-demo"), "\(report)")
        #expect(report.contains("Cleanup: ok"))
        #expect(try store.load().progress[lesson: "sample"].demoRuns == 1)
        #expect(try store.load().progress[lesson: "sample"].updated == clock.now)
    }

    /// The loop sleeps without a limit when nothing runs, and ticks the clock of a
    /// running demo on screen.
    @Test func theLoopOnlyWakesOnItsOwnWhileADemoRuns() throws {
        let directory = try TempDirectory()
        let clock = FakeClock()
        let engine = GatedEngine(report: SessionFixture.report)
        let terminal = FakeTerminal(script: [
            .key(.enter), .key(.character("d")), .key(.escape), .run { engine.release() }, .awaitWake, .key(.interrupt),
        ])
        let session = Session(
            terminal: terminal, state: SessionFixture.state(clock), engine: engine, lessons: SessionFixture.lessons,
            progressStore: ProgressStore(directory: directory.url), clock: { clock.now })
        _ = session.run()
        #expect(terminal.waitLimits == [-1, -1, 100, 250, -1])
    }

    @Test func aDemoThatNeverReturnsIsWaitedForBoundedAtExit() throws {
        let directory = try TempDirectory()
        let clock = FakeClock()
        let engine = GatedEngine(report: SessionFixture.report)
        defer { engine.release() }
        var waitedFor: [String] = []
        let terminal = FakeTerminal(script: [
            .key(.enter), .key(.character("d")), .key(.escape), .key(.character("q")), .key(.character("q")),
        ])
        let session = Session(
            terminal: terminal, state: SessionFixture.state(clock), engine: engine, lessons: SessionFixture.lessons,
            progressStore: ProgressStore(directory: directory.url), exitWait: 0.2, onWaitingAtExit: { waitedFor.append($0) })
        let end = session.run()
        #expect(end == SessionEnd(signal: nil, unfinishedDemo: "uts"))
        #expect(waitedFor == ["uts"])
        #expect(terminal.closed)
    }

    @Test func aSignalDuringADemoRestoresTheTerminalThenWaitsForTheCleanup() throws {
        let directory = try TempDirectory()
        let clock = FakeClock()
        let engine = GatedEngine(report: SessionFixture.report)
        let terminal = FakeTerminal(script: [.key(.enter), .key(.character("d")), .signal(15)])
        let session = Session(
            terminal: terminal, state: SessionFixture.state(clock), engine: engine, lessons: SessionFixture.lessons,
            progressStore: ProgressStore(directory: directory.url), exitWait: 10,
            onWaitingAtExit: { _ in
                // Called once the terminal is restored; the demo then finishes its cleanup.
                #expect(terminal.closed)
                engine.release()
            })
        let end = session.run()
        #expect(end == SessionEnd(signal: 15, unfinishedDemo: nil))
    }
}
