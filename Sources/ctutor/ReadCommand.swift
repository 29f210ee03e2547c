import ArgumentParser
import CShim
import Foundation
import TutorApp
import TutorCore
import TutorUI

struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Show a lesson: in the tutor on a terminal, or as plain text.",
        discussion: "LESSON is an id, a folder name or a number: `ctutor read uts-namespace`, `ctutor read 4`."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The lesson to show.")
    var lesson: String

    @Flag(help: "Print plain text (for pipes and screen readers), even on a terminal.")
    var plain = false

    @Option(help: "Wrap plain text at this many columns, 20 or more (default: the terminal's width, else $COLUMNS, else 80).")
    var width: Int?

    func validate() throws {
        if let width, width < 20 {
            throw ValidationError("--width must be 20 or more columns (got \(width)); try --width 80")
        }
    }

    func run() throws {
        let context = try global.context()
        let entries = context.lessonLoader.index()
        guard let entry = context.findEntry(lesson, in: entries) else {
            let known = entries.map { "\($0.id) (\($0.folder))" }.joined(separator: ", ")
            throw ValidationError("no lesson '\(lesson)'; known lessons: \(known.isEmpty ? "none" : known)")
        }
        let loaded = context.lessonLoader.load(folder: entry.folder)
        guard let found = loaded.lesson else {
            printError("ctutor: lesson \(entry.folder) cannot be loaded:")
            for diagnostic in loaded.entry.diagnostics { printError("  \(diagnostic)") }
            throw ExitCode(1)
        }
        if !plain, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
            try TUISession(context: context).run(openLesson: entry.folder)
            return
        }
        let columns = max(20, width ?? terminalColumns ?? context.environment["COLUMNS"].flatMap(Int.init) ?? 80)
        let titles = context.demoTitles.mapValues { $0[context.language] }
        let lines = LessonLayout.lines(
            for: found.text(context.language), language: context.language, width: columns, demoTitles: titles)
        for line in lines { print(line.plainText.trimmingTrailingSpaces) }
        let questions = found.quiz?.questions ?? []
        for (index, question) in questions.enumerated() {
            // Live questions are answered by a real demo: `ctutor quiz` runs it; here the prompt's {values} stay as written.
            let item = QuizItem(lesson: found.id, question: question, seed: 0)
            print("")
            for line in PlainQuestionText.lines(item, number: index + 1, total: questions.count, language: context.language, hint: false) {
                for wrapped in Self.wrapHanging(line, width: columns) { print(wrapped) }
            }
        }
    }
}

extension ReadCommand {
    /// Wraps a line at `width`, continuing under its text: an option's `  2. ` or
    /// `  b. ` label, or the line's own indent, is not repeated but kept as space.
    static func wrapHanging(_ line: String, width: Int) -> [String] {
        let indent = line.prefix(while: { $0 == " " })
        var label = String(indent)
        let rest = line.dropFirst(indent.count)
        if let dot = rest.firstIndex(of: "."), rest.distance(from: rest.startIndex, to: dot) <= 3,
            rest[rest.startIndex..<dot].allSatisfy({ $0.isNumber || $0.isLetter }), rest[dot...].hasPrefix(". ")
        {
            label += rest[..<dot] + ". "
        }
        let text = String(line.dropFirst(label.count))
        let lines = TextWrap.wrap(text, width: max(10, width - label.count))
        return lines.enumerated().map { index, wrapped in
            (index == 0 ? label : String(repeating: " ", count: label.count)) + wrapped.plainText.trimmingTrailingSpaces
        }
    }
}

/// The width of the terminal standard output is, when it is one.
private var terminalColumns: Int? {
    guard isatty(STDOUT_FILENO) == 1 else { return nil }
    let columns = Int(ctutor_console_columns(STDOUT_FILENO))
    return columns > 0 ? columns : nil
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
