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

    private enum CodingKeys: String, CodingKey {
        case finishedReading, demoRuns, lastDemoMode, quizBest, quizLast, quizTotal, updated
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
        updated = try? fields.decodeIfPresent(Date.self, forKey: .updated)
    }

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

    private enum CodingKeys: String, CodingKey {
        case version, lessons
    }

    /// A lesson id, as a key of `lessons`.
    private struct LessonKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Reads what parses: a missing `version` is version 1, and a lesson entry that is
    /// not an object is left out while every other lesson is kept. A file that is not
    /// a JSON object at all still fails (and is set aside by ``ProgressStore``).
    public init(from decoder: any Decoder) throws {
        let top = try decoder.container(keyedBy: CodingKeys.self)
        version = (try? top.decodeIfPresent(Int.self, forKey: .version)) ?? Progress.currentVersion
        guard let entries = try? top.nestedContainer(keyedBy: LessonKey.self, forKey: .lessons) else { return }
        for key in entries.allKeys {
            if let entry = try? entries.decode(LessonProgress.self, forKey: key) { lessons[key.stringValue] = entry }
        }
    }

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
