import ArgumentParser
import Foundation
import TutorCore

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check lesson, quiz and lab files; print every problem as file:line: message.",
        discussion: """
            Errors keep a lesson (or its quiz) from being used; warnings mean it shows, but not as its \
            author meant. Exits 1 when any error was found (with --strict, any warning too), else 0.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Fail on warnings too, not only on errors.")
    var strict = false

    @Argument(help: "The lessons directory to check (default: the one ctutor uses).")
    var directory: String?

    func run() throws {
        let context = try global.context()
        let root = directory.map { URL(fileURLWithPath: $0) } ?? context.lessonsDirectory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("'\(root.path)' is not a directory")
        }
        let entries = LessonLoader(directory: root, knownDemos: context.knownDemos).loadAll().map(\.entry)
        let problems = entries.flatMap(\.diagnostics)
        let base = FileManager.default.currentDirectoryPath
        for problem in problems {
            print(
                root.appendingPathComponent(problem.file).relativePath(from: base) + ":\(problem.line): " + Self.label(problem)
                    + problem.message)
        }
        let errors = problems.filter { $0.severity == .error }.count
        let warnings = problems.count - errors
        printError(
            "ctutor lint: \(Self.count(entries.count, "lesson")) checked: \(Self.count(errors, "error")), \(Self.count(warnings, "warning"))"
        )
        if entries.isEmpty { printError("ctutor lint: no lesson folders (NN-name/) in \(root.path)") }
        if errors > 0 || entries.isEmpty || (strict && warnings > 0) { throw ExitCode(1) }
    }
}

extension LintCommand {
    /// Errors are printed as `file:line: message`, warnings as `file:line: warning: message`.
    private static func label(_ problem: Diagnostic) -> String {
        problem.severity == .warning ? "warning: " : ""
    }

    /// `1 error`, `3 warnings`.
    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}

extension URL {
    /// This path relative to `base` when it lies inside it, else absolute.
    func relativePath(from base: String) -> String {
        let full = standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full
    }
}
