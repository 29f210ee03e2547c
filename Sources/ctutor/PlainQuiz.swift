import Foundation
import TutorCore

/// `ctutor quiz --plain`: questions printed with numbered options, one answer read
/// per line from stdin, an invalid answer explained and asked again, and the last
/// line `score: RIGHT/TOTAL`. End of input ends the quiz; an exam's clock too.
struct PlainQuiz {
    let context: AppContext
    let plan: QuizPlan
    let live: any LiveAnswerSource

    private var language: Language { context.language }

    /// Runs the quiz over the lessons in `folders`; returns the exit status.
    func run(folders: [String]) -> Int32 {
        let quizzes = loadQuizzes(folders)
        let loaded = context.loadProgress()
        let candidates = QuizDeck.candidates(quizzes, plan: plan, progress: loaded.progress)
        var outcomes: [LiveProbe: LiveOutcome] = [:]
        for probe in QuizDeck.probesNeeded(candidates, count: plan.count) {
            printError("ctutor: " + QuizText.runningProbe(probe)[language])
            outcomes[probe] = live.resolve(probe)
        }
        var session = QuizDeck.deal(candidates, from: quizzes, plan: plan, outcomes: outcomes, at: Date())
        for skipped in session.skipped { say(QuizText.skipped(skipped)) }
        guard session.total > 0 else {
            say(QuizText.nothingToAsk(plan.mode))
            print("score: 0/0")
            return 0
        }
        say(QuizText.header(session))
        ask(&session)
        summarize(session)
        record(session.attempt, loaded)
        print("score: \(session.score)/\(session.total)")
        return 0
    }

    /// Every question in turn until the last is answered, the input ends or the time runs out.
    private func ask(_ session: inout QuizSession) {
        var input = StdinLines()
        asking: while let item = session.current {
            print("")
            if let left = session.secondsLeft(at: Date()) { say(QuizText.timeLeft(left)) }
            let lines = PlainQuestionText.lines(item, number: session.position + 1, total: session.total, language: language, hint: true)
            for line in lines { print(line) }
            while true {
                fflush(nil)
                switch input.next(before: session.deadline) {
                case .timedOut:
                    session.end(at: Date())
                    say(QuizText.outOfTime)
                    break asking
                case .endOfInput:
                    session.end(at: Date())
                    say(QuizText.inputEnded)
                    break asking
                case .line(let line):
                    switch QuizInput.parse(line, for: item) {
                    case .failure(let invalid):
                        say(invalid.message)
                    case .success(let response):
                        guard let correct = session.answer(response, at: Date()) else {
                            say(QuizText.outOfTime)
                            break asking
                        }
                        if session.showsFeedback { feedback(item, correct: correct) }
                        continue asking
                    }
                }
            }
        }
    }

    private func feedback(_ item: QuizItem, correct: Bool) {
        say(correct ? UIText.quizCorrect.localized : UIText.quizWrong.localized)
        if !correct { say(QuizText.rightAnswer(PlainQuestionText.plain(item.rightAnswer(language)))) }
        print(PlainQuestionText.plain(item.explanation(language)))
    }

    /// After an exam, every question with its verdict and explanation; after practice
    /// and review, the questions missed.
    private func summarize(_ session: QuizSession) {
        print("")
        let shown = session.mode == .exam ? Array(session.items.indices) : session.missed
        if session.mode != .exam && shown.isEmpty {
            say(QuizText.allRight)
            return
        }
        say(session.mode == .exam ? QuizText.resultsHeading : QuizText.missedHeading)
        for index in shown {
            let item = session.items[index]
            let verdict = session.isCorrect(index) ? "✓" : "✗"
            print("\(verdict) \(index + 1). \(PlainQuestionText.plain(item.prompt(language)))")
            let answer = session.responses[index].map { item.written($0) } ?? QuizText.unanswered[language]
            print("   " + QuizText.yourAnswer(answer)[language])
            print("   " + QuizText.rightAnswer(PlainQuestionText.plain(item.rightAnswer(language)))[language])
            print("   " + PlainQuestionText.plain(item.explanation(language)))
        }
        say(QuizText.finalScore(session.score, session.total))
    }

    /// The chosen lessons' quizzes; a lesson that cannot be loaded is named on stderr and left out.
    private func loadQuizzes(_ folders: [String]) -> [LessonQuiz] {
        folders.compactMap { folder in
            let loaded = context.lessonLoader.load(folder: folder)
            guard let lesson = loaded.lesson else {
                printError("ctutor: lesson \(folder) cannot be loaded, so its questions are left out; `ctutor lint` says why")
                return nil
            }
            guard let quiz = lesson.quiz else { return nil }
            return LessonQuiz(lesson: lesson.id, questions: quiz.questions)
        }
    }

    private func record(_ attempt: QuizAttempt, _ loaded: ProgressStore.Loaded) {
        guard loaded.unsaved == nil else { return }
        do {
            _ = try context.progressStore.record([.quizAttempt(attempt)], now: Date())
        } catch let error as ProgressStore.StoreError {
            printError("ctutor: " + error.localized[language])
        } catch {
            printError("ctutor: \(error)")
        }
    }

    private func say(_ text: Localized) {
        print(text[language])
    }
}
