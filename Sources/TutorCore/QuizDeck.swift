import Foundation

/// A lesson's questions, as a deck draws from them.
public struct LessonQuiz: Equatable, Sendable {
    public var lesson: String
    public var questions: [Question]

    public init(lesson: String, questions: [Question]) {
        self.lesson = lesson
        self.questions = questions
    }
}

/// What a quiz asks: its mode, how many questions, in which order, for how long.
public struct QuizPlan: Equatable, Sendable {
    public var mode: QuizAttempt.Mode
    /// Orders the questions and shuffles every question's options.
    public var seed: UInt64
    /// Whether the learner gave the seed: recorded then, so a room can sit the same quiz again.
    public var seedGiven: Bool
    /// At most this many questions; `nil` asks them all.
    public var count: Int?
    /// An exam's time limit in seconds.
    public var timeLimit: TimeInterval?
    /// False keeps the lessons' order of questions and of choices (a lesson's practice
    /// quiz in the reader); order and match questions are shuffled all the same.
    public var shuffles: Bool

    public init(
        mode: QuizAttempt.Mode, seed: UInt64, seedGiven: Bool, count: Int? = nil, timeLimit: TimeInterval? = nil,
        shuffles: Bool = true
    ) {
        self.mode = mode
        self.seed = seed
        self.seedGiven = seedGiven
        self.count = count
        self.timeLimit = timeLimit
        self.shuffles = shuffles
    }
}

/// One question a deck may ask, before live probes have run.
public struct DeckEntry: Equatable, Sendable {
    public var lesson: String
    public var question: Question
}

/// A live question this machine could not answer, and why.
public struct SkippedQuestion: Equatable, Sendable {
    public var lesson: String
    public var question: String
    public var probe: LiveProbe
    public var reason: Localized
}

/// Picks and orders a quiz's questions: the same lessons, plan and probe outcomes
/// give the same quiz, question for question and option for option.
///
/// Building one is in two steps so that the slow part, running live probes, is done
/// by the caller (on a worker, in the TUI) and only for questions that may be asked:
/// ``candidates(_:plan:progress:)``, then ``probesNeeded(_:count:)``, then ``deal(_:from:plan:outcomes:at:)``.
public enum QuizDeck {
    /// The questions a plan may ask, in the order it asks them. Review mode takes
    /// only the questions whose last answer was wrong.
    public static func candidates(_ lessons: [LessonQuiz], plan: QuizPlan, progress: Progress) -> [DeckEntry] {
        var entries: [DeckEntry] = []
        for lesson in lessons {
            let review = Set(progress[lesson: lesson.lesson].questionsToReview)
            for question in lesson.questions where plan.mode != .review || review.contains(question.id) {
                entries.append(DeckEntry(lesson: lesson.lesson, question: question))
            }
        }
        if plan.shuffles {
            var generator = SeededGenerator(seed: plan.seed)
            entries.shuffle(using: &generator)
        }
        return entries
    }

    /// The probes of the live questions that may be asked: those before the point
    /// where `count` questions are reached even if every live one is skipped.
    public static func probesNeeded(_ candidates: [DeckEntry], count: Int?) -> [LiveProbe] {
        var probes: [LiveProbe] = []
        var sure = 0
        for entry in candidates {
            if let count, sure >= count { break }
            if let probe = entry.question.probe {
                if !probes.contains(probe) { probes.append(probe) }
            } else {
                sure += 1
            }
        }
        return probes
    }

    /// Starts the quiz: the first `count` candidates that can be asked, live ones with
    /// their probes' answers; live ones whose probe could not run are skipped, with why.
    public static func deal(
        _ candidates: [DeckEntry], from lessons: [LessonQuiz], plan: QuizPlan, outcomes: [LiveProbe: LiveOutcome], at now: Date
    ) -> QuizSession {
        var items: [QuizItem] = []
        var skipped: [SkippedQuestion] = []
        for entry in candidates {
            if let count = plan.count, items.count >= count { break }
            var live: LiveAnswer?
            if let probe = entry.question.probe {
                switch outcomes[probe] {
                case .answered(let answer)?:
                    live = answer
                case .skipped(let reason)?:
                    skipped.append(SkippedQuestion(lesson: entry.lesson, question: entry.question.id, probe: probe, reason: reason))
                    continue
                case nil:
                    let reason = Localized(ko: "실제 데모를 실행하지 않았습니다", en: "its real demo was not run")
                    skipped.append(SkippedQuestion(lesson: entry.lesson, question: entry.question.id, probe: probe, reason: reason))
                    continue
                }
            }
            let item = QuizItem(lesson: entry.lesson, question: entry.question, seed: plan.seed, shuffleChoices: plan.shuffles, live: live)
            items.append(item)
        }
        var questions: [String: [String]] = [:]
        for lesson in lessons { questions[lesson.lesson] = lesson.questions.map(\.id) }
        return QuizSession(plan: plan, items: items, skipped: skipped, lessonQuestions: questions, startedAt: now)
    }
}
