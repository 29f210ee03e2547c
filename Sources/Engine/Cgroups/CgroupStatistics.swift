/// A limit as the kernel holds it.
public enum CgroupLimit: Sendable, Equatable, Codable {
    /// `max` on v2; on v1 the largest number the file can hold, or `-1`.
    case unlimited
    case value(Int64)

    /// Reads `max`, `-1` and v1's "unlimited" (`9223372036854771712`, the largest
    /// page-aligned count) as ``unlimited``; `nil` for text that is no limit.
    init?(kernelText: Substring) {
        if kernelText == "max" || kernelText == "-1" {
            self = .unlimited
        } else if let number = Int64(kernelText) {
            // No real limit comes near 2^62 bytes; v1's "none" is just below 2^63.
            self = number > Int64.max / 2 ? .unlimited : .value(number)
        } else {
            return nil
        }
    }
}

/// A container's limits as the kernel holds them now, and what it has used. Each
/// value is `nil` when its file is not there (a controller not enabled, an older kernel).
public struct CgroupStatistics: Sendable, Equatable, Codable {
    public var version: ContainerCgroup.Version

    /// v2 `memory.current`, v1 `memory.usage_in_bytes`.
    public var memoryCurrentBytes: Int64?
    /// The most it used: v2 `memory.peak`, v1 `memory.max_usage_in_bytes`.
    public var memoryPeakBytes: Int64?
    /// v2 `memory.max`, v1 `memory.limit_in_bytes`.
    public var memoryLimit: CgroupLimit?
    /// Swap allowed beyond the memory limit: v2 `memory.swap.max`; v1 memory+swap
    /// (`memory.memsw.limit_in_bytes`) less memory. `0` when swap is capped.
    public var swapLimit: CgroupLimit?
    /// Processes the OOM killer ended: v2 `memory.events` `oom_kill`, v1 `memory.oom_control` `oom_kill`.
    public var oomKills: Int64?

    public var pidsCurrent: Int64?
    /// The most processes it had at once (`pids.peak`, Linux 6.11 and later).
    public var pidsPeak: Int64?
    public var pidsLimit: CgroupLimit?
    /// Forks refused because the limit was reached: `pids.events` `max`.
    public var forksRefused: Int64?

    /// CPU time used: v2 `cpu.stat` `usage_usec`, v1 `cpuacct.usage` (nanoseconds) / 1000.
    public var cpuUsageMicroseconds: Int64?
    /// Periods in which the quota ran out: `cpu.stat` `nr_throttled`.
    public var throttledPeriods: Int64?
    /// Time spent waiting for the next period: v2 `throttled_usec`, v1 `throttled_time` / 1000.
    public var throttledMicroseconds: Int64?
    /// v2 `cpu.max` first field, v1 `cpu.cfs_quota_us`.
    public var cpuQuotaMicroseconds: CgroupLimit?
    /// v2 `cpu.max` second field, v1 `cpu.cfs_period_us`.
    public var cpuPeriodMicroseconds: Int64?

    /// Reads them from a container's directories (`filesByPrefix`: see ``CgroupPlan``).
    init(version: ContainerCgroup.Version, filesByPrefix: [String: String]) {
        self.version = version
        func file(_ name: String) -> String? {
            guard let prefix = name.split(separator: ".").first, let directory = filesByPrefix[String(prefix)] else { return nil }
            return CgroupFS.readIfPresent(directory + "/" + name)
        }
        func words(_ name: String) -> [Substring] { file(name).map(CgroupFS.words) ?? [] }
        func number(_ name: String) -> Int64? { words(name).first.flatMap { Int64($0) } }
        func limit(_ name: String) -> CgroupLimit? { words(name).first.flatMap(CgroupLimit.init(kernelText:)) }
        func keyed(_ name: String, _ key: String) -> Int64? { file(name).flatMap { CgroupFS.keyedValues($0)[key] } }

        pidsCurrent = number("pids.current")
        pidsPeak = number("pids.peak")
        pidsLimit = limit("pids.max")
        forksRefused = keyed("pids.events", "max")
        throttledPeriods = keyed("cpu.stat", "nr_throttled")
        switch version {
        case .v2:
            memoryCurrentBytes = number("memory.current")
            memoryPeakBytes = number("memory.peak")
            memoryLimit = limit("memory.max")
            swapLimit = limit("memory.swap.max")
            oomKills = keyed("memory.events", "oom_kill")
            cpuUsageMicroseconds = keyed("cpu.stat", "usage_usec")
            throttledMicroseconds = keyed("cpu.stat", "throttled_usec")
            let cpuMax = words("cpu.max")
            cpuQuotaMicroseconds = cpuMax.first.flatMap(CgroupLimit.init(kernelText:))
            cpuPeriodMicroseconds = cpuMax.dropFirst().first.flatMap { Int64($0) }
        case .v1:
            memoryCurrentBytes = number("memory.usage_in_bytes")
            memoryPeakBytes = number("memory.max_usage_in_bytes")
            memoryLimit = limit("memory.limit_in_bytes")
            swapLimit = Self.swap(memory: memoryLimit, memoryAndSwap: limit("memory.memsw.limit_in_bytes"))
            oomKills = keyed("memory.oom_control", "oom_kill")
            cpuUsageMicroseconds = number("cpuacct.usage").map { $0 / 1000 }
            throttledMicroseconds = keyed("cpu.stat", "throttled_time").map { $0 / 1000 }
            cpuQuotaMicroseconds = limit("cpu.cfs_quota_us")
            cpuPeriodMicroseconds = number("cpu.cfs_period_us")
        }
    }

    /// v1 caps memory and swap together: the swap allowed is what is left above memory.
    private static func swap(memory: CgroupLimit?, memoryAndSwap: CgroupLimit?) -> CgroupLimit? {
        switch (memory, memoryAndSwap) {
        case (.value(let memory), .value(let both)): .value(max(both - memory, 0))
        case (_, .unlimited): .unlimited
        default: nil
        }
    }
}
