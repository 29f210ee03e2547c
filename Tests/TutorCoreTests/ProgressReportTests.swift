import Foundation
import Testing

@testable import TutorCore

@Suite struct ProgressReportTests {
    static let learner = ProgressReport.Learner(
        user: "kim", uid: 1001, host: "lab-07", generated: Date(timeIntervalSince1970: 1_800_000_000))

    static func entries() -> [LessonEntry] {
        func info(_ id: String, _ title: String, quiz: Bool, labSteps: Int) -> LessonInfo {
            LessonInfo(
                id: id,
                overviews: [
                    .ko: LessonOverview(title: "한 " + title, summary: "", objectives: []),
                    .en: LessonOverview(title: title, summary: "", objectives: []),
                ],
                demos: ["uts"], minutes: 5, hasQuiz: quiz, quizPassPercent: 80, labSteps: labSteps)
        }
        return [
            LessonEntry(folder: "01-a", state: .ready(info("a", "Plain", quiz: true, labSteps: 4))),
            LessonEntry(folder: "02-b", state: .ready(info("b", "Commas, \"quotes\"\nand a line", quiz: false, labSteps: 0))),
            LessonEntry(folder: "03-broken", state: .broken([Diagnostic(file: "03-broken/lesson.ko.md", line: 1, message: "x")])),
        ]
    }

    static func progress() -> TutorCore.Progress {
        var progress = TutorCore.Progress()
        progress[lesson: "a"].finishedReading = true
        progress[lesson: "a"].demoRuns = 2
        progress[lesson: "a"].quizBest = 4
        progress[lesson: "a"].quizTotal = 5
        progress[lesson: "a"].quizAttempts = 3
        progress[lesson: "a"].secondsSpent = 610
        progress.labs["uts-lab"] = LabProgress(lesson: "a", stepsDone: ["one", "two"])
        progress[lesson: "b"].demoRuns = 1
        return progress
    }

    static let report = ProgressReport(entries: entries(), progress: progress(), language: .en, learner: learner)

    @Test func oneRowPerLessonInCourseOrderWithItsStatus() {
        let rows = Self.report.rows
        #expect(rows.map(\.lesson) == ["a", "b", "broken"])
        #expect(rows.map(\.status) == ["done", "started", "broken"])
        #expect(rows[0].labStepsDone == 2 && rows[0].labStepsTotal == 4)
        #expect(rows[0].quizPassPercent == 80)
        #expect(rows[1].quizPassPercent == nil, "a lesson without a quiz has no pass mark")
        let korean = ProgressReport(entries: Self.entries(), progress: Self.progress(), language: .ko, learner: Self.learner)
        #expect(korean.rows[0].title == "한 Plain")
    }

    /// A minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF records.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        characters.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                record.append(field)
                field = ""
            } else if character == "\r", characters.first == "\n" {
                characters.removeFirst()
                records.append(record + [field])
                record = []
                field = ""
            } else {
                field.unicodeScalars.append(character)
            }
        }
        #expect(field.isEmpty && record.isEmpty, "the last record ends with CRLF")
        return records
    }

    @Test func csvParsesBackToTheSameFields() throws {
        let csv = Self.report.csv
        #expect(csv.hasSuffix("\r\n"))
        let records = Self.parseCSV(csv)
        #expect(records.first == ProgressReport.columns)
        let rows = records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(ProgressReport.columns, $0)) }
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.count == ProgressReport.columns.count })
        #expect(rows[0]["user"] == "kim" && rows[0]["uid"] == "1001" && rows[0]["host"] == "lab-07")
        #expect(rows[0]["generated"] == "2027-01-15T08:00:00Z")
        #expect(rows[0]["read"] == "yes" && rows[0]["quiz_best"] == "4" && rows[0]["quiz_total"] == "5")
        #expect(rows[0]["quiz_attempts"] == "3" && rows[0]["lab_steps_done"] == "2" && rows[0]["seconds_spent"] == "610")
        #expect(rows[1]["title"] == "Commas, \"quotes\"\nand a line")
        #expect(rows[1]["quiz_best"] == "" && rows[1]["read"] == "no")
        #expect(rows[2]["status"] == "broken")
    }

    @Test func jsonParsesBackWithEveryKeyPresent() throws {
        let object = try #require(JSONSerialization.jsonObject(with: Data(Self.report.json.utf8)) as? [String: Any])
        #expect(object["format"] as? Int == 1)
        #expect(object["language"] as? String == "en")
        let learner = try #require(object["learner"] as? [String: Any])
        #expect(learner["user"] as? String == "kim")
        #expect(learner["uid"] as? Int == 1001)
        #expect(learner["host"] as? String == "lab-07")
        #expect(learner["generated"] as? String == "2027-01-15T08:00:00Z")
        let lessons = try #require(object["lessons"] as? [[String: Any]])
        let lessonKeys = Set(ProgressReport.columns.dropFirst(4))
        #expect(lessons.allSatisfy { Set($0.keys) == lessonKeys })
        #expect(lessons[0]["read"] as? Bool == true)
        #expect(lessons[0]["quiz_best"] as? Int == 4)
        #expect(lessons[0]["lab_steps_total"] as? Int == 4)
        #expect(lessons[1]["quiz_best"] is NSNull, "an absent score is null, not a missing key")
        #expect(lessons[1]["title"] as? String == "Commas, \"quotes\"\nand a line")
    }
}
