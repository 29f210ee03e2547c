import ArgumentParser
import Foundation
import TutorApp
import TutorCore

struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "List the lessons with your progress."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let context = try global.context()
        // Read in full: the JSON counts each quiz's questions, and every problem is listed.
        let loaded = context.lessonLoader.loadAll()
        let entries = loaded.map(\.entry)
        let progress = context.loadProgress().progress
        if json {
            let objects = loaded.map { item -> [String: Any] in
                let entry = item.entry
                var object: [String: Any] = ["folder": entry.folder, "id": entry.id, "title": entry.title(context.language)]
                if let lesson = item.lesson {
                    let record = progress[lesson: lesson.id]
                    object["status"] = "\(record.status(lesson.info.requirements))"
                    object["demos"] = lesson.demos
                    object["minutes"] = lesson.minutes as Any
                    object["questions"] = lesson.quiz?.questions.count ?? 0
                    var recordObject: [String: Any] = ["finishedReading": record.finishedReading, "demoRuns": record.demoRuns]
                    if let best = record.quizBest { recordObject["quizBest"] = best }
                    if let total = record.quizTotal { recordObject["quizTotal"] = total }
                    object["progress"] = recordObject
                } else {
                    object["status"] = "broken"
                }
                object["problems"] = entry.diagnostics.map(\.description)
                return object
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let language = context.language
        for entry in entries {
            let mark = MenuMark.text(entry, progress)
            var line = "\(mark) \(entry.folder)  \(entry.title(language))"
            if let lesson = entry.info, let best = progress[lesson: lesson.id].quizBest, let total = progress[lesson: lesson.id].quizTotal {
                line += "  (" + UIText.menuQuizScore.format(language, best, total) + ")"
            }
            print(line)
            for diagnostic in entry.diagnostics { print("      \(diagnostic)") }
        }
        if entries.isEmpty { print(UIText.menuEmpty.text(language)) }
    }
}
