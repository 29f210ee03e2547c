import Foundation

/// A learner's progress, one row per lesson in course order, for a teacher to collect
/// (`ctutor report`). Every row names the learner, so thirty files from a room can
/// be put together into one table and still say whose is whose.
///
/// The column names (``columns``) and JSON keys are stable: scripts read them.
public struct ProgressReport: Equatable, Sendable {
    /// Who the report is about, and when it was made.
    public struct Learner: Equatable, Sendable {
        public var user: String
        public var uid: UInt32
        public var host: String
        public var generated: Date

        public init(user: String, uid: UInt32, host: String, generated: Date) {
            self.user = user
            self.uid = uid
            self.host = host
            self.generated = generated
        }
    }

    /// One lesson. A broken lesson has status `broken` and no requirements.
    public struct Row: Equatable, Sendable {
        public var lesson: String
        public var title: String
        /// `new`, `started`, `done` or `broken`.
        public var status: String
        public var read: Bool
        public var demoRuns: Int
        public var quizBest: Int?
        public var quizTotal: Int?
        public var quizPassPercent: Int?
        public var quizAttempts: Int
        public var labStepsDone: Int
        public var labStepsTotal: Int
        public var secondsSpent: Int
    }

    public var learner: Learner
    public var language: Language
    public var rows: [Row]

    /// CSV's header, in order; JSON uses the same names in each lesson's object.
    public static let columns = [
        "user", "uid", "host", "generated", "lesson", "title", "status", "read", "demo_runs", "quiz_best", "quiz_total",
        "quiz_pass_percent", "quiz_attempts", "lab_steps_done", "lab_steps_total", "seconds_spent",
    ]

    /// The report of `progress` over `entries` (in course order), titles in `language`.
    public init(entries: [LessonEntry], progress: Progress, language: Language, learner: Learner) {
        self.learner = learner
        self.language = language
        rows = entries.map { entry in
            let record = progress[lesson: entry.id]
            let status: String
            if let info = entry.info {
                switch record.status(info.requirements) {
                case .new: status = "new"
                case .started: status = "started"
                case .done: status = "done"
                }
            } else {
                status = "broken"
            }
            return Row(
                lesson: entry.id, title: entry.title(language), status: status, read: record.finishedReading,
                demoRuns: record.demoRuns, quizBest: record.quizBest, quizTotal: record.quizTotal,
                quizPassPercent: entry.info.map { $0.hasQuiz ? $0.quizPassPercent : nil } ?? nil,
                quizAttempts: record.quizAttempts, labStepsDone: progress.labStepsDone(lesson: entry.id),
                labStepsTotal: entry.info?.labSteps ?? 0, secondsSpent: record.secondsSpent)
        }
    }

    /// Each row's fields as text, in ``columns`` order; an absent number is empty.
    public var fieldRows: [[String]] {
        let head = [learner.user, "\(learner.uid)", learner.host, UTCTimestamp.string(learner.generated)]
        return rows.map { row in
            func optional(_ value: Int?) -> String { value.map(String.init) ?? "" }
            return head + [
                row.lesson, row.title, row.status, row.read ? "yes" : "no", "\(row.demoRuns)", optional(row.quizBest),
                optional(row.quizTotal), optional(row.quizPassPercent), "\(row.quizAttempts)", "\(row.labStepsDone)",
                "\(row.labStepsTotal)", "\(row.secondsSpent)",
            ]
        }
    }

    /// RFC 4180: a header line, CRLF line ends, and a field quoted when it holds a
    /// comma, a quote or a line break (its quotes doubled).
    public var csv: String {
        ([Self.columns] + fieldRows).map { $0.map(Self.csvField).joined(separator: ",") + "\r\n" }.joined()
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `{"format": 1, "learner": {...}, "lessons": [{...}, ...]}` with every key always
    /// present (an absent number is `null`) and keys sorted, so it diffs cleanly.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(JSONForm(self))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// The JSON shape of a report.
private struct JSONForm: Encodable {
    let report: ProgressReport

    init(_ report: ProgressReport) { self.report = report }

    enum Keys: String, CodingKey {
        case format, learner, language, lessons
        case user, uid, host, generated
    }

    func encode(to encoder: any Encoder) throws {
        var top = encoder.container(keyedBy: Keys.self)
        try top.encode(1, forKey: .format)
        try top.encode(report.language.rawValue, forKey: .language)
        var learner = top.nestedContainer(keyedBy: Keys.self, forKey: .learner)
        try learner.encode(report.learner.user, forKey: .user)
        try learner.encode(report.learner.uid, forKey: .uid)
        try learner.encode(report.learner.host, forKey: .host)
        try learner.encode(UTCTimestamp.string(report.learner.generated), forKey: .generated)
        var lessons = top.nestedUnkeyedContainer(forKey: .lessons)
        for row in report.rows { try lessons.encode(RowForm(row: row)) }
    }
}

private struct RowForm: Encodable {
    let row: ProgressReport.Row

    enum Keys: String, CodingKey {
        case lesson, title, status, read
        case demoRuns = "demo_runs", quizBest = "quiz_best", quizTotal = "quiz_total"
        case quizPassPercent = "quiz_pass_percent", quizAttempts = "quiz_attempts"
        case labStepsDone = "lab_steps_done", labStepsTotal = "lab_steps_total", secondsSpent = "seconds_spent"
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: Keys.self)
        try fields.encode(row.lesson, forKey: .lesson)
        try fields.encode(row.title, forKey: .title)
        try fields.encode(row.status, forKey: .status)
        try fields.encode(row.read, forKey: .read)
        try fields.encode(row.demoRuns, forKey: .demoRuns)
        try fields.encode(row.quizBest, forKey: .quizBest)
        try fields.encode(row.quizTotal, forKey: .quizTotal)
        try fields.encode(row.quizPassPercent, forKey: .quizPassPercent)
        try fields.encode(row.quizAttempts, forKey: .quizAttempts)
        try fields.encode(row.labStepsDone, forKey: .labStepsDone)
        try fields.encode(row.labStepsTotal, forKey: .labStepsTotal)
        try fields.encode(row.secondsSpent, forKey: .secondsSpent)
    }
}
