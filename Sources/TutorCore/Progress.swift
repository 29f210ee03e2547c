import Foundation

/// What a learner has done in one lesson.
public struct LessonProgress: Codable, Equatable, Sendable {
    /// Scrolled to the end of the lesson at least once.
    public var finishedReading: Bool = false
    public var demoRuns: Int = 0
    /// The mode the last demo ran in (`real`, `rootless`, `unavailable`).
    public var lastDemoMode: String?
    public var quizBest: Int?
    public var quizLast: Int?
    public var quizTotal: Int?
    public var updated: Date?

    public init() {}

    public enum Status: Sendable {
        case new, started, done
    }

    /// Done means: read to the end and the quiz answered (when there is one).
    public func status(hasQuiz: Bool) -> Status {
        if finishedReading && (!hasQuiz || quizBest != nil) { return .done }
        if finishedReading || demoRuns > 0 || quizLast != nil { return .started }
        return .new
    }
}

/// All of a learner's progress, keyed by lesson id.
public struct Progress: Codable, Equatable, Sendable {
    public static let currentVersion = 1

    public var version: Int = Progress.currentVersion
    public var lessons: [String: LessonProgress] = [:]

    public init() {}

    public subscript(lesson id: String) -> LessonProgress {
        get { lessons[id] ?? LessonProgress() }
        set { lessons[id] = newValue }
    }

    /// Records a finished quiz, keeping the best score.
    public mutating func recordQuiz(lesson id: String, score: Int, total: Int, at date: Date) {
        var entry = self[lesson: id]
        entry.quizLast = score
        entry.quizTotal = total
        entry.quizBest = max(entry.quizBest ?? 0, score)
        entry.updated = date
        self[lesson: id] = entry
    }
}
