import Engine
import Foundation
import Testing
import TutorCore

#if canImport(Glibc)
import Glibc
#endif

@Suite(
    "PID namespace demo, as root", .serialized,
    .enabled(if: Witness.isRoot, "needs root on Linux: real mode and nsenter into the demo's namespaces"))
struct PIDNamespaceDemoRootTests {
    @Test(
        "PID 1 inside, another PID outside; /proc inside lists only the namespace's two processes",
        arguments: [ModePreference.auto, .rootless])
    func seenFromOutside(_ preference: ModePreference) throws {
        var leftovers: Leftovers?
        var first: Int32 = 0
        var second: Int32 = 0
        var listedInside: [Int] = []
        var firstNSpid: [String] = []
        var secondNSpid: [String] = []
        var namespaceInode = ""
        var hostProcesses = 0
        let procMountsBefore = try procMounts()
        let report = PIDNamespaceDemo(preference: preference).run { child in
            leftovers = try Leftovers.capture(child, demo: "pid")
            first = child.pid
            second = try #require(child.others.first, "the second process is alive too")
            firstNSpid = try Witness.status("NSpid", pid: first)
            secondNSpid = try Witness.status("NSpid", pid: second)
            namespaceInode = try Witness.link("/proc/\(first)/ns/pid")
            #expect(try Witness.link("/proc/\(second)/ns/pid") == namespaceInode)
            #expect(namespaceInode != (try Witness.link("/proc/self/ns/pid")))
            // nsenter's own ls is a third process in the namespace, with the next PID.
            let entered = try Witness.run("nsenter", ["-t", "\(first)", "-p", "-m", "ls", "/proc"])
            #expect(entered.status == 0)
            listedInside = entered.output.split(separator: "\n").compactMap { Int($0) }.sorted()
            let lsns = try Witness.run("lsns", ["-p", "\(first)", "-t", "pid", "-n", "-o", "NPROCS"])
            #expect(lsns.output.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
            hostProcesses = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { Int($0) != nil }.count
        }
        let seen = try #require(leftovers, "the demo never ran: \(report.reason?.en ?? "")")
        Witness.expectSucceeded(report, preference: preference)
        #expect(firstNSpid == ["\(first)", "1"])
        #expect(secondNSpid == ["\(second)", "2"])
        #expect(listedInside.count == 3 && listedInside.prefix(2) == [1, 2], "\(listedInside)")
        #expect(hostProcesses > 3)

        #expect(report.observation("pid-ns")?.inside == namespaceInode)
        #expect(report.observation("pid")?.host == "\(first)")
        #expect(report.observation("pid")?.inside == "1")
        #expect(report.observation("nspid")?.host == "NSpid: \(first) 1")
        #expect(report.observation("nspid")?.inside == "NSpid: 1")
        #expect(report.observation("second-pid")?.host == "\(second)")
        #expect(report.observation("second-pid")?.inside == "2")
        #expect(report.observation("processes")?.inside == "2 (1, 2)")
        #expect(Int(report.observation("processes")?.host ?? "") ?? 0 > 3)
        #expect(report.observation("members")?.expect == .match)
        #expect(report.observation("members")?.inside == "2 (1, 2)")
        #expect(report.steps.contains { $0.en == "launcher: setns(/proc/\(first)/ns/pid) to enter it" })

        seen.expectGone()
        #expect(try procMounts() == procMountsBefore, "the fresh /proc stayed inside")
    }

    /// The host's mounts at /proc.
    private func procMounts() throws -> [String] {
        try Witness.text("/proc/self/mountinfo").split(separator: "\n").filter { $0.split(separator: " ")[4] == "/proc" }
            .map(String.init)
    }
}

@Suite(
    "PID namespace demo, unprivileged",
    .enabled(if: Witness.isLinux && !Witness.isRoot, "runs as a user other than root, on Linux"))
struct PIDNamespaceDemoUnprivilegedTests {
    @Test("rootless when the machine allows it, otherwise unavailable with a reason")
    func autoMode() throws {
        var pid: Int32?
        let report = PIDNamespaceDemo().run { pid = $0.pid }
        Witness.expectRootlessOrUnavailable(report, pid: pid)
        if report.mode == .rootless {
            #expect(report.observation("pid")?.inside == "1")
            #expect(report.observation("members")?.inside == "2 (1, 2)")
        }
    }
}
