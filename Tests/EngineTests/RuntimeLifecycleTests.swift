import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// `ctutor runtime` through its engine API against hand-written bundles (ideas from
/// opencontainers/runtime-tools' validation: lifecycle, state, kill, hostname, mounts,
/// namespaces), witnessed from outside in /proc and the cgroup files.
@Suite(
    "OCI runtime lifecycle", .serialized,
    .enabled(if: Witness.isLinux && FileManager.default.fileExists(atPath: "/bin/busybox"), "needs Linux and busybox-static"))
struct RuntimeLifecycleTests {
    @Test("create → created (init blocked before exec) → start → running → kill → stopped → delete")
    func lifecycle() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        try fixture.write(["sleep", "30"])
        let state = try fixture.create("life")
        #expect(try fixture.status("life") == .created)
        // Blocked before execve: still the launcher, named ctutor-init, with the FIFO waiting.
        #expect(try Witness.text("/proc/\(state.pid)/comm") == "ctutor-init\n")
        #expect(FileManager.default.fileExists(atPath: fixture.root.execFifo(of: "life")))
        #expect(try Witness.text("/proc/\(state.pid)/cmdline").hasPrefix("ctutor-launcher"))

        try OCIRuntime.start(id: "life", root: fixture.root)
        #expect(try fixture.status("life") == .running)
        #expect(try Witness.text("/proc/\(state.pid)/comm") == "sleep\n")
        #expect(try Witness.text("/proc/\(state.pid)/cmdline") == "sleep\u{0}30\u{0}")
        #expect(!FileManager.default.fileExists(atPath: fixture.root.execFifo(of: "life")))
        #expect(throws: RuntimeError.wrongState(id: "life", status: .running, wanted: "created")) {
            try OCIRuntime.start(id: "life", root: fixture.root)
        }

        try OCIRuntime.kill(id: "life", signal: SIGKILL, root: fixture.root)
        #expect(fixture.awaitExit(state.pid))
        let oci = try fixture.root.ociState(of: "life")
        #expect(oci.status == .stopped && oci.pid == 0)
        #expect(fixture.reap(state.pid) == 128 + SIGKILL)

        try OCIRuntime.delete(id: "life", root: fixture.root, force: false)
        #expect(!FileManager.default.fileExists(atPath: fixture.root.directory(of: "life")))
        for path in state.cgroupPaths { #expect(!FileManager.default.fileExists(atPath: path)) }
        #expect(throws: RuntimeError.notFound(id: "life")) { try fixture.root.ociState(of: "life") }
    }

    @Test("the hostname of config.json, as the container prints it; its UTS namespace is not the host's")
    func hostname() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        try fixture.write(["hostname"])
        var output: [Int32] = [0, 0]
        #expect(pipe(&output) == 0)
        let state = try fixture.create("named", stdio: (-1, output[1], output[1]))
        close(output[1])
        // Before exec the init is not dumpable: only root may read its /proc/<pid>/ns.
        if Witness.isRoot { #expect(try Witness.link("/proc/\(state.pid)/ns/uts") != (try Witness.link("/proc/self/ns/uts"))) }
        try OCIRuntime.start(id: "named", root: fixture.root)
        #expect(readAll(output[0]) == "rtbox\n")
        close(output[0])
        #expect(fixture.reap(state.pid) == 0)
        #expect(Witness.hostname() != "rtbox")
    }

    @Test("a tmpfs of config.json's mounts is in the init's mountinfo, and not in the host's")
    func mounts() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        try fixture.write(["sleep", "30"]) {
            $0.mounts.append(OCISpec.Mount(destination: "/scratch", type: "tmpfs", source: "rtscratch", options: ["size=1m"]))
        }
        let state = try fixture.create("mounted")
        let lines = try Witness.text("/proc/\(state.pid)/mountinfo").split(separator: "\n")
        let scratch = try #require(lines.first { $0.split(separator: " ")[4] == "/scratch" }, "no /scratch in \(lines)")
        #expect(scratch.contains(" - tmpfs rtscratch "))
        #expect(!(try Witness.text("/proc/self/mountinfo")).contains("rtscratch"))
    }

    @Test("each namespace listed is new; each left out is the host's")
    func namespaces() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        let listed: [NamespaceKind] = Witness.isRoot ? [.mnt, .uts, .pid] : [.user, .mnt, .uts, .pid]
        try fixture.write(["sleep", "30"]) {
            $0.linux.namespaces = listed.map(OCISpec.Namespace.init)
            $0.mounts = [OCISpec.Mount(destination: "/proc", type: "proc", source: "proc")]
        }
        let state = try fixture.create("spaces")
        try OCIRuntime.start(id: "spaces", root: fixture.root)  // exec'd: dumpable again, its links readable by its owner
        for kind in ["mnt", "uts", "ipc", "pid", "net", "cgroup", "user"] {
            let theirs = try Witness.link("/proc/\(state.pid)/ns/\(kind)")
            let ours = try Witness.link("/proc/self/ns/\(kind)")
            let isListed = listed.contains { $0.rawValue == kind }
            #expect((theirs != ours) == isListed, "\(kind): \(theirs) vs \(ours)")
        }
    }

    @Test("memory and pids limits of config.json land in the container's cgroup files", .enabled(if: Witness.isRoot, "needs root: cgroups"))
    func limits() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        try fixture.write(["sleep", "30"]) {
            $0.linux.resources = OCISpec.Resources(memory: .init(limit: 64 << 20, swap: nil), pids: .init(limit: 20), cpu: nil)
        }
        let state = try fixture.create("limited")
        let memory = try #require(state.cgroupPaths.first { $0.contains("memory") || !$0.contains("/sys/fs/cgroup/pids") })
        let file = FileManager.default.fileExists(atPath: memory + "/memory.max") ? "/memory.max" : "/memory.limit_in_bytes"
        #expect(try Witness.text(memory + file).trimmingCharacters(in: .whitespacesAndNewlines) == "\(64 << 20)")
        let pids = try #require(state.cgroupPaths.first { $0.contains("pids") || FileManager.default.fileExists(atPath: $0 + "/pids.max") })
        #expect(try Witness.text(pids + "/pids.max").trimmingCharacters(in: .whitespacesAndNewlines) == "20")
        let procs = try Witness.text(memory + "/cgroup.procs").split(separator: "\n")
        #expect(procs.contains("\(state.pid)"))
    }

    @Test("kill by name reaches a trap; by number kills; a stopped container cannot be killed")
    func kill() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        try fixture.write(["sh", "-c", "trap 'exit 3' TERM; while :; do sleep 0.05; done"])
        let trapped = try fixture.create("trapped")
        try OCIRuntime.start(id: "trapped", root: fixture.root)
        usleep(200_000)  // the shell sets its trap
        try OCIRuntime.kill(id: "trapped", signal: try #require(RuntimeSignal.parse("SIGTERM")), root: fixture.root)
        #expect(fixture.reap(trapped.pid) == 3)
        #expect(throws: RuntimeError.wrongState(id: "trapped", status: .stopped, wanted: "created or running")) {
            try OCIRuntime.kill(id: "trapped", signal: SIGTERM, root: fixture.root)
        }
        try fixture.write(["sleep", "30"])
        let sleeper = try fixture.create("sleeper")
        try OCIRuntime.start(id: "sleeper", root: fixture.root)
        try OCIRuntime.kill(id: "sleeper", signal: try #require(RuntimeSignal.parse("9")), root: fixture.root)
        #expect(fixture.reap(sleeper.pid) == 137)
    }

    @Test("delete refuses a running container; --force kills it and removes everything")
    func forcedDelete() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        try fixture.write(["sleep", "30"])
        let state = try fixture.create("busy")
        try OCIRuntime.start(id: "busy", root: fixture.root)
        #expect(throws: RuntimeError.self) { try OCIRuntime.delete(id: "busy", root: fixture.root, force: false) }
        #expect(try fixture.status("busy") == .running)
        try OCIRuntime.delete(id: "busy", root: fixture.root, force: true)
        #expect(fixture.reap(state.pid) == 137)
        #expect(!Witness.exists(pid: state.pid))
        #expect(fixture.root.ids().isEmpty)
    }

    @Test("a program that is not there fails create, which leaves nothing")
    func missingProgram() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        try fixture.write(["no-such-program"])
        #expect {
            try fixture.create("missing")
        } throws: { error in
            "\(error)".contains("execve no-such-program") && "\(error)".contains("ENOENT")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.root.directory(of: "missing")))
        #expect(fixture.processesInside().isEmpty)
    }

    @Test("a container whose process is another user reaches its exec FIFO", .enabled(if: Witness.isRoot, "needs root: another user"))
    func otherUser() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.finish() }
        try fixture.write(["id", "-u"]) { $0.process.user = OCISpec.User(uid: 1000, gid: 1000, additionalGids: nil) }
        var output: [Int32] = [0, 0]
        #expect(pipe(&output) == 0)
        let state = try fixture.create("user", stdio: (-1, output[1], output[1]))
        close(output[1])
        try OCIRuntime.start(id: "user", root: fixture.root)
        #expect(readAll(output[0]) == "1000\n")
        close(output[0])
        #expect(fixture.reap(state.pid) == 0)
    }
}
