import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// The cgroup tests' own eyes: plain reads of `/proc/self/mountinfo`, `/proc/<pid>/cgroup`
/// and the kernel's cgroup files at the places ctutor documents, independent of the
/// engine's layout code.
enum CgroupWitness {
    /// The v1 hierarchies mounted here, as controller → mount point (from `mountinfo`'s
    /// super options, its last field).
    static let v1MountPoints: [String: String] = {
        var found: [String: String] = [:]
        let text = (try? Witness.text("/proc/self/mountinfo")) ?? ""
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), fields.count > dash + 3, fields[dash + 1] == "cgroup" else { continue }
            for option in fields[dash + 3].split(separator: ",") where found[String(option)] == nil {
                found[String(option)] = String(fields[4])
            }
        }
        return found
    }()

    static let machine = MachineProbe.current().cgroups

    /// What the cgroup2 root offers (`cgroup.controllers`), wherever cgroup2 is mounted.
    static let v2Controllers: Set<String> = {
        let root = machine == .v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified"
        return Set(((try? Witness.text(root + "/cgroup.controllers")) ?? "").split(whereSeparator: \.isWhitespace).map(String.init))
    }()

    /// Root makes v1 cgroups here: memory, pids and cpu each in a mounted v1 hierarchy.
    static let v1Ready =
        Witness.isRoot && (machine == .v1 || machine == .hybrid)
        && ["memory", "pids", "cpu"].allSatisfy { v1MountPoints[$0] != nil }
    static let v1Reason: Comment = "needs root on a cgroup v1/hybrid machine with memory, pids and cpu hierarchies mounted"

    /// Root makes v2 cgroups with limits here: a v2 machine whose root offers memory, pids and cpu.
    static let v2Ready = Witness.isRoot && machine == .v2 && ["memory", "pids", "cpu"].allSatisfy(v2Controllers.contains)
    static let v2Reason: Comment = """
        needs root on a cgroup v2 machine offering memory, pids and cpu; on a v1/hybrid machine the cgroup2 tree \
        (/sys/fs/cgroup/unified) offers none: the kernel binds each controller to one hierarchy, and v1 holds them
        """

    /// Either: the kernel tests that work on both versions run.
    static let kernelReady = v1Ready || v2Ready
    static let kernelReason: Comment = "needs root on a machine whose cgroups (v1 or v2) offer memory, pids and cpu"

    /// A name no other test or run uses.
    static func uniqueName(_ purpose: String) -> String {
        "test-\(purpose)-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Where ctutor documents a container's cgroup for `controller`: v1
    /// `<mount>/ctutor/<name>`, v2 `/sys/fs/cgroup/ctutor/<name>`.
    static func directory(_ controller: String, name: String) -> String {
        if machine == .v2 { return "/sys/fs/cgroup/ctutor/\(name)" }
        return "\(v1MountPoints[controller] ?? "/nonexistent")/ctutor/\(name)"
    }

    /// A kernel file of the container's cgroup, trimmed: `file("memory.max", name: …)`.
    static func file(_ file: String, name: String) throws -> String {
        let controller = String(file.prefix { $0 != "." })
        return try Witness.text(directory(controller, name: name) + "/" + file).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The `key value` pair of a file such as `pids.events` or `memory.oom_control`.
    static func value(_ key: String, in file: String, name: String) throws -> Int64? {
        let lines = try self.file(file, name: name).split(separator: "\n")
        let fields = lines.map { $0.split(separator: " ") }.first { $0.count == 2 && $0[0] == key }
        return fields.flatMap { Int64($0[1]) }
    }

    /// The controllers whose hierarchies the container's process must be in.
    static var joinedControllers: [String] {
        machine == .v2 ? [""] : ["memory", "pids", "cpu", "cpuacct", "freezer"].filter { v1MountPoints[$0] != nil }
    }

    /// The path `/proc/<pid>/cgroup` gives for each of `joinedControllers`.
    static func memberships(_ pid: Int32) -> [String: String] {
        var paths: [String: String] = [:]
        for line in ((try? Witness.text("/proc/\(pid)/cgroup")) ?? "").split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            for controller in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                paths[String(controller)] = String(parts[2])
            }
        }
        return paths
    }

    /// Waits until `pid` is in `/ctutor/<name>` in the hierarchy of each of `controllers`
    /// (`""` for cgroup2), as its `/proc/<pid>/cgroup` says.
    static func waitUntilJoined(_ pid: Int32, name: String, controllers: [String] = joinedControllers) -> Bool {
        for _ in 0..<300 {
            let paths = memberships(pid)
            if controllers.allSatisfy({ paths[$0] == "/ctutor/\(name)" }) { return true }
            usleep(10_000)
        }
        return false
    }

    /// Every process on the system that `/proc/<pid>/cgroup` puts in `/ctutor/<name>`.
    static func members(name: String) -> [Int32] {
        Witness.processes().map(\.pid).filter { memberships($0).values.contains("/ctutor/\(name)") }
    }

    /// `sh -c` that first writes its own PID into each of the container's `cgroup.procs`
    /// files, as the runtime's container process does, then runs `script`.
    static func joinedShell(_ script: String, cgroup: ContainerCgroup) -> [String] {
        ["sh", "-c", "for f do echo $$ > \"$f\" || exit 3; done; " + script, "sh"] + cgroup.procsFiles
    }

    /// The shared `ctutor` parent is gone, or still holds some other container's cgroup.
    static func parentNotLeftEmpty(_ directory: String) -> Bool {
        let parent = (directory as NSString).deletingLastPathComponent
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return true }
        return entries.contains { entry in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: parent + "/" + entry, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }
}
