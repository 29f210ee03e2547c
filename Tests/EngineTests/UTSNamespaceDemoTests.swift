import Engine
import Foundation
import Testing
import TutorCore

#if canImport(Glibc)
import Glibc
#endif

/// What a test saw for itself while the demo's child was alive.
private struct Sighting {
    var pid: Int32
    var childUTS: String
    var ownUTS: String
    var childPIDNamespace: String
    var ownPIDNamespace: String
    var nsPID: [String]
}

/// Looks at the live child from outside, with Foundation and `nsenter`, and checks
/// the isolation the demo claims.
private func sight(_ child: NamespaceChild, hostname: String, hostHostname: String) throws -> Sighting {
    let sighting = Sighting(
        pid: child.pid,
        childUTS: try Witness.link("/proc/\(child.pid)/ns/uts"),
        ownUTS: try Witness.link("/proc/self/ns/uts"),
        childPIDNamespace: try Witness.link("/proc/\(child.pid)/ns/pid"),
        ownPIDNamespace: try Witness.link("/proc/self/ns/pid"),
        nsPID: try Witness.status("NSpid", pid: child.pid))
    #expect(sighting.childUTS != sighting.ownUTS)
    #expect(sighting.childPIDNamespace != sighting.ownPIDNamespace)
    #expect(sighting.nsPID.first == "\(child.pid)")
    #expect(sighting.nsPID.last == "1")

    let entered = try Witness.run("nsenter", ["-t", "\(child.pid)", "-u", "hostname"])
    #expect(entered.status == 0)
    #expect(entered.output == hostname + "\n")
    #expect(Witness.hostname() == hostHostname)
    return sighting
}

/// The report must say what the test saw, not something of its own.
private func expectReport(_ report: DemoReport, matches seen: Sighting, hostname: String, hostHostname: String) {
    #expect(report.demo == "uts")
    #expect(report.reason == nil, "\(report.reason?.en ?? "")")
    #expect(report.cleanupStatus == "ok")
    #expect(!Witness.exists(pid: seen.pid))
    #expect(Witness.hostname() == hostHostname)
    #expect(report.observation("hostname")?.host == hostHostname)
    #expect(report.observation("hostname")?.inside == hostname)
    #expect(report.observation("uts-ns")?.host == seen.ownUTS)
    #expect(report.observation("uts-ns")?.inside == seen.childUTS)
    #expect(report.observation("pid-ns")?.host == seen.ownPIDNamespace)
    #expect(report.observation("pid-ns")?.inside == seen.childPIDNamespace)
    #expect(report.observation("pid")?.host == "\(seen.pid)")
    #expect(report.observation("pid")?.inside == "1")
    #expect(report.steps.contains { $0.en.contains("clone(CLONE_PARENT) → host PID \(seen.pid),") })
    #expect(report.observation("kernel")?.expect == .match)
    #expect(report.observation("kernel")?.holds == true)
    #expect(report.succeeded)
}

private func uniqueHostname() -> String { "ctutor-t\(getpid())-\(Int.random(in: 1000...9999))" }

extension UTSChildrenWitnessed {
    @Suite(
        "UTS namespace demo, as root", .serialized,
        .enabled(if: Witness.isRoot, "needs root on Linux: clone(CLONE_NEWUTS|CLONE_NEWPID) requires CAP_SYS_ADMIN"))
    struct UTSNamespaceDemoRootTests {
        @Test("real mode: the child has its own hostname and is PID 1, seen from outside")
        func realMode() throws {
            let hostHostname = Witness.hostname()
            let hostname = uniqueHostname()
            var seen: Sighting?
            let report = UTSNamespaceDemo(hostname: hostname).run { child in
                seen = try sight(child, hostname: hostname, hostHostname: hostHostname)
            }
            let sighting = try #require(seen, "the child was never alive: \(report.reason?.en ?? "")")
            #expect(report.mode == .real)
            expectReport(report, matches: sighting, hostname: hostname, hostHostname: hostHostname)
            #expect(report.observation("uid") == nil)
            #expect(report.observation("user-ns") == nil)
        }

        @Test("rootless mode: root inside is our UID outside, in a user namespace of its own")
        func rootlessMode() throws {
            let hostHostname = Witness.hostname()
            let hostname = uniqueHostname()
            var seen: Sighting?
            var uidMap: [String] = []
            var gidMap: [String] = []
            var childUserNamespace = ""
            let report = UTSNamespaceDemo(hostname: hostname, preference: .rootless).run { child in
                seen = try sight(child, hostname: hostname, hostHostname: hostHostname)
                uidMap = try Witness.text("/proc/\(child.pid)/uid_map").split(whereSeparator: \.isWhitespace).map(String.init)
                gidMap = try Witness.text("/proc/\(child.pid)/gid_map").split(whereSeparator: \.isWhitespace).map(String.init)
                childUserNamespace = try Witness.link("/proc/\(child.pid)/ns/user")
            }
            let sighting = try #require(seen, "the child was never alive: \(report.reason?.en ?? "")")
            #expect(report.mode == .rootless)
            expectReport(report, matches: sighting, hostname: hostname, hostHostname: hostHostname)
            #expect(uidMap == ["0", "\(geteuid())", "1"])
            #expect(gidMap == ["0", "\(getegid())", "1"])
            #expect(childUserNamespace != (try Witness.link("/proc/self/ns/user")))
            #expect(report.observation("uid")?.host == "\(geteuid())")
            #expect(report.observation("uid")?.inside == "0")
            #expect(report.observation("user-ns")?.inside == childUserNamespace)
        }

