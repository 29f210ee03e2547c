import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// The container demos, each checked by the test's own witnesses while the
/// containers live (`/proc/<pid>/root`, `/proc/<pid>/status`, the cgroup files the
/// kernel keeps, `ip` in the container's namespace), and for what they leave: nothing.
@Suite(
    "Container demos", .serialized,
    .enabled(if: Witness.isLinux && FileManager.default.fileExists(atPath: "/bin/busybox"), "needs Linux and busybox-static"))
struct ContainerDemoTests {
    /// Runs a demo; `look` sees its containers' host PIDs while they live.
    func run(_ demo: any Demo.Type, look: @escaping ([Int32]) throws -> Void) throws -> DemoReport {
        let report = demo.init(preference: .auto).run { child in try look([child.pid] + child.others) }
        return report
    }

    /// What is left of containers on the host after a demo: none of its processes.
    func expectGone(_ pids: [Int32], sourceLocation: SourceLocation = #_sourceLocation) {
        for pid in pids { #expect(!Witness.exists(pid: pid), "process \(pid) is still there", sourceLocation: sourceLocation) }
    }

    @Test("container: PID 1, its own root without the host's files, Docker's capabilities, no_new_privs")
    func container() throws {
        var seen: [Int32] = []
        let report = try run(ContainerDemo.self) { pids in
            seen = pids
            let pid = try #require(pids.first)
            #expect(try Witness.status("NSpid", pid: pid).last == "1")
            #expect(try Witness.status("NoNewPrivs", pid: pid) == ["1"])
            let capEff = try #require(UInt64(try Witness.status("CapEff", pid: pid).first ?? "", radix: 16))
            #expect(capEff.nonzeroBitCount == 14, "CapEff \(String(capEff, radix: 16))")
            let root = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/root")
            #expect(root.contains("bin") && !root.contains("work") && !root.contains("opt"), "\(root)")
            #expect(try Witness.link("/proc/\(pid)/ns/mnt") != (try Witness.link("/proc/self/ns/mnt")))
        }
        Witness.expectSucceeded(report, preference: Witness.isRoot ? ModePreference.auto : .rootless)
        #expect(report.observation("pid")?.inside == "1")
        expectGone(seen)
    }

    @Test("versions: each app's root holds its own C, the host none, both at once")
    func versions() throws {
        var versions: [String] = []
        let report = try run(VersionsDemo.self) { pids in
            #expect(pids.count == 2)
            versions = try pids.map { try Witness.text("/proc/\($0)/root/opt/c/VERSION").trimmingCharacters(in: .whitespacesAndNewlines) }
            #expect(pids.allSatisfy(Witness.exists(pid:)))
        }
        Witness.expectSucceeded(report, preference: Witness.isRoot ? ModePreference.auto : .rootless)
        #expect(versions.count == 2 && versions[0].hasPrefix("5.") && versions[1].hasPrefix("6."), "\(versions)")
        #expect(!FileManager.default.fileExists(atPath: "/opt/c/VERSION"))
    }

    @Test("layers: a file deleted inside is gone from the container's root, and still in the image's layer")
    func layers() throws {
        var lower: [String] = []
        let report = try run(LayersDemo.self) { pids in
            let pid = try #require(pids.first)
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)/root/bin/vi"))
            #expect(FileManager.default.fileExists(atPath: "/proc/\(pid)/root/root/note.txt"))
            let mounts = try Witness.text("/proc/\(pid)/mountinfo")
            let root = try #require(mounts.split(separator: "\n").first { $0.split(separator: " ")[4] == "/" })
            #expect(root.contains(" - overlay overlay "), "\(root)")
            lower = root.split(separator: ",").first { $0.contains("lowerdir=") }.map { String($0.split(separator: "=")[1]) }.map { [$0] } ?? []
        }
        Witness.expectSucceeded(report, preference: Witness.isRoot ? ModePreference.auto : .rootless)
        let layer = try #require(lower.first)
        #expect(FileManager.default.fileExists(atPath: layer + "/bin/vi"), "the image's layer lost /bin/vi")
    }

