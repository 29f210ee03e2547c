import Foundation
import Testing

/// `ctutor run`, `ps`, `stop`, `logs`, `rm` as a learner types them, each in a data
/// directory of its own; every test ends with nothing of the container left: no
/// process, cgroup, mount, directory or record.
@Suite(
    .serialized, .enabled(if: Binary.available, Binary.missingReason),
    .enabled(if: FileManager.default.fileExists(atPath: "/bin/busybox"), "needs busybox-static for the busybox image"))
struct ContainerCommandTests {
    /// A private data directory (its own image store and containers).
    struct Home {
        let path: String
        var environment: [String: String] {
            ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8", "HOME": path, "XDG_DATA_HOME": path + "/data"]
        }

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-home-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        func ctutor(_ arguments: [String], input: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
            try run(Binary.path!, arguments, input: input, environment: environment)
        }

        /// What is left of containers: directories in the store.
        var containers: [String] {
            (try? FileManager.default.contentsOfDirectory(atPath: path + "/data/ctutor/containers")) ?? []
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }

        /// Starts `ctutor ARGUMENTS` without waiting: a first terminal.
        func start(_ arguments: [String]) throws -> pid_t {
            try spawn(Binary.path!, arguments, environment: environment.map { "\($0.key)=\($0.value)" })
        }
    }

    @Test("run --rm busybox -- sh -c 'echo $$' prints 1, and leaves nothing")
    func pidOne() throws {
        let home = try Home()
        defer { home.remove() }
        let result = try home.ctutor(["run", "--rm", "busybox", "--", "sh", "-c", "echo $$"])
        #expect(result.stdout == "1\n", "\(result.stderr)")
        #expect(result.status == 0)
        #expect(home.containers.isEmpty)
    }

    @Test("the exit status passes through: a code, 127 for a missing command, 125 for a wrong option")
    func exitStatus() throws {
        let home = try Home()
        defer { home.remove() }
        #expect(try home.ctutor(["run", "--rm", "busybox", "--", "sh", "-c", "exit 7"]).status == 7)
        let missing = try home.ctutor(["run", "--rm", "busybox", "--", "no-such-command"])
        #expect(missing.status == 127)
        #expect(missing.stderr.contains("no-such-command"))
        let wrong = try home.ctutor(["run", "--memory", "lots", "busybox"])
        #expect(wrong.status == 125)
        #expect(wrong.stderr.contains("--memory lots") && wrong.stderr.contains("ctutor run --help"))
        #expect(home.containers.isEmpty)
    }

