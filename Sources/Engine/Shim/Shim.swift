import Foundation

#if os(Linux)
import CShim
import Glibc
#endif

/// `ctutor shim`, containerd-shim's role: one per container, between the manager
/// and the runtime. It runs in a session of its own, becomes a child subreaper, runs
/// the runtime's `create` and `start` as children (``RuntimeStep``, as containerd-shim runs runc),
/// holds the container's standard output and error (pipes it copies to a log file),
/// reaps the container's init when it exits and records how (`exit.json`), and answers
/// on a socket (``ShimRequest``). Whoever started it may stop: it runs on.
public struct ShimOptions: Sendable, Equatable {
    public var id: String
    /// The OCI bundle, absolute.
    public var bundle: String
    /// Where the container's output goes (appended).
    public var log: String
    public var runtimeRoot: RuntimeRoot
    /// Each chunk of output in the log behind Docker's 8-byte header (stream 1 or 2,
    /// three zero bytes, the size big-endian), so a reader can tell stdout from stderr;
    /// `false`: the two merged, raw.
    public var multiplexedLog: Bool

    public init(id: String, bundle: String, log: String, runtimeRoot: RuntimeRoot, multiplexedLog: Bool = false) {
        self.id = id
        self.bundle = bundle
        self.log = log
        self.runtimeRoot = runtimeRoot
        self.multiplexedLog = multiplexedLog
    }

    /// The arguments that start the serving half.
    var serveArguments: [String] {
        ["shim", "--serve", "--id", id, "--bundle", bundle, "--log", log, "--runtime-root", runtimeRoot.path]
            + (multiplexedLog ? ["--log-format", "multiplexed"] : [])
    }

    /// The options back from exactly the arguments ``serveArguments`` makes (absolute
    /// paths); `nil` for any other form. The shim is started once per container, so it
    /// parses these by hand rather than pay for ArgumentParser's reflection.
    public init?(serveArguments arguments: [String]) {
        guard arguments.count == 10 || arguments.count == 12, arguments[0] == "shim", arguments[1] == "--serve",
            arguments[2] == "--id", arguments[4] == "--bundle", arguments[6] == "--log", arguments[8] == "--runtime-root",
            [arguments[5], arguments[7], arguments[9]].allSatisfy({ $0.hasPrefix("/") })
        else { return nil }
        if arguments.count == 12 { guard arguments[10] == "--log-format", arguments[11] == "multiplexed" else { return nil } }
        self.init(
            id: arguments[3], bundle: arguments[5], log: arguments[7], runtimeRoot: RuntimeRoot(path: arguments[9]),
            multiplexedLog: arguments.count == 12)
    }
}

/// What a started shim reported once its container ran.
public struct ShimStarted: Equatable, Sendable {
    public var shimPID: Int32
    public var containerPID: Int32
    public var socket: String
}

public enum Shim {
    /// Starts the serving shim in a new session and waits until its container runs
    /// (or it failed, said in the error). The shim is this process's child until this
    /// process exits (`ctutor shim` exits at once, so its shim is reparented, as
    /// containerd-shim's `start` does); a caller that stays must reap it.
    public static func start(_ options: ShimOptions) throws -> ShimStarted {
        guard RuntimeRoot.isValidID(options.id) else { throw RuntimeError.invalid("\"\(options.id)\" is not a container id") }
        let ready = try Spawn.pipe()
        let pid: pid_t
        do {
            pid = try ShimSpawn.start(options.serveArguments, stdio: (-1, -1, -1), passed: ready.write, newSession: true)
        } catch {
            close(ready.read)
            close(ready.write)
            throw error
        }
        close(ready.write)
        defer { close(ready.read) }
        let line = try ShimLine.read(ready.read)
        let words = line.split(separator: " ")
        guard words.first == "ok", words.count == 2, let containerPID = Int32(words[1]) else {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            throw RuntimeError.failed(line.hasPrefix("error ") ? String(line.dropFirst(6)) : "the shim exited without a word")
        }
        return ShimStarted(shimPID: pid, containerPID: containerPID, socket: options.runtimeRoot.shimSocket(of: options.id))
    }

    /// The serving half (`ctutor shim --serve`, descriptor 3 the starter's pipe): starts
    /// the container, says `ok PID` or `error MESSAGE` on `ready`, then serves until the
    /// container has exited and been deleted. The process's exit status.
    public static func serve(_ options: ShimOptions, ready: Int32) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        let server: ShimServer
        do {
            guard ctutor_set_child_subreaper() == 0 else { throw SyscallError(call: "prctl PR_SET_CHILD_SUBREAPER", errno: errno) }
            server = try ShimServer.begin(options)
        } catch {
            tell(ready, "error \(error)")
            return 1
        }
        tell(ready, "ok \(server.initPID)")
        close(ready)
        server.run()
        return 0
    }

    private static func tell(_ fd: Int32, _ line: String) {
        let bytes = Array((line.replacingOccurrences(of: "\n", with: "; ") + "\n").utf8)
        _ = write(fd, bytes, bytes.count)
    }
}
