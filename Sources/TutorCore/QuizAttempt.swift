import Foundation

/// One sitting of a quiz: practice, exam or review, over one lesson or several.
public struct QuizAttempt: Codable, Equatable, Sendable {
    public enum Mode: String, Codable, Sendable {
        case practice, exam, review
    }

    public var date: Date
    public var mode: Mode
    /// The seed that ordered the questions and shuffled the choices, when one was given.
    public var seed: UInt64?
    /// Lessons whose whole quiz was in this attempt: their best score counts toward done.
    public var wholeLessons: [String]
    public var results: [QuestionResult]
    /// Seconds from the first question to the last answer.
    public var seconds: Int?

    public init(date: Date, mode: Mode, seed: UInt64? = nil, wholeLessons: [String], results: [QuestionResult], seconds: Int? = nil) {
        self.date = date
        self.mode = mode
        self.seed = seed
        self.wholeLessons = wholeLessons
        self.results = results
        self.seconds = seconds
    }

    public var score: Int { results.filter(\.correct).count }
    public var total: Int { results.count }

    private enum CodingKeys: String, CodingKey {
        case date, mode, seed, wholeLessons, results, seconds
    }

    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        date = try fields.decode(Date.self, forKey: .date)
        mode = (try? fields.decodeIfPresent(Mode.self, forKey: .mode)) ?? .practice
        seed = try? fields.decodeIfPresent(UInt64.self, forKey: .seed)
        wholeLessons = (try? fields.decodeIfPresent([String].self, forKey: .wholeLessons)) ?? []
        results = (try? fields.decodeIfPresent([QuestionResult].self, forKey: .results)) ?? []
        seconds = try? fields.decodeIfPresent(Int.self, forKey: .seconds)
    }
}

/// One answered question of an attempt.
public struct QuestionResult: Codable, Equatable, Sendable {
    public var lesson: String
    public var question: String
    public var correct: Bool
    /// What the learner answered, as they typed or picked it (for the teacher's report).
    public var answer: String?

    public init(lesson: String, question: String, correct: Bool, answer: String? = nil) {
        self.lesson = lesson
        self.question = question
        self.correct = correct
        self.answer = answer
    }
}
