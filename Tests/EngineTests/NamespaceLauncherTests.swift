import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// The launcher itself, checked from outside: what it makes, what it refuses, and
/// that the host is the same afterwards.
@Suite("Namespace launcher", .serialized, .enabled(if: Witness.isLinux, "namespaces are a Linux feature"))
struct NamespaceLauncherTests {
    /// root runs in the host's user namespace; anyone else needs a new one.
    private var userIfNeeded: Set<NamespaceKind> { Witness.isRoot ? [] : [.user] }

    @Test("a spec that would touch the host is refused before anything runs")
    func refusesHostChanges() {
        var hostname = LaunchSpec(namespaces: [.pid])
        hostname.hostname = "renamed"
        var mount = LaunchSpec(namespaces: [.uts])
        mount.mounts = [LaunchSpec.Mount(type: "tmpfs", source: "none", target: "/mnt")]
        var unprivate = LaunchSpec(namespaces: [.mnt])
        unprivate.mounts = mount.mounts
        var loopback = LaunchSpec(namespaces: [.uts])
        loopback.loopbackUp = true
        var clocks = LaunchSpec(namespaces: [.pid])
        clocks.clockOffsets = (monotonic: 1, boottime: 1)
        var joinHost = LaunchSpec(namespaces: [.uts])
        joinHost.join = [(.net, getpid())]
        let before = Witness.hostname()
        for spec in [hostname, mount, unprivate, loopback, clocks, joinHost] {
            #expect(throws: LaunchSpecError.self) { try NamespaceLauncher.launch(spec, record: nil) }
        }
        #expect(Witness.hostname() == before)
    }

    @Test("all eight namespaces at once: every /proc/<pid>/ns link differs from ours")
    func allEight() throws {
        try #require(FileManager.default.fileExists(atPath: "/proc/self/ns/time"), "this kernel has no time namespaces")
        var spec = LaunchSpec(namespaces: Set(NamespaceKind.allCases))
        spec.hostname = "eight"
        spec.readLinks = NamespaceKind.allCases.map { "/proc/self/ns/\($0.rawValue)" }
        let record = RunRecord.begin(demo: "test")
        defer { record.finish() }
        let process = try NamespaceLauncher.launch(spec, record: record)
        for kind in NamespaceKind.allCases {
            let theirs = try Witness.link("/proc/\(process.pid)/ns/\(kind.rawValue)")
            #expect(theirs != (try Witness.link("/proc/self/ns/\(kind.rawValue)")), "\(kind) is shared")
            // What it read from inside is what we read from outside.
            #expect(process.inside.links["/proc/self/ns/\(kind.rawValue)"] == theirs)
        }
        #expect(try Witness.status("NSpid", pid: process.pid) == ["\(process.pid)", "1"])
        #expect(process.inside.values["uid"] == "0")
        let exit = process.finish()
        #expect(exit.gone && exit.hostChanges.isEmpty)
        #expect(!Witness.exists(pid: process.pid))
        #expect(record.resources.isEmpty, "every recorded process was reaped")
    }

    @Test("a program runs inside; its output, exit status and a signal's 128+N come back")
    func execsAProgram() throws {
        var output: [Int32] = [-1, -1]
        #expect(pipe(&output) == 0)
        var spec = LaunchSpec(namespaces: userIfNeeded.union([.uts, .pid]))
        spec.hostname = "inside-host"
        spec.program = LaunchSpec.Program(path: "/bin/sh", arguments: ["sh", "-c", "hostname; echo $$; ls /proc/self/fd; exit 3"])
        let process = try NamespaceLauncher.launch(spec, record: nil, stdio: (-1, output[1], -1))
        close(output[1])
        let text = String(decoding: FileHandle(fileDescriptor: output[0], closeOnDealloc: true).readDataToEndOfFile(), as: UTF8.self)
        let exit = process.wait(timeout: .seconds(5))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "inside-host")
        #expect(lines.dropFirst().first == "1", "the program is PID 1 of its PID namespace")
        // Only stdio and ls's own directory descriptor: nothing of the tutor leaked in.
        #expect(Array(lines.dropFirst(2)).allSatisfy { ["0", "1", "2", "3"].contains($0) })
        #expect(exit.exitCode == 3)
        #expect(Witness.hostname() != "inside-host")

