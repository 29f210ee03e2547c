import ArgumentParser
import Engine
import Foundation

/// `ctutor runtime …`, runc's role: the OCI runtime command line on an OCI bundle.
/// Its arguments are parsed by hand (``RuntimeArguments``), as runc's are few and a
/// container start should not pay for ArgumentParser's reflection.
struct RuntimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime",
        abstract: "The OCI runtime (runc's role): create, start, state, kill, delete, run, list.",
        discussion: RuntimeArguments.help
    )

    @Argument(parsing: .allUnrecognized, help: "[--root DIR] COMMAND [OPTIONS] ID")
    var arguments: [String] = []

    func run() throws {
        throw ExitCode(RuntimeArguments.execute(arguments))
    }
}

enum RuntimeArguments {
    static let help = """
        Runs a container from an OCI bundle (a directory with config.json and its root
        filesystem), as runc does, on the same engine as `ctutor run`. `create` sets it all up
        and leaves the container's init blocked before exec; `start` lets it exec; both exit
        while the container runs on.

          create --bundle DIR [--pid-file FILE] ID    set up; the init waits on exec.fifo
          start ID                                    exec the process of config.json
          state ID                                    the OCI state as JSON
          kill ID [SIGNAL]                            TERM (default), SIGKILL, 9, …
          delete [--force] ID                         remove (--force: SIGKILL a running one)
          run --bundle DIR [--detach] [--pid-file FILE] ID   create + start; wait and delete
          list [--format table|json]                  the containers under the root

        Global: --root DIR  the state directory (default /run/ctutor/runtime as root,
        else $XDG_RUNTIME_DIR/ctutor/runtime or /tmp/ctutor-UID/runtime);
        --log FILE  write errors there instead of to standard error.

        Not supported, refused by name: process.terminal (and --console-socket), hooks,
        seccomp, sysctl, LSM labels, joining existing namespaces, cgroup mounts. The cgroup is
        always …/ctutor/ID (linux.cgroupsPath is not used). `run` exits with the container's
        status (128+N when killed by signal N).
        """

    static func execute(_ arguments: [String]) -> Int32 {
        var rest = arguments[...]
        var root: String?
        var log: String?
        while let first = rest.first, first.hasPrefix("-") {
            rest.removeFirst()
            switch first {
            case "--root": root = rest.popFirst()
            case "--log": log = rest.popFirst()
            case "--help", "-h":
                print(help)
                return 0
            default: return fail("unknown option \(first)", log: log)
            }
        }
        guard let command = rest.popFirst() else {
            return fail("a command is needed: create, start, state, kill, delete, run, list", log: log)
        }
        let runtimeRoot = RuntimeRoot(path: root ?? RuntimeRoot.defaultPath())
        do {
            return try perform(command, Array(rest), root: runtimeRoot)
        } catch {
            return fail("\(error)", log: log)
        }
    }

    /// Options of one command: flags, options with a value, and the positional words.
    struct Parsed {
        var flags: Set<String> = []
        var values: [String: String] = [:]
        var words: [String] = []
    }

