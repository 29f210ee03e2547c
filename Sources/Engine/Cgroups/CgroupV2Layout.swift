import TutorCore

/// Where a container's cgroup goes on cgroup v2: `<base>/ctutor/<name>`, with the
/// controllers it needs enabled on the way down. One hierarchy, one directory.
///
/// `base` is the root of the hierarchy for root (`/sys/fs/cgroup`), or the cgroup
/// delegated to an unprivileged user (``RootlessDelegation``).
struct CgroupV2Layout {
    var base: String

    /// What making `name` with `limits` takes, read from the tree as it is now.
    func plan(name: String, limits: ResourceLimits) throws(CgroupError) -> CgroupPlan {
        let offered = Self.controllers(offeredIn: base)
        let missing = limits.controllers.subtracting(offered)
        if let controller = missing.min() { throw refusal(controller, offered: offered) }
        // memory and pids cost nothing and give the statistics their usage figures.
        // cpu only when a limit needs it: enabling it fails while a realtime process
        // runs outside the root cgroup, and cpu.stat's usage is there without it.
        let enabled = limits.controllers.union(offered.intersection([.memory, .pids])).sorted()
        let parent = base + "/ctutor"
        let leaf = parent + "/" + name
        var steps: [CgroupStep] = [
            .enableControllers(enabled, in: base),
            .makeDirectory(parent, shared: true),
            .enableControllers(enabled, in: parent),
            .makeDirectory(leaf, shared: false),
        ]
        if let bytes = limits.memoryBytes {
            steps.append(.write("\(bytes)", to: leaf + "/memory.max"))
            // No swap: a container over its limit is OOM-killed, not swapped out.
            steps.append(.writeIfPresent("0", to: leaf + "/memory.swap.max"))
            // memory.oom.group stays 0, as Docker leaves it: the OOM killer ends the
            // process that grew, not the whole container, as it does on v1 — so the
            // lesson shows the same thing on both.
        }
        if let pids = limits.pidsMax { steps.append(.write("\(pids)", to: leaf + "/pids.max")) }
        if let quota = limits.cpuQuotaMicroseconds {
            steps.append(.write("\(quota) \(ResourceLimits.cpuPeriodMicroseconds)", to: leaf + "/cpu.max"))
        }
        let files = ["memory", "pids", "cpu"].map { ($0, leaf) }
        return CgroupPlan(version: .v2, steps: steps, directories: [leaf], filesByPrefix: Dictionary(uniqueKeysWithValues: files))
    }

    /// The controllers a v2 cgroup can hand to its children (`cgroup.controllers`).
    static func controllers(offeredIn directory: String) -> Set<CgroupController> {
        let words = CgroupFS.words(CgroupFS.readIfPresent(directory + "/cgroup.controllers") ?? "")
        return Set(words.compactMap { CgroupController(rawValue: String($0)) })
    }

    /// Root asked for a limit whose controller the hierarchy does not have.
    private func refusal(_ controller: CgroupController, offered: Set<CgroupController>) -> CgroupError {
        let listed = offered.isEmpty ? "-" : offered.sorted().map(\.rawValue).joined(separator: " ")
        let remedy =
            controller == .memory
            ? Localized(
                ko: "커널 명령줄에 cgroup_enable=memory를 더하고 재부팅하세요(Raspberry Pi OS는 기본으로 꺼 둡니다). "
                    + "아니면 --memory 없이 실행하세요.",
                en: "Add cgroup_enable=memory to the kernel command line and reboot (Raspberry Pi OS turns it off by "
                    + "default), or run without --memory.")
            : Localized(
                ko: "이 커널에 \(controller.rawValue) 컨트롤러가 없거나 cgroup v1 계층이 쥐고 있습니다. 그 제한 없이 실행하세요.",
                en: "This kernel lacks the \(controller.rawValue) controller, or a cgroup v1 hierarchy holds it: run without that limit.")
        return .refused(
            reason: Localized(
                ko: "cgroup v2 계층에 \(controller.rawValue) 컨트롤러가 없습니다(\(base)/cgroup.controllers: \(listed))",
                en: "the cgroup v2 hierarchy has no \(controller.rawValue) controller (\(base)/cgroup.controllers: \(listed))"),
            remedy: remedy)
    }
}