        @Test("the catalog runs the same demo")
        func catalog() throws {
            var pid: Int32?
            let report = try #require(DemoCatalog.run("uts") { pid = $0.pid })
            #expect(report.mode == .real)
            #expect(report.observation("hostname")?.inside == "ctutor-demo")
            #expect(report.observation("pid")?.host == pid.map { "\($0)" })
            #expect(report.cleanupStatus == "ok")
        }

        @Test("a child that does not exit in time is killed and reaped")
        func stoppedChildIsKilled() throws {
            var pid: Int32?
            let report = UTSNamespaceDemo().run { child in
                pid = child.pid
                // Stopped, it cannot see its sync socket close.
                #expect(kill(child.pid, SIGSTOP) == 0)
            }
            let childPID = try #require(pid)
            #expect(report.reason == nil)
            #expect(report.cleanupStatus == "ok")
            #expect(!Witness.exists(pid: childPID))
            #expect(
                report.steps.map(\.en).contains(
                    "no exit within 2 s: kill(\(childPID), SIGKILL); waitpid(\(childPID)) → killed by signal \(SIGKILL)"))
        }

        @Test("no process or namespace is left behind, even when whileAlive throws", arguments: [ModePreference.auto, .rootless])
        func nothingLeftBehind(_ preference: ModePreference) throws {
            struct Interrupted: Error {}
            // Other suites run beside this one and have children in namespaces of
            // their own: what is checked is this demo's child and its namespace.
            var pids: [Int32] = []
            var namespaces: [String] = []
            let watch = { (child: NamespaceChild) throws in
                pids.append(child.pid)
                namespaces.append(try Witness.link("/proc/\(child.pid)/ns/uts"))
                #expect(try Witness.isolatedChildren().contains(child.pid))
            }

            let interrupted = UTSNamespaceDemo(preference: preference).run { child in
                try watch(child)
                throw Interrupted()
            }
            #expect(interrupted.reason?.en.contains("Interrupted") == true)
            #expect(interrupted.mode != .unavailable)
            #expect(interrupted.observations.count >= 4, "observations made before the throw are kept")
            #expect(interrupted.cleanupStatus == "ok")

            let completed = UTSNamespaceDemo(preference: preference).run(whileAlive: watch)
            #expect(completed.reason == nil)
            #expect(completed.cleanupStatus == "ok")

            #expect(pids.count == 2)
            #expect(try Set(Witness.isolatedChildren()).isDisjoint(with: pids))
            for pid in pids { #expect(!Witness.exists(pid: pid)) }
            let inUse = Set(Witness.processes().compactMap(\.uts))
            #expect(inUse.isDisjoint(with: namespaces), "a process is still in the demo's UTS namespace")
        }
    }
}

@Suite(
    "UTS namespace demo, unprivileged",
    .enabled(if: Witness.isLinux && !Witness.isRoot, "runs as a user other than root, on Linux"))
struct UTSNamespaceDemoUnprivilegedTests {
    @Test("rootless when the machine allows it, otherwise unavailable with the probe's reason")
    func autoMode() throws {
        var pid: Int32?
        let report = UTSNamespaceDemo().run { pid = $0.pid }
        #expect(report.cleanupStatus == "ok")
        switch report.mode {
        case .rootless:
            #expect(report.reason == nil, "\(report.reason?.en ?? "")")
            let childPID = try #require(pid)
            #expect(!Witness.exists(pid: childPID))
            #expect(report.observation("uid")?.host == "\(getuid())")
            #expect(report.observation("uid")?.inside == "0")
            #expect(report.observation("pid")?.inside == "1")
            #expect(report.observation("hostname")?.inside == "ctutor-demo")
            #expect(report.observation("uts-ns")?.differs == true)
        case .unavailable:
            #expect(pid == nil)
            #expect(report.observations.isEmpty)
            let reason = try #require(report.reason)
            #expect(report.remedy != nil)
            if case .blocked(let probeReason, _) = MachineProbe.current().userNamespaces {
                #expect(reason.en.contains(probeReason.en))
            }
        case .real:
            Issue.record("an unprivileged user cannot run in real mode")
        }
    }
}

@Suite("Demo catalog")
struct DemoCatalogTests {
    @Test("lists the demos in course order with a title and summary in both languages, and no unknown id runs")
    func listing() {
        #expect(
            DemoCatalog.all.map(\.id)
                == [
                    "os", "process", "threads", "pid", "uts", "ipc", "mnt", "net", "user", "cgroup", "time", "namespaces", "container",
                    "versions", "layers", "forkbomb", "oom", "cpu", "container-net", "virt", "docker-chain",
                ])
        #expect(DemoCatalog.all.allSatisfy { !$0.title.ko.isEmpty && !$0.summary.ko.isEmpty && !$0.summary.en.isEmpty })
        #expect(DemoCatalog.run("no-such-demo") == nil)
    }
}
