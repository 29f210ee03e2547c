import Foundation

/// What a learner has done in one lesson.
public struct LessonProgress: Codable, Equatable, Sendable {
    /// Read to the end at least once, page by page (a jump to the end is not reading).
    public var finishedReading: Bool = false
    public var demoRuns: Int = 0
    /// The mode the last demo ran in (`real`, `rootless`, `unavailable`).
    public var lastDemoMode: String?
    /// Best and last score of an attempt that covered the lesson's whole quiz.
    public var quizBest: Int?
    public var quizLast: Int?
    public var quizTotal: Int?
    /// Attempts that covered the lesson's whole quiz.
    public var quizAttempts: Int = 0
    /// Every question of this lesson ever answered, by question id.
    public var questions: [String: QuestionRecord] = [:]
    /// Seconds spent in the lesson: reading, its demo, its quiz, its lab.
    public var secondsSpent: Int = 0
    public var updated: Date?

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case finishedReading, demoRuns, lastDemoMode, quizBest, quizLast, quizTotal, quizAttempts, questions, secondsSpent, updated
    }

    /// Every field that is there and readable is kept; a field that is missing (a file
    /// from an older ctutor) or of the wrong type takes its default, and never costs
    /// the rest of the learner's progress.
    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        finishedReading = (try? fields.decodeIfPresent(Bool.self, forKey: .finishedReading)) ?? false
        demoRuns = (try? fields.decodeIfPresent(Int.self, forKey: .demoRuns)) ?? 0
        lastDemoMode = try? fields.decodeIfPresent(String.self, forKey: .lastDemoMode)
        quizBest = try? fields.decodeIfPresent(Int.self, forKey: .quizBest)
        quizLast = try? fields.decodeIfPresent(Int.self, forKey: .quizLast)
        quizTotal = try? fields.decodeIfPresent(Int.self, forKey: .quizTotal)
        quizAttempts = (try? fields.decodeIfPresent(Int.self, forKey: .quizAttempts)) ?? (quizLast == nil ? 0 : 1)
        questions = (try? fields.decodeIfPresent([String: QuestionRecord].self, forKey: .questions)) ?? [:]
        secondsSpent = (try? fields.decodeIfPresent(Int.self, forKey: .secondsSpent)) ?? 0
        updated = try? fields.decodeIfPresent(Date.self, forKey: .updated)
    }

    public enum Status: Sendable {
        case new, started, done
    }

    /// Done means every part the lesson has is done: read to the end, a demo run
    /// (when it has demos), and the quiz passed at the lesson's mark (when it has one).
    public func status(_ requirements: LessonRequirements) -> Status {
        let quizPassed = !requirements.hasQuiz || quizPassed(percent: requirements.quizPassPercent)
        let demoRun = !requirements.hasDemo || demoRuns > 0
        if finishedReading && demoRun && quizPassed { return .done }
        if finishedReading || demoRuns > 0 || quizLast != nil || secondsSpent > 0 { return .started }
        return .new
    }

    /// Whether the best whole-quiz score reaches `percent` of the questions.
    public func quizPassed(percent: Int) -> Bool {
        guard let best = quizBest, let total = quizTotal, total > 0 else { return false }
        return best * 100 >= percent * total
    }

    /// Ids of questions whose last answer was wrong: what review mode asks again.
    public var questionsToReview: [String] {
        questions.filter { !$0.value.lastCorrect }.keys.sorted()
    }
}

/// What makes a lesson done, from its front matter and folder.
public struct LessonRequirements: Equatable, Sendable {
    public var hasQuiz: Bool
    public var hasDemo: Bool
    /// The share of quiz questions, in percent, a learner must get right.
    public var quizPassPercent: Int

    public static let defaultPassPercent = 70

    public init(hasQuiz: Bool, hasDemo: Bool, quizPassPercent: Int = LessonRequirements.defaultPassPercent) {
        self.hasQuiz = hasQuiz
        self.hasDemo = hasDemo
        self.quizPassPercent = quizPassPercent
    }
}

/// How one question has gone for this learner.
public struct QuestionRecord: Codable, Equatable, Sendable {
    public var right: Int = 0
    public var wrong: Int = 0
    public var lastCorrect: Bool = false
    public var last: Date?

    public init(right: Int = 0, wrong: Int = 0, lastCorrect: Bool = false, last: Date? = nil) {
        self.right = right
        self.wrong = wrong
        self.lastCorrect = lastCorrect
        self.last = last
    }
}

