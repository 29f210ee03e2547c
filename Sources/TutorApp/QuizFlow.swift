import TutorCore
import TutorUI

import struct Foundation.Date

/// How a quiz on screen begins and ends: its lessons read, its live probes run on the
/// worker, its session dealt; resumed where it was left; ended by the last answer or
/// an exam's clock, when its attempt is recorded.
enum QuizFlow {
    /// Questions in a quiz over the whole course, opened from the menu.
    static let courseQuizCount = 10

    /// `t` in the reader: the lesson's quiz, resumed if it was left unfinished.
    static func openLessonQuiz(_ entryIndex: Int, _ state: inout AppState) -> [Effect] {
        if let quiz = state.quiz, quiz.entryIndex == entryIndex, !quiz.finished {
            state.screen = .quiz
            return []
        }
        let plan = QuizPlan(mode: .practice, seed: seed(state.now), seedGiven: false, shuffles: false)
        return start(QuizRequest(folders: [state.entries[entryIndex].folder], plan: plan), entryIndex: entryIndex, &state)
    }

    /// `Q` on the menu: ten questions over every lesson, resumed if left unfinished.
    static func openCourseQuiz(_ state: inout AppState) -> [Effect] {
        if let quiz = state.quiz, quiz.entryIndex == nil, !quiz.finished {
            state.screen = .quiz
            return []
        }
        let plan = QuizPlan(mode: .practice, seed: seed(state.now), seedGiven: false, count: courseQuizCount)
        return start(QuizRequest(folders: state.entries.map(\.folder), plan: plan), entryIndex: nil, &state)
    }

    /// Opens the quiz screen on a new quiz; its lessons are read first where needed.
    static func start(_ request: QuizRequest, entryIndex: Int?, quitsOnLeave: Bool = false, _ state: inout AppState) -> [Effect] {
        var quiz = QuizState(request: request, entryIndex: entryIndex)
        quiz.quitsOnLeave = quitsOnLeave
        state.quiz = quiz
        state.screen = .quiz
        let missing = unread(request, state)
        guard missing.isEmpty else { return missing.map { .loadLesson(folder: $0) } }
        return lessonsRead(&state)
    }

    /// A time-derived seed for quizzes the learner did not seed: different each time, yet the reducer stays pure.
    private static func seed(_ now: Date) -> UInt64 {
        UInt64(max(0, now.timeIntervalSince1970 * 1000))
    }

    /// Folders of the request that list as lessons but are not read yet.
    private static func unread(_ request: QuizRequest, _ state: AppState) -> [String] {
        request.folders.filter { folder in
            state.lessons[folder] == nil && state.entries.contains { $0.folder == folder && $0.info != nil }
        }
    }

    /// Called for every lesson read while a quiz waits for its lessons: once all
    /// are, the questions are picked and any live probes started.
    static func lessonsRead(_ state: inout AppState) -> [Effect] {
        guard let quiz = state.quiz, quiz.phase == .loading, unread(quiz.request, state).isEmpty else { return [] }
        let candidates = QuizDeck.candidates(quizzes(quiz.request, state), plan: quiz.request.plan, progress: state.progress)
        let probes = QuizDeck.probesNeeded(candidates, count: quiz.request.plan.count)
        guard probes.isEmpty else {
            state.quiz?.phase = .probing(probes)
            return [.resolveLiveProbes(probes)]
        }
        return deal(candidates, outcomes: [:], &state)
    }

    /// The live probes' answers: the quiz can begin.
    static func probesResolved(_ outcomes: [LiveProbe: LiveOutcome], _ state: inout AppState) -> [Effect] {
        guard let quiz = state.quiz, case .probing = quiz.phase else { return [] }
        let candidates = QuizDeck.candidates(quizzes(quiz.request, state), plan: quiz.request.plan, progress: state.progress)
        return deal(candidates, outcomes: outcomes, &state)
    }

    private static func quizzes(_ request: QuizRequest, _ state: AppState) -> [LessonQuiz] {
        request.folders.compactMap { folder in
            guard let lesson = state.lessons[folder], let quiz = lesson.quiz else { return nil }
            return LessonQuiz(lesson: lesson.id, questions: quiz.questions)
        }
    }

    private static func deal(_ candidates: [DeckEntry], outcomes: [LiveProbe: LiveOutcome], _ state: inout AppState) -> [Effect] {
        guard var quiz = state.quiz else { return [] }
        let lessons = quizzes(quiz.request, state)
        let session = QuizDeck.deal(candidates, from: lessons, plan: quiz.request.plan, outcomes: outcomes, at: state.now)
        quiz.session = session
        quiz.phase = .asking
        quiz.resetInput(for: session.current)
        state.quiz = quiz
        if let first = session.skipped.first {
            let more = session.skipped.count > 1 ? " (+\(session.skipped.count - 1))" : ""
            let line = QuizText.skipped(first)
            state.notice = Localized(ko: line.ko + more, en: line.en + more)
        } else if session.total == 0 {
            state.notice = QuizText.nothingToAsk(quiz.request.plan.mode)
        }
        return []
    }

    /// Time passed: an exam whose time ran out ends, and its attempt is recorded.
    static func tick(_ state: inout AppState) -> [Effect] {
        guard var session = state.quiz?.session, !session.isFinished, session.endIfOutOfTime(at: state.now) else { return [] }
        state.quiz?.session = session
        state.quiz?.verdict = nil
        state.notice = QuizText.outOfTime
        return state.record(.quizAttempt(session.attempt))
    }

    /// Gives the current item's answer; shows its verdict in practice and review, and
    /// records the attempt when it was the last.
    static func submit(_ response: QuizResponse, _ state: inout AppState) -> [Effect] {
        guard var quiz = state.quiz, var session = quiz.session else { return [] }
        let index = session.position
        let answered = session.answer(response, at: state.now)
        quiz.session = session
        if answered != nil && session.showsFeedback {
            quiz.verdict = index
        } else {
            quiz.resetInput(for: session.current)
        }
        if answered == nil { state.notice = QuizText.outOfTime }
        state.quiz = quiz
        return session.isFinished ? state.record(.quizAttempt(session.attempt)) : []
    }

    /// Leaves the verdict for the next item (or the end screen).
    static func next(_ state: inout AppState) {
        guard var quiz = state.quiz else { return }
        quiz.verdict = nil
        quiz.resetInput(for: quiz.session?.current)
        state.quiz = quiz
    }

    /// Leaves the quiz screen, keeping the quiz so it can be resumed.
    static func leave(_ state: inout AppState) -> [Effect] {
        if state.quiz?.quitsOnLeave == true { return [.quit] }
        state.screen = state.quiz?.entryIndex != nil && state.reader != nil ? .reader : .menu
        return []
    }
}
