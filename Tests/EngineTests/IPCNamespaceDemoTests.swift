import Engine
import Foundation
import Testing
import TutorCore

#if canImport(Glibc)
import Glibc
#endif

@Suite(
    "IPC namespace demo, as root", .serialized,
    .enabled(if: Witness.isRoot, "needs root on Linux: real mode and nsenter into the demo's IPC namespace"))
struct IPCNamespaceDemoRootTests {
    @Test(
        "each side's queue is listed only on its own side, by ipcs on the host and ipcs through nsenter",
        arguments: [ModePreference.auto, .rootless])
    func seenFromOutside(_ preference: ModePreference) throws {
        var leftovers: Leftovers?
        var onHost: [String] = []
        var inside: [String] = []
        var childIPC = ""
        let report = IPCNamespaceDemo(preference: preference).run { child in
            leftovers = try Leftovers.capture(child, demo: "ipc")
            childIPC = try Witness.link("/proc/\(child.pid)/ns/ipc")
            let host = try Witness.run("ipcs", ["-q"])
            #expect(host.status == 0)
            onHost = Witness.ipcsQueues(host.output)
            let entered = try Witness.run("nsenter", ["-t", "\(child.pid)", "-i", "ipcs", "-q"])
            #expect(entered.status == 0)
            inside = Witness.ipcsQueues(entered.output)
        }
        let seen = try #require(leftovers, "the demo never ran: \(report.reason?.en ?? "")")
        Witness.expectSucceeded(report, preference: preference)
        let hostQueue = try #require(report.observation("host-queue")?.host)
        let insideQueue = try #require(report.observation("inside-queue")?.inside)
        #expect(hostQueue.hasPrefix("0x00000000 "), "made with IPC_PRIVATE")
        #expect(onHost.contains(hostQueue))
        #expect(!onHost.contains(insideQueue))
        #expect(inside == [insideQueue], "a new IPC namespace holds only the queue made in it")
        #expect(report.observation("host-queue")?.inside == "-")
        #expect(report.observation("inside-queue")?.host == "-")
        #expect(report.observation("ipc-ns")?.inside == childIPC)
        #expect(childIPC != (try Witness.link("/proc/self/ns/ipc")))

        seen.expectGone()
        let msqid = try #require(hostQueue.split(separator: " ").last.map(String.init))
        let left = try Witness.text("/proc/sysvipc/msg").split(separator: "\n").dropFirst()
            .map { $0.split(whereSeparator: \.isWhitespace) }.filter { $0.count > 1 && $0[1] == msqid }
        #expect(left.isEmpty, "the host's queue \(msqid) was removed")
        #expect(report.cleanup.contains { $0.resource.en.hasPrefix("message queue msqid \(msqid) on the host") && $0.released })
    }
}

@Suite(
    "IPC namespace demo, unprivileged",
    .enabled(if: Witness.isLinux && !Witness.isRoot, "runs as a user other than root, on Linux"))
struct IPCNamespaceDemoUnprivilegedTests {
    @Test("rootless when the machine allows it, otherwise unavailable with a reason")
    func autoMode() throws {
        var pid: Int32?
        let report = IPCNamespaceDemo().run { pid = $0.pid }
        Witness.expectRootlessOrUnavailable(report, pid: pid)
    }
}
