import ArgumentParser
import Foundation
import TutorCore

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check lesson, quiz and lab files; print every problem as file:line: message.",
        discussion: "Exits 0 when every lesson is clean, 1 when any problem was found."
    )

    @OptionGroup var global: GlobalOptions

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
        for problem in problems {
            print(
                root.appendingPathComponent(problem.file).relativePath(from: FileManager.default.currentDirectoryPath)
                    + ":\(problem.line): " + (problem.severity == .warning ? "warning: " : "") + problem.message)
        }
        printError("ctutor lint: \(entries.count) lesson(s) checked, \(problems.count) problem(s)")
        if entries.isEmpty { printError("ctutor lint: no lesson folders (NN-name/) in \(root.path)") }
        if !problems.isEmpty || entries.isEmpty { throw ExitCode(1) }
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
