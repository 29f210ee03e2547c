import ArgumentParser
import Engine
import Foundation
import TutorCore

@main
struct CTutor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctutor",
        abstract: "A terminal tutor: how a computer runs programs, and how containers are built from that.",
        discussion: """
            Run `ctutor` in a terminal for the full-screen tutor (Korean and English; press l to switch).
            Every lesson has a real demo that runs on this machine's kernel: try `ctutor demo uts`.
            """,
        version: "0.1.0",
        subcommands: [
            LessonsCommand.self, ReadCommand.self, DemoCommand.self, RunCommand.self, PsCommand.self, StopCommand.self,
            RmCommand.self, LogsCommand.self, ImagesCommand.self, ImageCommand.self, DoctorCommand.self, LintCommand.self, LabCommand.self,
            QuizCommand.self, ReportCommand.self,
            RuntimeCommand.self, ShimCommand.self, DaemonCommand.self, DockerCommand.self,
        ]
    )

    @OptionGroup var global: GlobalOptions

    mutating func run() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            print(CTutor.helpMessage())
            return
        }
        let context = try global.context()
        try TUISession(context: context).run(openLesson: nil)
    }

    static var commandNames: [String] {
        configuration.subcommands.compactMap { $0.configuration.commandName }
    }

    /// Lets global options come before the subcommand (`ctutor --lang ko lessons`)
    /// by moving them after it, where ArgumentParser reads them.
    /// Nothing to move when the first word is not an option: then the command list,
    /// which ArgumentParser builds by reflecting on every command (a good part of a
    /// shim's or `ctutor run`'s start), is not needed.
    static func reorderGlobalOptions(_ arguments: [String]) -> [String] {
        guard arguments.first?.hasPrefix("-") == true else { return arguments }
        let names = Set(commandNames)
        guard let commandIndex = arguments.firstIndex(where: { names.contains($0) }), commandIndex > 0 else { return arguments }
        let before = Array(arguments[..<commandIndex])
        let valueOptions: Set<String> = ["--lang", "--lessons"]
        var moved: [String] = []
        var kept: [String] = []
        var index = 0
        while index < before.count {
            let argument = before[index]
            if valueOptions.contains(argument), index + 1 < before.count {
                moved += [argument, before[index + 1]]
                index += 2
                continue
            }
            if valueOptions.contains(where: { argument.hasPrefix($0 + "=") }) { moved.append(argument) } else { kept.append(argument) }
            index += 1
        }
        return kept + [arguments[commandIndex]] + moved + arguments[(commandIndex + 1)...]
    }

    static func main() {
        // A write to a closed pipe (`ctutor lessons | head`, a launcher that died)
        // comes back as EPIPE instead of killing the tutor with its terminal raw.
        signal(SIGPIPE, SIG_IGN)
        if let status = ChildProgram.runIfRequested(CommandLine.arguments) { Foundation.exit(status) }
        let arguments = reorderGlobalOptions(Array(CommandLine.arguments.dropFirst()))
        if let status = FastPath.run(arguments) { Foundation.exit(status) }
        // Plain `ctutor` on a terminal, the common start, skips the argument parser:
        // it is a tenth of the time to the first frame, and memory besides.
        if arguments.isEmpty, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
            do {
                try TUISession(context: AppContext(lang: nil, lessons: nil)).run(openLesson: nil)
            } catch {
                exit(withError: error)
            }
            return
        }
        if let first = arguments.first, !first.hasPrefix("-"), first != "help", !commandNames.contains(first) {
            printError("ctutor: unknown command '\(first)'. Commands: \(commandNames.joined(separator: ", ")); see `ctutor --help`.")
            Foundation.exit(64)
        }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch {
            exitExplaining(error, in: type(of: command))
        }
    }

    /// A mistake found while a subcommand runs (a lesson that does not exist) is
    /// explained with that subcommand's usage, not the top-level one.
    private static func exitExplaining(_ error: any Error, in subcommand: any ParsableCommand.Type) -> Never {
        guard error is ValidationError, subcommand != CTutor.self, let name = subcommand.configuration.commandName else {
            exit(withError: error)
        }
        printError("Error: \(message(for: error))")
        printError("Usage: " + usageString(for: subcommand))
        printError("  See 'ctutor \(name) --help' for more information.")
        Foundation.exit(exitCode(for: error).rawValue)
    }
}
