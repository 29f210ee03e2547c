import TutorCore

/// Where a container's cgroups go on cgroup v1: `<mount>/ctutor/<name>` in each
/// mounted hierarchy that holds a controller ctutor uses. A hierarchy may hold several
/// (`cpu,cpuacct` mounted together): it gets one directory.
struct CgroupV1Layout {
    /// One mounted v1 hierarchy: where, and the controllers it holds.
    struct Hierarchy: Equatable {
        var mountPoint: String
        var controllers: Set<String>
    }

    var hierarchies: [Hierarchy]

    /// memory, pids and cpu for the limits; cpuacct for the CPU time used (a hierarchy
    /// of its own on some machines); freezer to stop a fork bomb before killing it.
    static let used = ["memory", "pids", "cpu", "cpuacct", "freezer"]

    /// The v1 hierarchies in a `mountinfo` text. The controllers are in the super
    /// options, the last field: `rw,cpu,cpuacct`. A hierarchy mounted twice counts once.
    static func hierarchies(mountinfo: String) -> [Hierarchy] {
        var found: [Hierarchy] = []
        for line in mountinfo.split(separator: "\n") {
            guard let entry = MountInfoEntry(line: line), entry.fsType == "cgroup",
                let superOptions = line.split(separator: " ").last
            else { continue }
            let controllers = Set(superOptions.split(separator: ",").map(String.init))
            if !found.contains(where: { $0.controllers == controllers }) {
                found.append(Hierarchy(mountPoint: entry.mountPoint, controllers: controllers))
            }
        }
        return found
    }

    /// What making `name` with `limits` takes.
    func plan(name: String, limits: ResourceLimits) throws(CgroupError) -> CgroupPlan {
        var filesByPrefix: [String: String] = [:]
        var directories: [String] = []
        var steps: [CgroupStep] = []
        for controller in Self.used {
            guard let mountPoint = mountPoint(of: controller) else { continue }
            let leaf = mountPoint + "/ctutor/" + name
            filesByPrefix[controller] = leaf
            if directories.contains(leaf) { continue }
            directories.append(leaf)
            steps += [.makeDirectory(mountPoint + "/ctutor", shared: true), .makeDirectory(leaf, shared: false)]
        }
        if let missing = limits.controllers.sorted().first(where: { filesByPrefix[$0.rawValue] == nil }) {
            throw Self.refusal(missing)
        }
        if let bytes = limits.memoryBytes, let memory = filesByPrefix["memory"], let root = mountPoint(of: "memory") {
            steps.append(.write("\(bytes)", to: memory + "/memory.limit_in_bytes"))
            // Memory plus swap capped at the memory limit: no swap, so a container over
            // its limit is OOM-killed. Without swap accounting (no memsw files), a
            // swappiness of 0 keeps the cgroup's pages out of swap instead.
            if CgroupFS.exists(root + "/memory.memsw.limit_in_bytes") {
                steps.append(.write("\(bytes)", to: memory + "/memory.memsw.limit_in_bytes"))
            } else {
                steps.append(.write("0", to: memory + "/memory.swappiness"))
            }
            steps.append(.enableOOMKiller(in: memory))
        }
        if let pids = limits.pidsMax, let directory = filesByPrefix["pids"] {
            steps.append(.write("\(pids)", to: directory + "/pids.max"))
        }
        if let quota = limits.cpuQuotaMicroseconds, let directory = filesByPrefix["cpu"] {
            // The period first: the quota is checked against it.
            steps.append(.write("\(ResourceLimits.cpuPeriodMicroseconds)", to: directory + "/cpu.cfs_period_us"))
            steps.append(.write("\(quota)", to: directory + "/cpu.cfs_quota_us"))
        }
        return CgroupPlan(version: .v1, steps: steps, directories: directories, filesByPrefix: filesByPrefix)
    }

    /// Where the hierarchy holding `controller` is mounted.
    private func mountPoint(of controller: String) -> String? {
        hierarchies.first { $0.controllers.contains(controller) }?.mountPoint
    }

    /// A limit whose controller no mounted hierarchy holds.
    private static func refusal(_ controller: CgroupController) -> CgroupError {
        .refused(
            reason: Localized(
                ko: "\(controller.rawValue) 컨트롤러를 가진 cgroup v1 계층이 마운트되어 있지 않습니다",
                en: "no cgroup v1 hierarchy with the \(controller.rawValue) controller is mounted"),
            remedy: Localized(
                ko: "마운트하세요: sudo mkdir -p /sys/fs/cgroup/\(controller.rawValue) && "
                    + "sudo mount -t cgroup -o \(controller.rawValue) cgroup /sys/fs/cgroup/\(controller.rawValue). "
                    + "아니면 그 제한 없이 실행하세요.",
                en: "Mount it: sudo mkdir -p /sys/fs/cgroup/\(controller.rawValue) && "
                    + "sudo mount -t cgroup -o \(controller.rawValue) cgroup /sys/fs/cgroup/\(controller.rawValue), "
                    + "or run without that limit."))
    }
}
