import Engine
import Foundation
import Testing
import TutorCore

#if canImport(Glibc)
import Glibc
#endif

@Suite(
    "Mount namespace demo, as root", .serialized,
    .enabled(if: Witness.isRoot, "needs root on Linux: real mode and findmnt/nsenter into the demo's mount namespace"))
struct MountNamespaceDemoRootTests {
    /// Host mountinfo lines of the demo's tmpfs (none, ever).
    private func demoMountsOnHost(_ target: String) throws -> [Substring] {
        try Witness.text("/proc/self/mountinfo").split(separator: "\n").filter {
            $0.split(separator: " ")[4] == target && $0.contains(" - tmpfs ctutor-demo ")
        }
    }

    @Test(
        "the tmpfs is in the child's mount namespace only, as findmnt and nsenter see it",
        arguments: [ModePreference.auto, .rootless])
    func seenFromOutside(_ preference: ModePreference) throws {
        let demo = MountNamespaceDemo(preference: preference)
        let target = demo.target
        var leftovers: Leftovers?
        var findmntInside = ""
        var enteredMountinfo = ""
        var hostHasIt = true
        var childRoot = ""
        let report = demo.run { child in
            leftovers = try Leftovers.capture(child, demo: "mnt")
            let inside = try Witness.run("findmnt", ["-N", "\(child.pid)", "-n", "-o", "TARGET,FSTYPE,SOURCE", target])
            #expect(inside.status == 0)
            findmntInside = inside.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            enteredMountinfo = try Witness.run("nsenter", ["-t", "\(child.pid)", "-m", "cat", "/proc/self/mountinfo"]).output
            hostHasIt = !(try demoMountsOnHost(target)).isEmpty
            childRoot = try Witness.run("findmnt", ["-N", "\(child.pid)", "-n", "-o", "PROPAGATION", "/"]).output
        }
        let seen = try #require(leftovers, "the demo never ran: \(report.reason?.en ?? "")")
        Witness.expectSucceeded(report, preference: preference)
        #expect(findmntInside == "\(target) tmpfs ctutor-demo")
        #expect(enteredMountinfo.contains(" \(target) ") && enteredMountinfo.contains(" - tmpfs ctutor-demo "))
        #expect(!hostHasIt)
        #expect(childRoot.trimmingCharacters(in: .whitespacesAndNewlines) == "private")
        #expect(report.observation("tmpfs")?.inside?.hasPrefix("\(target) tmpfs ctutor-demo ") == true)
        #expect(report.observation("tmpfs")?.host == "-" || report.observation("tmpfs")?.host?.contains("ctutor-demo") == false)
        #expect(report.observation("propagation")?.inside == "private")
        let hostRoot = try Witness.run("findmnt", ["-n", "-o", "PROPAGATION", "/"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(report.observation("propagation")?.expect == (hostRoot == "private" ? .match : .differ))

        seen.expectGone()
        #expect(try demoMountsOnHost(target).isEmpty, "no mount at \(target) in the host's mountinfo")
    }
}

@Suite(
    "Mount namespace demo, unprivileged",
    .enabled(if: Witness.isLinux && !Witness.isRoot, "runs as a user other than root, on Linux"))
struct MountNamespaceDemoUnprivilegedTests {
    @Test("rootless when the machine allows it, otherwise unavailable with a reason")
    func autoMode() throws {
        var pid: Int32?
        let report = MountNamespaceDemo().run { pid = $0.pid }
        Witness.expectRootlessOrUnavailable(report, pid: pid)
    }
}
