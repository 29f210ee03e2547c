import CShim
import Foundation
import Testing

/// Finds the release binary that `make test` built and exported as CTUTOR_BIN.
enum Binary {
    static let path: String? = {
        guard let path = ProcessInfo.processInfo.environment["CTUTOR_BIN"], FileManager.default.isExecutableFile(atPath: path) else {
            return nil
        }
        return path
    }()

    static var available: Bool { path != nil }
    static let missingReason: Comment = "CTUTOR_BIN is not set to a built ctutor; run `make test`, which builds the release binary first"

    static var lessons: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Lessons").path
    }
}

/// Runs a program to completion with posix_spawn and waitpid. Output goes through
/// files, not pipes, and Foundation's Process is avoided: a daemon the program
/// starts (the tmux server) inherits descriptors and would keep either waiting forever.
@discardableResult
func run(_ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String]? = nil) throws -> (
    status: Int32, stdout: String, stderr: String
) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let paths = ["in", "out", "err"].map { directory.appendingPathComponent($0).path }
    try Data((input ?? "").utf8).write(to: URL(fileURLWithPath: paths[0]))
    let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
    let pid = try spawn(executable, arguments, stdin: paths[0], stdout: paths[1], stderr: paths[2], environment: env)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (exitCode, try String(contentsOfFile: paths[1], encoding: .utf8), try String(contentsOfFile: paths[2], encoding: .utf8))
}

/// Starts a program and returns at once (the caller reaps it): standard input,
/// output and error opened from the paths given (output and error appended, or
/// truncated when `truncate`), every other descriptor of the test process closed —
/// a suite beside this one copying busybox would see ETXTBSY for as long as a child
/// (a tmux server, a daemon) held the copy's write end — an empty signal mask and
/// every signal at its default; with `newSession`, in a session of its own.
func spawn(
    _ executable: String, _ arguments: [String], stdin: String = "/dev/null", stdout: String = "/dev/null",
    stderr: String = "/dev/null", truncate: Bool = true, environment: [String], newSession: Bool = false
) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let output = O_WRONLY | O_CREAT | (truncate ? O_TRUNC : O_APPEND)
    posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, output, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, output, 0o600)
    ctutor_spawn_close_from(&actions, 3)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    // Test threads block signals, and a spawned child inherits the mask: clear it,
    // or the tutor under test (and tmux) would never see SIGTERM or SIGWINCH.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    var all = sigset_t()
    sigfillset(&all)
    sigdelset(&all, SIGKILL)
    sigdelset(&all, SIGSTOP)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &all)
    // POSIX_SPAWN_SETSID (0x80, a glibc extension Swift does not import): a session of its own.
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | (newSession ? 0x80 : 0))
    var pid: pid_t = 0
    let error = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard error == 0 else { throw HarnessError("posix_spawn \(executable): \(String(cString: strerror(error)))") }
    return pid
}

func tool(_ name: String) -> String? {
    ["/usr/bin", "/bin", "/usr/sbin", "/sbin"].map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// A private tmux server with one shell window, for driving the real binary in a
/// real terminal. Each session has its own temp directory holding its socket
/// (`tmux -S`, not `-L`, which would leave it in /tmp/tmux-UID), removed at the end.
final class TmuxSession {
    let directory: URL
    var socket: String { directory.appendingPathComponent("tmux.sock").path }
    private let tmux: String

    init(columns: Int, rows: Int) throws {
        tmux = try #require(tool("tmux"), "tmux is not installed")
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try command([
            "new-session", "-d", "-s", "main", "-x", "\(columns)", "-y", "\(rows)", "env", "-i",
            "PATH=/usr/bin:/bin:/usr/sbin:/sbin", "HOME=\(directory.path)", "LANG=C.UTF-8", "TERM=tmux-256color",
            "XDG_DATA_HOME=\(directory.path)/data", "HISTFILE=/dev/null", "CTUTOR_LESSONS=\(Binary.lessons)", "PS1=$ ",
            "bash", "--norc", "--noprofile",
        ])
    }

    deinit {
        _ = try? command(["kill-server"])
        try? FileManager.default.removeItem(at: directory)
    }

    @discardableResult
    func command(_ arguments: [String]) throws -> String {
        let result = try run(tmux, ["-S", socket] + arguments)
        guard result.status == 0 else { throw HarnessError("tmux \(arguments.joined(separator: " ")): \(result.stderr)") }
        return result.stdout
    }

    /// Types a line into the shell.
    func type(_ line: String) throws {
        try command(["send-keys", "-t", "main", "-l", line])
        try command(["send-keys", "-t", "main", "Enter"])
    }

    /// Presses tmux key names (`Enter`, `Escape`, `C-c`, `q`).
    func press(_ keys: String...) throws {
        for key in keys { try command(["send-keys", "-t", "main", key]) }
    }

    func screen() throws -> String {
        try command(["capture-pane", "-p", "-t", "main"])
    }

    /// Waits until the screen contains `text` and has stopped changing (a frame can
    /// be captured half drawn); fails with the last screen otherwise.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 10, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            let current = try screen()
            if current.contains(text), current == last { return current }
            last = current
            usleep(50_000)
        }
        Issue.record("timed out waiting for \(text.debugDescription); screen was:\n\(last)", sourceLocation: sourceLocation)
        throw HarnessError("timeout")
    }

    /// Waits for a file the shell writes, and returns its contents.
    func waitForFile(_ name: String, timeout: TimeInterval = 10) throws -> String {
        let path = directory.appendingPathComponent(name).path
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), text.hasSuffix("\n") { return text }
            usleep(50_000)
        }
        throw HarnessError("\(name) was not written; screen:\n\((try? screen()) ?? "")")
    }

    /// The PID of the program running in the foreground of the shell.
    func foregroundPID() throws -> Int32 {
        let shell = try command(["list-panes", "-t", "main", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try run(try #require(tool("ps")), ["-o", "pid=", "--ppid", shell]).stdout
        return try #require(
            children.split(separator: "\n").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) }.first, "no foreground process")
    }

    /// `stty -a` flags of the pane's terminal, as the shell sees it now.
    func sttyFlags() throws -> Set<String> {
        let name = "stty-\(UUID().uuidString.prefix(6)).txt"
        try type("stty -a > \(directory.path)/\(name)")
        let text = try waitForFile(name)
        return Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// ctutor's cgroup directories (v1 and v2) that hold no process: what a container that
/// is gone would leave. Other tests' live containers are not counted, and neither is one
/// that only passes through the empty state (made and not yet joined, or exited and
/// being removed): a directory counts only if it stays empty for `patience`.
func emptyCtutorCgroups(patience: Duration = .seconds(10)) -> [String] {
    func empty() -> Set<String> {
        let roots = ["/sys/fs/cgroup/ctutor"]
            + ((try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []).map { "/sys/fs/cgroup/\($0)/ctutor" }
        return Set(
            roots.flatMap { root in
                ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasPrefix("ctutor-") }.map { root + "/" + $0 }
            }.filter { ((try? String(contentsOfFile: $0 + "/cgroup.procs", encoding: .utf8)) ?? "").isEmpty })
    }
    var suspects = empty()
    let deadline = ContinuousClock.now + patience
    while !suspects.isEmpty && ContinuousClock.now < deadline {
        usleep(200_000)
        suspects.formIntersection(empty())
    }
    return suspects.sorted()
}