    @Test("--rootfs runs a directory as it is, as runc does")
    func rootfsDirectory() throws {
        let home = try Home()
        defer { home.remove() }
        let root = home.path + "/root"
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: root + "/bin/busybox")
        try FileManager.default.createSymbolicLink(atPath: root + "/bin/sh", withDestinationPath: "busybox")
        try Data("a plain directory\n".utf8).write(to: URL(fileURLWithPath: root + "/marker"))
        let result = try home.ctutor(["run", "--rm", "--rootfs", root, "--", "sh", "-c", "echo $$; busybox cat /marker"])
        #expect(result.stdout == "1\na plain directory\n", "\(result.stderr)")
        #expect(result.status == 0)
    }

    @Test("hostname, environment, workdir and a read-only volume")
    func options() throws {
        let home = try Home()
        defer { home.remove() }
        let shared = home.path + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        try Data("from the host\n".utf8).write(to: URL(fileURLWithPath: shared + "/note"))
        chmod(home.path, 0o755)
        let result = try home.ctutor([
            "run", "--rm", "--hostname", "box", "--env", "GREETING=hi", "--workdir", "/data", "--volume", "\(shared):/data:ro",
            "busybox", "--", "sh", "-c", "hostname; echo $GREETING; pwd; cat note; touch x 2>/dev/null && echo writable || echo read-only",
        ])
        #expect(result.stdout == "box\nhi\n/data\nfrom the host\nread-only\n", "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared) == ["note"])
    }

    @Test("a volume's target cannot climb out of the root with ..")
    func volumeTargetStaysInside() throws {
        let home = try Home()
        defer { home.remove() }
        let shared = home.path + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        let escape = "/../../../../../tmp/ctutor-escape-\(UUID().uuidString)"
        let result = try home.ctutor(["run", "--rm", "--volume", "\(shared):\(escape)", "busybox", "--", "sh", "-c", "echo ok"])
        #expect(result.stdout == "ok\n", "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp" + escape.split(separator: "/").last.map { "/" + $0 }!))
    }

    @Test("ps, logs, stop and rm from a second terminal")
    func lifecycle() throws {
        let home = try Home()
        defer { home.remove() }
        let name = "web-\(getpid())"
        // The first terminal: a container that prints and then waits.
        let pid = try home.start(["run", "--name", name, "busybox", "--", "sh", "-c", "echo started; sleep 60"])
        defer {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        var listed = ""
        for _ in 0..<100 {
            listed = try home.ctutor(["ps"]).stdout
            if listed.contains(name) { break }
            usleep(50_000)
        }
        #expect(listed.contains(name) && listed.contains("Up "), "\(listed)")
        for _ in 0..<100 where try home.ctutor(["logs", name]).stdout != "started\n" { usleep(50_000) }
        #expect(try home.ctutor(["logs", name]).stdout == "started\n")
        #expect(try home.ctutor(["rm", name]).status == 1, "rm refuses a running container without -f")
        let stopped = try home.ctutor(["stop", "-t", "1", name])
        #expect(stopped.status == 0, "\(stopped.stderr)")
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        #expect((status >> 8) & 0xff == 137, "sh as PID 1 ignores SIGTERM, so stop ends it with SIGKILL")
        let all = try home.ctutor(["ps", "-a"]).stdout
        #expect(all.contains(name) && all.contains("Exited (137)"), "\(all)")
        #expect(!(try home.ctutor(["ps"]).stdout.contains(name)))
        #expect(try home.ctutor(["rm", name]).status == 0)
        #expect(home.containers.isEmpty)
        #expect(try home.ctutor(["logs", name]).stderr.contains("no such container"))
    }

    @Test("memory and pids limits hold, inside the container only", .enabled(if: geteuid() == 0, "cgroup limits need root here"))
    func limits() throws {
        let home = try Home()
        defer { home.remove() }
        let hog = try home.ctutor(["run", "--rm", "--memory", "32M", "busybox", "--", "sh", "-c", "x=a; while true; do x=$x$x; done"])
        #expect(hog.status == 137)
        #expect(hog.stderr.contains("OOM"), "\(hog.stderr)")
        // 40 background sleeps against a limit of 20: the forks past it fail, and the shell says so.
        let bomb = try home.ctutor(["run", "--rm", "--pids", "20", "busybox", "--", "sh", "-c", "for i in $(seq 40); do sleep 5 & done"])
        #expect(bomb.stderr.contains("can't fork"), "\(bomb.stderr)")
        #expect(emptyCtutorCgroups().isEmpty, "left: \(emptyCtutorCgroups())")
    }

    @Test("SIGKILL of ctutor run leaves nothing a sweep cannot release", .enabled(if: geteuid() == 0, "uses a cgroup limit, which needs root here"))
    func killedRun() throws {
        let home = try Home()
        defer { home.remove() }
        let pid = try home.start(["run", "--rm", "--memory", "64M", "busybox", "--", "sh", "-c", "echo up; sleep 60"])
        var running = false
        for _ in 0..<100 {
            if try home.ctutor(["ps", "-q"]).stdout.count >= 12 { running = true; break }
            usleep(50_000)
        }
        #expect(running)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let sweep = try home.ctutor(["doctor", "--cleanup"])
        #expect(sweep.status == 0, "\(sweep.stdout)\(sweep.stderr)")
        #expect(emptyCtutorCgroups().isEmpty, "left: \(emptyCtutorCgroups())")
        #expect(home.containers.isEmpty, "left: \(home.containers)")
        // The container's processes die with its PID namespace, a moment after its init.
        var left = true
        for _ in 0..<50 where left {
            left = try run(tool("ps")!, ["-eo", "args"]).stdout.split(separator: "\n").contains { $0.hasPrefix("sleep 60") }
            if left { usleep(100_000) }
        }
        #expect(!left, "the container's sleep outlived its ctutor run")
    }
}
