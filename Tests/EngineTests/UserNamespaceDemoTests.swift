import Engine
import Foundation
import Testing
import TutorCore

#if canImport(Glibc)
import Glibc
#endif

@Suite(
    "User namespace demo, as root", .serialized,
    .enabled(if: Witness.isRoot, "needs root on Linux: only root may map an unprivileged range, and nsenter into it"))
struct UserNamespaceDemoRootTests {
    private struct Sighting {
        var uidMap: [String] = []
        var gidMap: [String] = []
        var uid: [String] = []
        var capEff: [String] = []
        var enteredID = ""
        var lsns = ""
    }

    private func sight(_ pid: Int32) throws -> Sighting {
        var seen = Sighting()
        seen.uidMap = try Witness.text("/proc/\(pid)/uid_map").split(whereSeparator: \.isWhitespace).map(String.init)
        seen.gidMap = try Witness.text("/proc/\(pid)/gid_map").split(whereSeparator: \.isWhitespace).map(String.init)
        seen.uid = try Witness.status("Uid", pid: pid)
        seen.capEff = try Witness.status("CapEff", pid: pid)
        seen.enteredID = try Witness.run("nsenter", ["-t", "\(pid)", "-U", "id", "-u"]).output
        seen.lsns = try Witness.run("lsns", ["-p", "\(pid)", "-t", "user", "-n", "-o", "NS"]).output
        return seen
    }

    @Test("real mode: root inside is UID 100000 outside, by uid_map, status and nsenter")
    func realMode() throws {
        var leftovers: Leftovers?
        var seen = Sighting()
        let report = UserNamespaceDemo().run { child in
            leftovers = try Leftovers.capture(child, demo: "user")
            seen = try sight(child.pid)
        }
        let alive = try #require(leftovers, "the demo never ran: \(report.reason?.en ?? "")")
        Witness.expectSucceeded(report, preference: .auto)
        #expect(seen.uidMap == ["0", "100000", "65536"])
        #expect(seen.gidMap == ["0", "100000", "65536"])
        #expect(seen.uid == ["100000", "100000", "100000", "100000"])
        #expect(seen.enteredID == "0\n")
        #expect(report.observation("uid")?.host == "100000")
        #expect(report.observation("uid")?.inside == "0")
        #expect(report.observation("uid-map")?.host == "0 100000 65536")
        #expect(report.observation("user-ns")?.inside == "user:[\(seen.lsns.trimmingCharacters(in: .whitespacesAndNewlines))]")
        let lastCap = try #require(Int(try Witness.text("/proc/sys/kernel/cap_last_cap").trimmingCharacters(in: .whitespacesAndNewlines)))
        let all = String((UInt64(1) << UInt64(lastCap + 1)) - 1, radix: 16)
        #expect(seen.capEff.first.map { UInt64($0, radix: 16) } == UInt64(all, radix: 16), "every capability inside")
        #expect(report.observation("capabilities")?.inside?.hasSuffix("(\(lastCap + 1)/\(lastCap + 1))") == true)
        alive.expectGone()
    }

    @Test("rootless mode: root inside is the caller outside, as for an ordinary user")
    func rootlessMode() throws {
        var leftovers: Leftovers?
        var seen = Sighting()
        let report = UserNamespaceDemo(preference: .rootless).run { child in
            leftovers = try Leftovers.capture(child, demo: "user")
            seen = try sight(child.pid)
        }
        let alive = try #require(leftovers, "the demo never ran: \(report.reason?.en ?? "")")
        Witness.expectSucceeded(report, preference: .rootless)
        #expect(seen.uidMap == ["0", "\(geteuid())", "1"])
        #expect(seen.enteredID == "0\n")
        #expect(report.observation("uid")?.host == "\(geteuid())")
        #expect(report.observation("uid-map")?.host == "0 \(geteuid()) 1")
        #expect(report.observation("user-ns")?.differs == true)
        alive.expectGone()
    }
}

@Suite(
    "User namespace demo, unprivileged",
    .enabled(if: Witness.isLinux && !Witness.isRoot, "runs as a user other than root, on Linux"))
struct UserNamespaceDemoUnprivilegedTests {
    @Test("rootless when the machine allows it: root inside is this user outside, with every capability only there")
    func autoMode() throws {
        var pid: Int32?
        let report = UserNamespaceDemo().run { pid = $0.pid }
        Witness.expectRootlessOrUnavailable(report, pid: pid)
        if report.mode == .rootless {
            #expect(report.observation("uid")?.host == "\(getuid())")
            #expect(report.observation("uid")?.inside == "0")
            #expect(report.observation("capabilities")?.differs == true)
        }
    }
}
