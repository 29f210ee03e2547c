import TutorCore
import TutorUI

/// Keys on the lesson menu.
enum MenuKeys {
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        let count = state.entries.count
        let page = max(1, state.menuListHeight - 1)
        switch key {
        case .character("q"), .escape:
            return [.quit]
        case .up, .character("k"):
            state.menuSelection = max(0, state.menuSelection - 1)
        case .down, .character("j"):
            state.menuSelection = min(max(0, count - 1), state.menuSelection + 1)
        case .pageUp, .character("b"):
            state.menuSelection = max(0, state.menuSelection - page)
        case .pageDown, .character(" "):
            state.menuSelection = min(max(0, count - 1), state.menuSelection + page)
        case .home, .character("g"):
            state.menuSelection = 0
        case .end, .character("G"):
            state.menuSelection = max(0, count - 1)
        case .enter, .right:
            return open(&state)
        case .character("Q"):
            return QuizFlow.openCourseQuiz(&state)
        default:
            break
        }
        keepSelectionVisible(&state)
        return []
    }

    /// Opens the selected lesson: at once when it was read before, else after the
    /// runner has read it (``Action/lessonLoaded(_:)``).
    private static func open(_ state: inout AppState) -> [Effect] {
        guard state.entries.indices.contains(state.menuSelection) else { return [] }
        let entry = state.entries[state.menuSelection]
        guard entry.info != nil else {
            state.notice = UIText.brokenLessonTitle.localized
            return []
        }
        state.reader = ReaderState(entryIndex: state.menuSelection)
        state.screen = .reader
        guard state.lessons[entry.folder] != nil else { return [.loadLesson(folder: entry.folder)] }
        return ReaderKeys.markReadIfAtEnd(&state)
    }

    /// Scrolls the list as little as needed to show the selected lesson.
    static func keepSelectionVisible(_ state: inout AppState) {
        let height = state.menuListHeight
        let maxScroll = max(0, state.entries.count - height)
        if state.menuSelection < state.menuScroll { state.menuScroll = state.menuSelection }
        if state.menuSelection >= state.menuScroll + height { state.menuScroll = state.menuSelection - height + 1 }
        state.menuScroll = min(max(0, state.menuScroll), maxScroll)
    }
}

/// Keys in the lesson reader.
enum ReaderKeys {
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard let reader = state.reader, let lesson = state.openLesson else {
            state.screen = .menu
            return []
        }
        switch key {
        case .escape, .character("q"), .left, .backspace:
            if state.openedFromCommandLine { return [.quit] }
            state.screen = .menu
            return []
        case .character("d"):
            guard let demo = state.demoToRun() else { return [] }
            return DemoKeys.start(demo, &state)
        case .character("t"):
            guard let quiz = lesson.quiz, !quiz.questions.isEmpty else {
                if let problem = state.entries[reader.entryIndex].quizProblems.first {
                    let reason = problem.description
                    state.notice = Localized(
                        ko: UIText.readerQuizBroken.format(.ko, reason), en: UIText.readerQuizBroken.format(.en, reason))
                    return []
                }
                state.notice = UIText.readerNoQuiz.localized
                return []
            }
            return QuizFlow.openLessonQuiz(reader.entryIndex, &state)
        case .character("L"):
            return [.openLab(folder: state.entries[reader.entryIndex].folder, language: state.language)]
        default:
            let total = state.readerLines().count
            guard let offset = Reducer.scrolled(reader.scroll, by: key, page: state.contentHeight, total: total) else { return [] }
            return markReadIfAtEnd(&state, scroll: offset, total: total)
        }
    }

    /// Shows the lesson from `scroll` (where it is, by default); the view having
    /// passed over every line, page by page, marks the lesson read (once). A jump
    /// to the end is not reading it.
    static func markReadIfAtEnd(_ state: inout AppState, scroll: Int? = nil, total: Int? = nil) -> [Effect] {
        guard var reader = state.reader, let lesson = state.openLesson else { return [] }
        let total = total ?? state.readerLines().count
        reader.view(at: scroll ?? reader.scroll, page: state.contentHeight, total: total)
        state.reader = reader
        guard reader.finished(total: total), !state.progress[lesson: lesson.id].finishedReading else { return [] }
        return state.record(.finishedReading(lesson: lesson.id))
    }
}

/// The demo screen: a run in progress, then its report.
enum DemoKeys {
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard let demo = state.demo else {
            state.screen = state.reader == nil ? .menu : .reader
            return []
        }
        switch key {
        case .escape, .character("q"), .left, .backspace, .enter:
            // Leaving a running demo cancels it here; the worker still lets it
            // finish and clean up, and its result is dropped when it comes.
            if demo.isRunning { state.demo?.cancelled = true }
            state.screen = state.reader == nil ? .menu : .reader
            return []
        case .character("r"), .character("d"):
            guard !demo.isRunning else { return [] }
            return start(demo.demoID, &state)
        default:
            let total = state.demoLines().count
            if let offset = Reducer.scrolled(demo.scroll, by: key, page: state.contentHeight, total: total) {
                state.demo?.scroll = offset
            }
            return []
        }
    }

    /// Starts a run, unless the last one is still finishing on the worker: demos
    /// run one at a time, so one that was left never overlaps the next.
    static func start(_ demoID: String, _ state: inout AppState) -> [Effect] {
        if let previous = state.demo, previous.isRunning {
            state.notice = Localized(
                ko: UIText.demoStillCleaning.format(.ko, previous.demoID), en: UIText.demoStillCleaning.format(.en, previous.demoID))
            return []
        }
        state.demoRuns += 1
        state.demo = DemoState(demoID: demoID, run: state.demoRuns, startedAt: state.now)
        state.screen = .demo
        return [.runDemo(demoID, run: state.demoRuns)]
    }

    /// A run's result: shown and counted, unless the learner left that run.
    static func finished(run: Int, _ report: DemoReport, _ state: inout AppState) -> [Effect] {
        guard let demo = state.demo, demo.run == run, demo.isRunning else { return [] }
        guard !demo.cancelled else {
            state.demo = nil
            return []
        }
        state.demo?.report = report
        state.demo?.scroll = 0
        // A demo this machine does not allow was not run: it does not count toward done.
        guard let lesson = state.openLesson, report.mode != .unavailable else { return [] }
        return state.record(.demoRan(demo: demo.demoID, mode: report.mode.rawValue, lessons: [lesson.id]))
    }
}