    static func parse(_ arguments: [String], flags: Set<String>, options: Set<String>, aliases: [String: String] = [:]) throws(RuntimeError)
        -> Parsed
    {
        var parsed = Parsed()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            var name = argument
            var attached: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                attached = String(argument[argument.index(after: equals)...])
            }
            name = aliases[name] ?? name
            if flags.contains(name) {
                parsed.flags.insert(name)
            } else if options.contains(name) {
                guard let value = attached ?? rest.popFirst() else { throw .invalid("\(name) needs a value") }
                parsed.values[name] = value
            } else if argument.hasPrefix("-") && argument != "-" {
                throw .invalid("unknown option \(argument)")
            } else {
                parsed.words.append(argument)
            }
        }
        return parsed
    }

    static func perform(_ command: String, _ arguments: [String], root: RuntimeRoot) throws -> Int32 {
        func id(_ parsed: Parsed, extra: Int = 0) throws(RuntimeError) -> String {
            guard (1...1 + extra).contains(parsed.words.count) else {
                throw .invalid("\(command) takes a container id\(extra > 0 ? " and at most \(extra) more" : "")")
            }
            return parsed.words[0]
        }
        switch command {
        case "create":
            let parsed = try parse(
                arguments, flags: [], options: ["--bundle", "--pid-file", "--console-socket"], aliases: ["-b": "--bundle"])
            if parsed.values["--console-socket"] != nil {
                throw RuntimeError.invalid("--console-socket is not supported: ctutor runtime runs containers without a terminal")
            }
            _ = try OCIRuntime.create(
                id: try id(parsed), bundle: parsed.values["--bundle"] ?? ".", root: root, pidFile: parsed.values["--pid-file"])
        case "start":
            try OCIRuntime.start(id: try id(try parse(arguments, flags: [], options: [])), root: root)
        case "state":
            print(try root.ociState(of: try id(try parse(arguments, flags: [], options: []))).json, terminator: "")
        case "kill":
            let parsed = try parse(arguments, flags: ["--all"], options: [], aliases: ["-a": "--all"])
            let name = parsed.words.count > 1 ? parsed.words[1] : "TERM"
            guard let signal = RuntimeSignal.parse(name) else { throw RuntimeError.invalid("\(name) is not a signal: TERM, SIGKILL, 9, …") }
            try OCIRuntime.kill(id: try id(parsed, extra: 1), signal: signal, root: root)
        case "delete":
            let parsed = try parse(arguments, flags: ["--force"], options: [], aliases: ["-f": "--force"])
            try OCIRuntime.delete(id: try id(parsed), root: root, force: parsed.flags.contains("--force"))
        case "run":
            let parsed = try parse(
                arguments, flags: ["--detach"], options: ["--bundle", "--pid-file", "--console-socket"],
                aliases: ["-b": "--bundle", "-d": "--detach"])
            if parsed.values["--console-socket"] != nil {
                throw RuntimeError.invalid("--console-socket is not supported: ctutor runtime runs containers without a terminal")
            }
            return try OCIRuntime.run(
                id: try id(parsed), bundle: parsed.values["--bundle"] ?? ".", root: root, detach: parsed.flags.contains("--detach"),
                pidFile: parsed.values["--pid-file"])
        case "list", "ps":
            let parsed = try parse(arguments, flags: [], options: ["--format"], aliases: ["-f": "--format"])
            guard parsed.words.isEmpty else { throw RuntimeError.invalid("list takes no container id") }
            printList(OCIRuntime.list(root: root), format: parsed.values["--format"] ?? "table")
        default:
            throw RuntimeError.invalid("unknown command \(command): create, start, state, kill, delete, run, list")
        }
        return 0
    }

    static func printList(_ states: [OCIState], format: String) {
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print((try? encoder.encode(states)).map { String(decoding: $0, as: UTF8.self) } ?? "[]")
            return
        }
        let rows =
            [["ID", "PID", "STATUS", "BUNDLE", "CREATED"]] + states.map { [$0.id, "\($0.pid)", $0.status.rawValue, $0.bundle, $0.created] }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(
                row.enumerated().map {
                    $0.offset == 4 ? $0.element : $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0)
                }
                .joined(separator: "   "))
        }
    }

    /// Says what went wrong, on standard error or appended to `--log`; status 1, as runc.
    static func fail(_ message: String, log: String?) -> Int32 {
        let line = Array("ctutor runtime: \(message)\n".utf8)
        // Appended with write(2): the log may be a pipe (the shim's /dev/fd/3), which cannot seek.
        let fd = log.map { open($0, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600) } ?? -1
        _ = write(fd >= 0 ? fd : STDERR_FILENO, line, line.count)
        if fd >= 0 { close(fd) }
        return 1
    }
}