/// A guided lab's progress: the steps whose checker passed.
public struct LabProgress: Codable, Equatable, Sendable {
    /// The lesson the lab belongs to.
    public var lesson: String
    /// Step ids in the order they were done.
    public var stepsDone: [String] = []
    public var finished: Bool = false
    public var updated: Date?

    public init(lesson: String, stepsDone: [String] = [], finished: Bool = false, updated: Date? = nil) {
        self.lesson = lesson
        self.stepsDone = stepsDone
        self.finished = finished
        self.updated = updated
    }

    private enum CodingKeys: String, CodingKey {
        case lesson, stepsDone, finished, updated
    }

    /// As for lessons: what is there is kept, what is missing takes its default.
    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        lesson = (try? fields.decodeIfPresent(String.self, forKey: .lesson)) ?? ""
        stepsDone = (try? fields.decodeIfPresent([String].self, forKey: .stepsDone)) ?? []
        finished = (try? fields.decodeIfPresent(Bool.self, forKey: .finished)) ?? false
        updated = try? fields.decodeIfPresent(Date.self, forKey: .updated)
    }
}

/// All of a learner's progress, keyed by lesson id.
public struct Progress: Codable, Equatable, Sendable {
    public static let currentVersion = 1

    public var version: Int = Progress.currentVersion
    public var lessons: [String: LessonProgress] = [:]
    /// Labs by lab id.
    public var labs: [String: LabProgress] = [:]
    /// Every quiz attempt, oldest first (the newest ``Progress/attemptLimit`` are kept).
    public var attempts: [QuizAttempt] = []
    /// The language the learner chose last; `nil` until they choose one.
    public var language: Language?
    /// How much of `progress.journal` this progress already holds (see ``ProgressJournal``).
    var journal: ProgressJournal.Mark?

    public static let attemptLimit = 500

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case version, lessons, labs, attempts, language, journal
    }

    /// A lesson or lab id, as a key.
    private struct NameKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Reads what parses: a missing `version` is version 1, and an entry that is not
    /// an object is left out while every other one is kept. A file that is not a JSON
    /// object at all still fails (and is set aside by ``ProgressStore``).
    public init(from decoder: any Decoder) throws {
        let top = try decoder.container(keyedBy: CodingKeys.self)
        version = (try? top.decodeIfPresent(Int.self, forKey: .version)) ?? Progress.currentVersion
        if let entries = try? top.nestedContainer(keyedBy: NameKey.self, forKey: .lessons) {
            for key in entries.allKeys {
                if let entry = try? entries.decode(LessonProgress.self, forKey: key) { lessons[key.stringValue] = entry }
            }
        }
        if let entries = try? top.nestedContainer(keyedBy: NameKey.self, forKey: .labs) {
            for key in entries.allKeys {
                if let entry = try? entries.decode(LabProgress.self, forKey: key) { labs[key.stringValue] = entry }
            }
        }
        if var list = try? top.nestedUnkeyedContainer(forKey: .attempts) {
            while !list.isAtEnd {
                if let attempt = try? list.decode(QuizAttempt.self) {
                    attempts.append(attempt)
                } else if (try? list.decode(Skipped.self)) == nil {
                    break
                }
            }
        }
        language = (try? top.decodeIfPresent(String.self, forKey: .language)).flatMap { $0.flatMap(Language.init(rawValue:)) }
        journal = try? top.decodeIfPresent(ProgressJournal.Mark.self, forKey: .journal)
    }

    public func encode(to encoder: any Encoder) throws {
        var top = encoder.container(keyedBy: CodingKeys.self)
        try top.encode(version, forKey: .version)
        try top.encode(lessons, forKey: .lessons)
        try top.encode(labs, forKey: .labs)
        try top.encode(attempts, forKey: .attempts)
        try top.encodeIfPresent(language?.rawValue, forKey: .language)
        try top.encodeIfPresent(journal, forKey: .journal)
    }

    /// Any JSON value, decoded only to step over it.
    private struct Skipped: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    public subscript(lesson id: String) -> LessonProgress {
        get { lessons[id] ?? LessonProgress() }
        set { lessons[id] = newValue }
    }

    /// Lab steps done in a lesson's labs.
    public func labStepsDone(lesson id: String) -> Int {
        labs.values.filter { $0.lesson == id }.reduce(0) { $0 + $1.stepsDone.count }
    }
}
