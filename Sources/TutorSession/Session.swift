import Foundation
import TutorApp
import TutorCore
import TutorUI

/// Runs one demo to its end, cleanup included; called on a worker thread.
public protocol DemoEngine: Sendable {
    func run(_ demoID: String) -> DemoReport
}

/// How a session ended.
public struct SessionEnd: Equatable, Sendable {
    /// The signal that ended it, to re-raise once everything is restored.
    public var signal: Int32?
    /// A demo still running when the wait at exit ran out: it may have left
    /// something behind for `ctutor doctor --cleanup`.
    public var unfinishedDemo: String?

    public init(signal: Int32?, unfinishedDemo: String? = nil) {
        self.signal = signal
        self.unfinishedDemo = unfinishedDemo
    }
}

/// The run loop of the full-screen tutor: terminal events become actions, the
/// reducer updates the state, effects are performed here (demos on the worker),
/// and every frame is rendered into a buffer that the terminal diffs and flushes.
///
/// The loop never waits for a demo: the learner can leave a running one, whose
/// result is then dropped. Before the session ends it waits, bounded, for a demo
/// still running to finish its cleanup, so nothing is left behind.
public final class Session {
    private let terminal: any Terminal
    private var state: AppState
    private let engine: any DemoEngine
    private let lessons: LessonLoader
    private let progressStore: ProgressStore
    /// False when progress lives in memory only this session (the learner was told why).
    private let savesProgress: Bool
    private let clock: () -> Date
    private let exitWait: TimeInterval
    private let onWaitingAtExit: (String) -> Void
    private let worker: EffectWorker
    private let liveAnswers: any LiveAnswerSource
    private let openLab: ((_ folder: String, _ language: Language) -> TutorCore.Progress?)?

    /// - Parameters:
    ///   - exitWait: how long the end of the session waits for a running demo.
    ///   - onWaitingAtExit: told the demo's id when that wait lasts (the terminal
    ///     is already restored, so it may print).
    ///   - openLab: runs a lesson's lab on the terminal the session gives back for
    ///     it, and returns the progress as saved afterwards.
    public init(
        terminal: any Terminal, state: AppState, engine: any DemoEngine, lessons: LessonLoader, progressStore: ProgressStore,
        savesProgress: Bool = true, clock: @escaping () -> Date = Date.init, exitWait: TimeInterval = 10, onWaitingAtExit: @escaping (String) -> Void = { _ in },
        liveAnswers: any LiveAnswerSource = NoLiveAnswers(),
        openLab: ((_ folder: String, _ language: Language) -> TutorCore.Progress?)? = nil
    ) {
        self.openLab = openLab
        self.liveAnswers = liveAnswers
        self.terminal = terminal
        self.state = state
        self.engine = engine
        self.lessons = lessons
        self.progressStore = progressStore
        self.savesProgress = savesProgress
        self.clock = clock
        self.exitWait = exitWait
        self.onWaitingAtExit = onWaitingAtExit
        worker = EffectWorker(waker: terminal.waker)
    }

    /// The state as it is now, for tests.
    public var currentState: AppState { state }

    /// Runs until the learner quits or a signal arrives; opens the lesson in
    /// `folder`, or the quiz `quiz`, first when given. The terminal is closed when this returns.
    public func run(opening folder: String? = nil, quiz: QuizRequest? = nil) -> SessionEnd {
        if let folder, let index = state.entries.firstIndex(where: { $0.folder == folder }) {
            state.menuSelection = index
            guard dispatch(.key(.enter)) else { return end(signal: nil) }
        }
        if let quiz, !dispatch(.startQuiz(quiz)) { return end(signal: nil) }
        while true {
            terminal.draw(AppView.render(state))
            switch terminal.nextEvent(timeoutMilliseconds: waitLimit) {
            case .signal(let number):
                return end(signal: number)
            case .resize(let size):
                dispatch(.resize(size))
            case .key(let key):
                guard dispatch(.key(key)) else { return end(signal: nil) }
            case .wake:
                for action in worker.takeResults() { dispatch(action) }
            case .timeout:
                dispatch(.tick)
            }
        }
    }

    /// No limit when nothing runs; a running demo's clock ticks every 100 ms on
    /// screen; and while the worker is busy out of sight, a resize signal may have
    /// gone to its thread, so curses is asked again four times a second. An exam's
    /// countdown ticks every second.
    private var waitLimit: Int32 {
        if state.screen == .quiz, let session = state.quiz?.session, session.deadline != nil, !session.isFinished {
            return worker.isBusy ? 250 : 1000
        }
        guard worker.isBusy else { return -1 }
        return state.screen == .demo && state.demo?.isRunning == true ? 100 : 250
    }

    /// Reduces an action and performs its effects; false when the app should quit.
    @discardableResult
    private func dispatch(_ action: Action) -> Bool {
        var queue = Reducer.reduce(&state, action, at: clock())[...]
        while let effect = queue.popFirst() {
            switch effect {
            case .quit:
                return false
            case .recordProgress(let events):
                guard savesProgress else { continue }
                do {
                    let merged = try progressStore.record(events, now: clock())
                    queue += Reducer.reduce(&state, .progressRecorded(merged), at: clock())
                } catch let error as ProgressStore.StoreError {
                    queue += Reducer.reduce(&state, .progressSaveFailed(error.localized), at: clock())
                } catch {
                    queue += Reducer.reduce(&state, .progressSaveFailed(Localized("\(error)")), at: clock())
                }
            case .loadLesson(let folder):
                // A lesson is a few kilobytes: read it here, before the next frame.
                queue += Reducer.reduce(&state, .lessonLoaded(lessons.load(folder: folder)), at: clock())
            case .openLab(let folder, let language):
                guard let openLab else { continue }
                terminal.suspend()
                let saved = openLab(folder, language)
                terminal.resume()
                queue += Reducer.reduce(&state, .resize(terminal.size), at: clock())
                if let saved { queue += Reducer.reduce(&state, .progressRecorded(saved), at: clock()) }
            case .runDemo(let id, let run):
                let engine = engine
                worker.start { .demoFinished(run: run, engine.run(id)) }
            case .resolveLiveProbes(let probes):
                let source = liveAnswers
                worker.start { .liveProbesResolved(Dictionary(uniqueKeysWithValues: probes.map { ($0, source.resolve($0)) })) }
            }
        }
        return true
    }

    /// Restores the terminal, then waits (bounded) for a running demo to clean up.
    private func end(signal: Int32?) -> SessionEnd {
        terminal.close()
        guard worker.isBusy else { return SessionEnd(signal: signal) }
        let demo = state.demo?.demoID ?? "?"
        let start = clock()
        if !worker.waitUntilIdle(before: start.addingTimeInterval(min(0.3, exitWait))) {
            onWaitingAtExit(demo)
            if !worker.waitUntilIdle(before: start.addingTimeInterval(exitWait)) {
                return SessionEnd(signal: signal, unfinishedDemo: demo)
            }
        }
        return SessionEnd(signal: signal)
    }
}
