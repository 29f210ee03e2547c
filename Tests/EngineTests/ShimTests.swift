import CShim
import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// `ctutor shim` as the built binary runs it: a daemon in a session of its own that
/// outlives its starter, the container's subreaper, its output in the log, its exit
/// status recorded and served on the socket; and after a shim is SIGKILLed,
/// `ctutor runtime delete` leaves nothing.
@Suite(
    "Shim", .serialized,
    .enabled(if: Witness.isLinux && FileManager.default.fileExists(atPath: "/bin/busybox"), "needs Linux and busybox-static"),
    .enabled(if: Witness.ctutorBinary != nil, Witness.noBinaryReason))
struct ShimTests {
    /// Runs the built ctutor to its end: its PID, exit status and output (standard output and error).
    func ctutor(_ arguments: [String]) throws -> (pid: pid_t, status: Int32, output: String) {
        let binary = try #require(Witness.ctutorBinary)
        var output: [Int32] = [0, 0]
        #expect(pipe(&output) == 0)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        // Every other descriptor closed in the child: a test copying busybox beside this
        // one would otherwise see ETXTBSY for as long as the child held its write end.
        #expect(ctutor_role_spawn(binary, argv, environ, -1, output[1], output[1], -1, 0, &pid) == 0)
        close(output[1])
        let text = readAll(output[0])
        close(output[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (pid, (status >> 8) & 0xff, text)
    }

    func startShim(_ fixture: RuntimeFixture, id: String) throws -> (starter: pid_t, shim: ShimRecord, log: String) {
        let log = fixture.directory + "/\(id).log"
        let started = try ctutor(["shim", "--id", id, "--bundle", fixture.bundle, "--log", log, "--runtime-root", fixture.root.path])
        #expect(started.status == 0, "\(started.output)")
        #expect(started.output == fixture.root.shimSocket(of: id) + "\n")
        let shim = try #require(fixture.root.shim(of: id))
        return (started.pid, shim, log)
    }

    /// `(state, parent, session)` of `/proc/<pid>/stat`.
    func stat(_ pid: Int32) throws -> (state: String, parent: Int32, session: Int32) {
        let text = try Witness.text("/proc/\(pid)/stat")
        let fields = text[text.index(after: try #require(text.lastIndex(of: ")")))...].split(separator: " ")
        return (String(fields[0]), Int32(fields[1]) ?? 0, Int32(fields[3]) ?? 0)
    }

    /// Gone (or a zombie holding nothing but its PID) within five seconds.
    func vanishes(_ pid: Int32, start: UInt64) -> Bool {
        for _ in 0..<250 {
            if ProcessStart.of(pid) != start || (try? stat(pid).state) == "Z" { return true }
            usleep(20_000)
        }
        return false
    }

    @Test("the shim outlives its starter, reaps the container as its subreaper, logs its output, records and serves its exit")
    func lifecycle() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        try fixture.write(["sh", "-c", "echo out; echo err >&2; sleep 1; exit 7"])
        let (starter, shim, log) = try startShim(fixture, id: "shim-held")
        #expect(shim.isAlive)
        let shimStat = try stat(shim.pid)
        #expect(shimStat.parent != starter && shimStat.session == shim.pid, "the shim runs on, in a session of its own")
        let state = try fixture.root.load("shim-held")
        #expect(try stat(state.pid).parent == shim.pid, "the container's init is the shim's child, by subreaping")

        let exit = try ShimClient.send(.wait, socket: shim.socket)
        #expect(exit.hasPrefix(#"{"exitStatus":7,"exitedAt":""#))
        #expect(fixture.root.exit(of: "shim-held")?.exitStatus == 7)
        #expect(try Witness.text(log).split(separator: "\n").sorted() == ["err", "out"])
        #expect(try ShimClient.send(.state, socket: shim.socket).contains(#""status":"stopped""#))
        #expect(throws: ShimProtocolError.self) { try ShimClient.send(.kill(signal: "TERM"), socket: shim.socket) }
        #expect(try ShimClient.send(.delete, socket: shim.socket) == "ok")
        #expect(vanishes(shim.pid, start: shim.pidStart))
        #expect(!FileManager.default.fileExists(atPath: fixture.root.directory(of: "shim-held")))
        for path in state.cgroupPaths { #expect(!FileManager.default.fileExists(atPath: path)) }
    }

    @Test("the runtime's create and start are children of the shim that exit: the container's init is left, with nothing of the shim's open")
    func runtimeStepsLeaveOnlyTheInit() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        try fixture.write(["sleep", "30"])
        let (_, shim, _) = try startShim(fixture, id: "shim-steps")
        let state = try fixture.root.load("shim-steps")
        let children = try Witness.text("/proc/\(shim.pid)/task/\(shim.pid)/children").split(separator: " ")
        #expect(children == ["\(state.pid)"], "the create and start children have exited; the init is the shim's only child")
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(state.pid)/fd").sorted()
        #expect(open == ["0", "1", "2"], "no descriptor of the shim (its socket, log, or its starter's pipe) reaches the container")
        #expect(try ShimClient.send(.kill(signal: "KILL"), socket: shim.socket) == "ok")
        #expect(try ShimClient.send(.wait, socket: shim.socket).hasPrefix(#"{"exitStatus":137,"#))
        #expect(try ShimClient.send(.delete, socket: shim.socket) == "ok")
        #expect(vanishes(shim.pid, start: shim.pidStart))
    }

    @Test("kill over the socket reaches the container; wait answers with its status")
    func killThroughSocket() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        try fixture.write(["sh", "-c", "trap 'exit 3' TERM; while :; do sleep 0.05; done"])
        let (_, shim, _) = try startShim(fixture, id: "shim-trapped")
        #expect(try ShimClient.send(.state, socket: shim.socket).contains(#""status":"running""#))
        #expect(throws: ShimProtocolError(message: "the container is running: kill it first")) {
            try ShimClient.send(.delete, socket: shim.socket)
        }
        usleep(200_000)  // the shell sets its trap
        #expect(try ShimClient.send(.kill(signal: "SIGTERM"), socket: shim.socket) == "ok")
        #expect(try ShimClient.send(.wait, socket: shim.socket).hasPrefix(#"{"exitStatus":3,"#))
        #expect(try ShimClient.send(.delete, socket: shim.socket) == "ok")
        #expect(vanishes(shim.pid, start: shim.pidStart))
    }

    @Test("a container that cannot be created: the shim says why (the runtime's own error) and leaves nothing")
    func failedCreate() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        try fixture.write(["no-such-program"])
        let started = try ctutor(
            [
                "shim", "--id", "shim-failed", "--bundle", fixture.bundle, "--log", fixture.directory + "/log", "--runtime-root",
                fixture.root.path,
            ])
        #expect(started.status == 1)
        #expect(started.output.hasPrefix("ctutor shim: ctutor runtime: execve no-such-program"), "\(started.output)")
        #expect(!FileManager.default.fileExists(atPath: fixture.root.directory(of: "shim-failed")))
    }

    @Test("a SIGKILLed shim leaves its container running; runtime delete then leaves nothing")
    func deadShim() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        try fixture.write(["sleep", "30"])
        let (_, shim, _) = try startShim(fixture, id: "shim-orphan")
        let state = try fixture.root.load("shim-orphan")
        #expect(kill(shim.pid, SIGKILL) == 0)
        #expect(vanishes(shim.pid, start: shim.pidStart))
        #expect(try fixture.status("shim-orphan") == .running, "the container outlives its shim")

        let deleted = try ctutor(["runtime", "--root", fixture.root.path, "delete", "shim-orphan"])
        #expect(deleted.status == 0)
        #expect(vanishes(state.pid, start: state.pidStart))
        for path in state.cgroupPaths { #expect(!FileManager.default.fileExists(atPath: path), "cgroup \(path)") }
        #expect(!FileManager.default.fileExists(atPath: fixture.root.directory(of: "shim-orphan")))
        #expect(!(try Witness.text("/proc/self/mountinfo")).contains(fixture.directory))
    }
}