        // Not in a PID namespace of its own: there it would be PID 1, which ignores
        // SIGKILL sent from inside its namespace.
        var killed = LaunchSpec(namespaces: userIfNeeded.union([.uts]))
        killed.program = LaunchSpec.Program(path: "/bin/sh", arguments: ["sh", "-c", "kill -9 $$"])
        #expect(try NamespaceLauncher.launch(killed, record: nil).wait(timeout: .seconds(5)).exitCode == 128 + SIGKILL)
    }

    @Test("a failed call inside comes back named, with its errno")
    func namesTheFailedCall() {
        var spec = LaunchSpec(namespaces: userIfNeeded.union([.mnt]))
        spec.privateMounts = true
        spec.mounts = [LaunchSpec.Mount(type: "no-such-fs", source: "none", target: "/mnt")]
        #expect(throws: ChildFailure.syscall(SyscallError(call: "mount no-such-fs on /mnt", errno: ENODEV))) {
            try NamespaceLauncher.launch(spec, record: nil)
        }
        var missing = LaunchSpec(namespaces: userIfNeeded.union([.pid]))
        missing.program = LaunchSpec.Program(path: "/no/such/program")
        #expect(throws: ChildFailure.syscall(SyscallError(call: "execve /no/such/program", errno: ENOENT))) {
            try NamespaceLauncher.launch(missing, record: nil).wait(timeout: .seconds(5))
        }
    }

    @Test("clock offsets in a new time namespace: uptime inside is ahead by the offset")
    func timeOffsets() throws {
        try #require(FileManager.default.fileExists(atPath: "/proc/self/ns/time"), "this kernel has no time namespaces")
        var spec = LaunchSpec(namespaces: userIfNeeded.union([.time]))
        spec.clockOffsets = (monotonic: 86_400, boottime: 3 * 86_400)
        spec.readFiles = ["/proc/uptime"]
        let process = try NamespaceLauncher.launch(spec, record: nil)
        defer { process.finish() }
        let host = try #require(Double(try Witness.text("/proc/uptime").split(separator: " ")[0]))
        let inside = try #require(process.inside.files["/proc/uptime"]?.split(separator: " ").first.flatMap { Double($0) })
        #expect(abs(inside - host - 3 * 86_400) < 60)
        #expect(try Witness.text("/proc/\(process.pid)/timens_offsets").contains("boottime"))
    }

    @Test("a second process joins the first one's namespaces, as nsenter does")
    func joins() throws {
        var first = LaunchSpec(namespaces: userIfNeeded.union([.uts, .net]))
        first.hostname = "joined"
        let holder = try NamespaceLauncher.launch(first, record: nil)
        defer { holder.finish() }
        var second = LaunchSpec(namespaces: [])
        second.join = (Witness.isRoot ? [] : [(NamespaceKind.user, holder.pid)]) + [(.uts, holder.pid), (.net, holder.pid)]
        second.readLinks = ["/proc/self/ns/net"]
        let joiner = try NamespaceLauncher.launch(second, record: nil)
        #expect(joiner.inside.hostname == "joined")
        #expect(try Witness.link("/proc/\(joiner.pid)/ns/net") == (try Witness.link("/proc/\(holder.pid)/ns/net")))
        #expect(joiner.finish().gone)
    }
}

@Suite("Which program the launcher runs as")
struct LauncherExecutableTests {
    @Test("the small ctutor-launcher beside the binary when it is built, else the binary itself")
    func executable() {
        let running = (try? Witness.link("/proc/self/exe")) ?? ""
        let sibling = URL(fileURLWithPath: running).deletingLastPathComponent().appendingPathComponent("ctutor-launcher").path
        let expected = FileManager.default.isExecutableFile(atPath: sibling) ? sibling : "/proc/self/exe"
        #expect(NamespaceLauncher.executable == expected)
    }
}
