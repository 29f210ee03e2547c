import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// The lab checkers against real kernel state: each makes the state with the
/// launcher (or a real process), sees the check pass, takes the state down and sees
/// it fail. The scope is this test process and its children (the launcher's
/// isolated processes are our children), with our namespaces as the base, so other
/// processes on the machine never count.
@Suite("Lab checkers", .serialized, .enabled(if: Witness.isLinux, "namespaces are a Linux feature"))
struct LabCheckerTests {
    private var userIfNeeded: Set<NamespaceKind> { Witness.isRoot ? [] : [.user] }
    private let home: URL
    private let checker: LabChecker

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-labcheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        checker = LabChecker(scope: LabScope(kind: .sandbox(shellPID: getpid()), home: home.path))
    }

    private func cleanUp() {
        try? FileManager.default.removeItem(at: home)
    }

    private func uniqueName(_ prefix: String) -> String {
        "\(prefix)\(UInt16.random(in: 0...UInt16.max))"
    }

    @Test("a new UTS namespace: process, hostname and noted inodes pass, then fail once it is gone")
    func utsNamespace() throws {
        defer { cleanUp() }
        let comm = uniqueName("labt-")
        let hostname = uniqueName("lab-host-")
        var spec = LaunchSpec(namespaces: userIfNeeded.union([.uts]))
        spec.name = comm
        spec.hostname = hostname
        let process = try NamespaceLauncher.launch(spec, record: nil)
        let newInode = try ProcFS.namespace(.uts, pid: process.pid).inode
        let ourInode = try ProcFS.namespace(.uts).inode
        try "uts:[\(newInode)]\nuts:[\(ourInode)]\n".write(to: home.appendingPathComponent("uts.txt"), atomically: true, encoding: .utf8)
        try "uts:[\(ourInode)]\n".write(to: home.appendingPathComponent("half.txt"), atomically: true, encoding: .utf8)

        let inNew = LabCheck.process(comm: comm, newNamespaces: ["uts"], nsPID: nil, minThreads: nil)
        let inNewPID = LabCheck.process(comm: comm, newNamespaces: ["pid"], nsPID: nil, minThreads: nil)
        let named = LabCheck.hostname(equals: hostname)
        let noted = LabCheck.namespaceInodesNoted(kind: "uts", path: "~/uts.txt")
        let half = LabCheck.namespaceInodesNoted(kind: "uts", path: "~/half.txt")
        let passing = checker.evaluate([inNew, named, noted])
        #expect(passing.allSatisfy { $0.passed }, "\(passing)")
        #expect(passing[1].saw.en.contains("'\(hostname)'") && passing[1].saw.en.contains("'\(Witness.hostname())'"))
        #expect(!checker.evaluate(inNewPID).passed, "it is in our PID namespace")
        #expect(!checker.evaluate(half).passed)
        #expect(!checker.evaluate(.hostname(equals: "not-\(hostname)")).passed)

        #expect(process.finish().gone)
        let failing = checker.evaluate([inNew, named, noted])
        #expect(failing.allSatisfy { !$0.passed }, "\(failing)")
        #expect(failing[0].saw.en.contains("No '\(comm)' process"))
    }

    @Test("a tmpfs in a new mount namespace, and a file only that namespace sees")
    func mountNamespace() throws {
        defer { cleanUp() }
        let target = home.appendingPathComponent("mnt").path
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        var spec = LaunchSpec(namespaces: userIfNeeded.union([.mnt]))
        spec.privateMounts = true
        spec.mounts = [LaunchSpec.Mount(type: "tmpfs", source: "none", target: target)]
        let process = try NamespaceLauncher.launch(spec, record: nil)
        let mounted = LabCheck.mount(fstype: "tmpfs", target: target)
        #expect(checker.evaluate(mounted).passed, "\(checker.evaluate(mounted))")
        #expect(!checker.evaluate(.mount(fstype: "overlay", target: target)).passed)
        // The tmpfs is empty: a file written on the host side lies under it, unseen inside.
        try "hello\n".write(toFile: target + "/note", atomically: true, encoding: .utf8)
        #expect(checker.evaluate(.file(path: "~/mnt/note", contains: "hello", fact: nil, maxSize: nil, inNewMountNamespace: false)).passed)
        #expect(process.finish().gone)
        #expect(!checker.evaluate(mounted).passed)
    }

    @Test("lo up in a new network namespace: its address and link are seen through /proc/<pid>/net")
    func networkNamespace() throws {
        defer { cleanUp() }
        var spec = LaunchSpec(namespaces: userIfNeeded.union([.net]))
        spec.loopbackUp = true
        let process = try NamespaceLauncher.launch(spec, record: nil)
        let address = LabCheck.address(ip: "127.0.0.1", inNew: true)
        let link = LabCheck.link(name: "lo", inNew: true, minReceivedPackets: nil)
        #expect(checker.evaluate([address, link]).allSatisfy { $0.passed })
        #expect(!checker.evaluate(.address(ip: "10.9.8.7", inNew: true)).passed)
        #expect(!checker.evaluate(.link(name: "veth-none", inNew: true, minReceivedPackets: nil)).passed)
        #expect(!checker.evaluate(.neighbor(ip: "10.9.8.7", inNew: true)).passed)
        #expect(process.finish().gone)
        #expect(checker.evaluate([address, link]).allSatisfy { !$0.passed })
    }

    @Test("a process's soft limit, PID and thread count, as /proc shows them")
    func limitsAndFacts() throws {
        defer { cleanUp() }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "ulimit -n 48; exec sleep 30"]
        try child.run()
        defer {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
        }
        var seen = false
        for _ in 0..<100 where !seen {
            seen = (try? ProcFS.readFile("/proc/\(child.processIdentifier)/comm")) == "sleep\n"
            if !seen { usleep(20000) }
        }
        try #require(seen, "the child never became sleep")
        #expect(checker.evaluate(.rlimit(comm: "sleep", resource: "nofile", atMost: 48)).passed)
        #expect(!checker.evaluate(.rlimit(comm: "sleep", resource: "nofile", atMost: 47)).passed)
        try "\(child.processIdentifier)\n".write(to: home.appendingPathComponent("sleep.pid"), atomically: true, encoding: .utf8)
        try "1\n".write(to: home.appendingPathComponent("threads.txt"), atomically: true, encoding: .utf8)
        try "\(child.processIdentifier + 1)\n".write(to: home.appendingPathComponent("wrong.pid"), atomically: true, encoding: .utf8)
        func fact(_ path: String, _ fact: LabFact) -> LabCheck {
            .file(path: path, contains: nil, fact: fact, maxSize: nil, inNewMountNamespace: false)
        }
        #expect(checker.evaluate(fact("~/sleep.pid", .pidOf("sleep"))).passed)
        #expect(checker.evaluate(fact("~/threads.txt", .threadsOf("sleep"))).passed)
        #expect(!checker.evaluate(fact("~/wrong.pid", .pidOf("sleep"))).passed)
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(!checker.evaluate(fact("~/sleep.pid", .pidOf("sleep"))).passed, "no sleep runs any more")
        #expect(!checker.evaluate(.rlimit(comm: "sleep", resource: "nofile", atMost: 48)).passed)
    }

    @Test("kernel facts a learner writes down are compared with the kernel's own")
    func kernelFacts() throws {
        defer { cleanUp() }
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        try "\(release)\n".write(to: home.appendingPathComponent("release.txt"), atomically: true, encoding: .utf8)
        try "0.0.0-not-this\n".write(to: home.appendingPathComponent("other.txt"), atomically: true, encoding: .utf8)
        let right = LabCheck.file(path: "~/release.txt", contains: nil, fact: .kernelRelease, maxSize: nil, inNewMountNamespace: false)
        let wrong = LabCheck.file(path: "~/other.txt", contains: nil, fact: .kernelRelease, maxSize: nil, inNewMountNamespace: false)
        #expect(checker.evaluate(right).passed)
        #expect(!checker.evaluate(wrong).passed)
        #expect(!checker.evaluate(.file(path: "~/release.txt", contains: nil, fact: nil, maxSize: 1, inNewMountNamespace: false)).passed)
        #expect(!checker.evaluate(.file(path: "~/absent.txt", contains: "x", fact: nil, maxSize: nil, inNewMountNamespace: false)).passed)
    }
}