    /// The container's own cgroup directory in one v1 hierarchy, or on v2, from /proc/<pid>/cgroup.
    static func cgroupDirectory(of pid: Int32, controller: String) throws -> String {
        let lines = try Witness.text("/proc/\(pid)/cgroup").split(separator: "\n")
        // Inside a new cgroup namespace the path reads "/"; the host sees it from outside.
        if let line = lines.first(where: { $0.split(separator: ":")[1].split(separator: ",").contains(Substring(controller)) }) {
            return "/sys/fs/cgroup/\(controller)" + line.split(separator: ":", maxSplits: 2)[2]
        }
        let unified = try #require(lines.first { $0.hasPrefix("0::") })
        return "/sys/fs/cgroup" + unified.dropFirst(3)
    }

    @Test("forkbomb: the kernel's pids files hold at 64, and the cgroup is gone afterwards", .enabled(if: Witness.isRoot, "cgroup limits need root on cgroup v1"))
    func forkbomb() throws {
        var directory = ""
        let report = try run(ForkBombDemo.self) { pids in
            directory = try Self.cgroupDirectory(of: try #require(pids.first), controller: "pids")
            #expect(try Witness.text(directory + "/pids.max").trimmingCharacters(in: .whitespacesAndNewlines) == "64")
            // The kernel refused forks at the limit; the highest count it saw is the limit.
            let events = try Witness.text(directory + "/pids.events")
            #expect((Int(events.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0) > 0, "\(events)")
            if let peak = try? Witness.text(directory + "/pids.peak") {
                #expect(peak.trimmingCharacters(in: .whitespacesAndNewlines) == "64")
            }
        }
        Witness.expectSucceeded(report, preference: Witness.isRoot ? ModePreference.auto : .rootless)
        #expect(!directory.isEmpty && !FileManager.default.fileExists(atPath: directory))
    }

    @Test("oom: the hog is killed inside its cgroup (137), the test process lives on", .enabled(if: Witness.isRoot, "cgroup limits need root on cgroup v1"))
    func oom() throws {
        let report = OOMDemo(preference: .auto).run()
        Witness.expectSucceeded(report, preference: Witness.isRoot ? ModePreference.auto : .rootless)
        #expect(report.observation("exit")?.inside == "137")
        #expect(Int(report.observation("oom-kills")?.inside ?? "") ?? 0 >= 1)
    }

    @Test("container-net: two bridged containers, each with its address; their veths are gone afterwards", .enabled(if: Witness.isRoot, "a bridge needs root"))
    func containerNet() throws {
        var addresses: [String] = []
        var veths: [String] = []
        let report = try run(ContainerNetDemo.self) { pids in
            #expect(pids.count == 2)
            addresses = try pids.map { pid in
                try Witness.run("nsenter", ["-t", "\(pid)", "-n", "ip", "-o", "-4", "addr", "show", "eth0"]).output
            }
            // Each container's eth0 is the peer of a host veth on ctutor0 (another run may have its own there too).
            let ports = try Witness.run("ip", ["-o", "link", "show", "master", "ctutor0"]).output
            veths = ports.split(separator: "\n").compactMap { $0.split(separator: ":").dropFirst().first?.split(separator: "@").first }
                .map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(veths.count >= 2, "\(ports)")
        }
        Witness.expectSucceeded(report, preference: Witness.isRoot ? ModePreference.auto : .rootless)
        #expect(addresses.count == 2 && addresses[0] != addresses[1] && addresses.allSatisfy { $0.contains("inet ") })
        let ours = report.cleanup.compactMap { $0.resource.en.split(separator: " ").dropFirst().first.map(String.init) }.filter { $0.hasPrefix("ctv") }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
        #expect(ours.count == 2 && Set(ours).isSubset(of: veths), "\(ours) \(veths)")
        for veth in ours { #expect(try Witness.run("ip", ["link", "show", veth]).status != 0, "\(veth) is still there") }
    }

    @Test("limits and a bridge as an unprivileged user: refused with the reason, nothing made", .enabled(if: !Witness.isRoot, "runs as an unprivileged user (the CI runs it as one)"))
    func rootlessRefusals() {
        for demo in [ForkBombDemo.self, ContainerNetDemo.self] as [any Demo.Type] {
            let report = demo.init(preference: .auto).run(whileAlive: nil)
            if report.mode == .unavailable {
                #expect(report.reason != nil && report.remedy != nil)
                #expect(report.cleanup.isEmpty || report.cleanedUp)
            } else {
                Witness.expectSucceeded(report, preference: .rootless)  // a delegated cgroup v2 lets the limits run
            }
        }
    }
}
