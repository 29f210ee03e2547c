import ArgumentParser
import Engine
import Foundation
import TutorApp
import TutorCore

struct QuizCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiz",
        abstract: "Quiz mode: practice, an exam against the clock, or review of what you got wrong.",
        discussion: """
            Practice shows each answer's verdict and explanation at once; --exam shows them all at the end; --review asks
            again the questions whose last answer was wrong. Live questions are answered by a real demo run at quiz time.
            With --plain (or when not on a terminal) questions are printed and answers read one per line from stdin:
            `ctutor quiz --plain --seed 7 --count 5 < answers.txt` ends with the line `score: RIGHT/TOTAL`.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Plain text on stdin/stdout (for pipes and screen readers), even on a terminal.")
    var plain = false

    @Flag(help: "Exam: no verdicts until the end, then every explanation.")
    var exam = false

    @Flag(help: "Review: the questions whose last answer was wrong.")
    var review = false

    @Option(
        name: .customLong("lesson"),
        help: ArgumentHelp("A lesson to draw from: id, folder or number (repeatable; default: all).", valueName: "id"))
    var lessons: [String] = []

    @Option(help: ArgumentHelp("Same seed, same questions in the same order with the same options: a room sits one exam.", valueName: "n"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("Ask at most this many questions.", valueName: "n"))
    var count: Int?

    @Option(help: ArgumentHelp("An exam's time limit, like 10m, 90s or 1h.", valueName: "duration"))
    var time: String?

    func validate() throws {
        if exam && review { throw ValidationError("choose one of --exam and --review, not both") }
        if let count, count < 1 { throw ValidationError("--count must be 1 or more (got \(count)); try --count 10") }
        if let time {
            guard QuizDuration.parse(time) != nil else {
                throw ValidationError("--time takes a duration like 10m, 90s or 1h (got '\(time)'); try --time 10m")
            }
            guard exam else { throw ValidationError("--time limits an exam; add --exam, as in --exam --time \(time)") }
        }
    }

    func run() throws {
        let context = try global.context()
        let entries = context.lessonLoader.index()
        var chosen: [LessonEntry] = []
        for query in lessons {
            guard let entry = context.findEntry(query, in: entries) else {
                let known = entries.map { "\($0.id) (\($0.folder))" }.joined(separator: ", ")
                throw ValidationError("no lesson '\(query)'; known lessons: \(known.isEmpty ? "none" : known)")
            }
            if !chosen.contains(entry) { chosen.append(entry) }
        }
        let plan = QuizPlan(
            mode: exam ? .exam : review ? .review : .practice, seed: seed ?? UInt64.random(in: 0...UInt64.max), seedGiven: seed != nil,
            count: count, timeLimit: time.flatMap(QuizDuration.parse))
        let folders = (chosen.isEmpty ? entries : chosen).map(\.folder)
        if !plain, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
            try TUISession(context: context).run(openLesson: nil, quiz: QuizRequest(folders: folders, plan: plan))
            return
        }
        let status = PlainQuiz(context: context, plan: plan, live: LiveQuestionProbes()).run(folders: folders)
        if status != 0 { throw ExitCode(status) }
    }
}
