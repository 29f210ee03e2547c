import Engine
import Foundation
import Testing
import TutorCore

#if canImport(Glibc)
import Glibc
#endif

@Suite(
    "Cgroup namespace demo, as root", .serialized,
    .enabled(if: Witness.isRoot, "needs root on Linux: real mode and nsenter into the demo's cgroup namespace"))
struct CgroupNamespaceDemoRootTests {
    @Test(
        "the host reads the real cgroup path, a process entering the namespace reads /",
        arguments: [ModePreference.auto, .rootless])
    func seenFromOutside(_ preference: ModePreference) throws {
        var leftovers: Leftovers?
        var fromHost = ""
        var entered = ""
        var childCgroupNS = ""
        let report = CgroupNamespaceDemo(preference: preference).run { child in
            leftovers = try Leftovers.capture(child, demo: "cgroup")
            fromHost = try Witness.text("/proc/\(child.pid)/cgroup")
            childCgroupNS = try Witness.link("/proc/\(child.pid)/ns/cgroup")
            // nsenter's cat stays in our cgroup, which is the child's: inside it reads as the root.
            entered = try Witness.run("nsenter", ["-t", "\(child.pid)", "-C", "cat", "/proc/self/cgroup"]).output
        }
        let alive = try #require(leftovers, "the demo never ran: \(report.reason?.en ?? "")")
        Witness.expectSucceeded(report, preference: preference)
        let hostLines = fromHost.split(separator: "\n").map(String.init)
        let insideLines = entered.split(separator: "\n").map(String.init)
        #expect(report.observation("cgroup")?.host == hostLines.joined(separator: "\n"))
        #expect(report.observation("cgroup")?.inside == insideLines.joined(separator: "\n"))
        #expect(insideLines.allSatisfy { $0.hasSuffix(":/") })
        #expect(insideLines.count == hostLines.count, "one line per hierarchy on both sides (v1 has several)")
        #expect(try Witness.text("/proc/self/cgroup") == fromHost, "the child is in our cgroup; nothing was moved")
        let atRoot = hostLines.allSatisfy { $0.hasSuffix(":/") }
        #expect(report.observation("cgroup")?.expect == (atRoot ? .match : .differ))
        #expect(report.observation("cgroup-ns")?.inside == childCgroupNS)
        alive.expectGone()
    }
}

@Suite(
    "Cgroup namespace demo, unprivileged",
    .enabled(if: Witness.isLinux && !Witness.isRoot, "runs as a user other than root, on Linux"))
struct CgroupNamespaceDemoUnprivilegedTests {
    @Test("rootless when the machine allows it, otherwise unavailable with a reason")
    func autoMode() throws {
        var pid: Int32?
        let report = CgroupNamespaceDemo().run { pid = $0.pid }
        Witness.expectRootlessOrUnavailable(report, pid: pid)
    }
}
