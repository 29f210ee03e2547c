import Foundation
import TutorCore

/// A controller a limit needs, named as the kernel names it in `cgroup.controllers`.
public enum CgroupController: String, CaseIterable, Comparable, Sendable, Codable {
    case memory, pids, cpu

    public static func < (left: CgroupController, right: CgroupController) -> Bool {
        allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
    }
}

/// The limits a container runs under: `--memory 64M`, `--pids 64`, `--cpus 0.5`.
/// `nil` means no limit of that kind.
public struct ResourceLimits: Sendable, Equatable, Codable {
    /// The most memory the container may use, in bytes. Swap is capped with it, so a
    /// container over it is OOM-killed, not swapped out.
    public var memoryBytes: Int64?
    /// The most processes and threads the container may have at once.
    public var pidsMax: Int64?
    /// How many CPUs' worth of time the container may use: `0.5` is half of one CPU.
    public var cpus: Double?

    /// The CFS period the quota is measured in, in microseconds (the kernel's and Docker's default).
    public static let cpuPeriodMicroseconds: Int64 = 100_000
    /// The smallest limit Docker accepts, 6 MiB: below it a container cannot even start.
    public static let minimumMemoryBytes: Int64 = 6 << 20

    public init(memoryBytes: Int64? = nil, pidsMax: Int64? = nil, cpus: Double? = nil) {
        self.memoryBytes = memoryBytes
        self.pidsMax = pidsMax
        self.cpus = cpus
    }

    /// No limit of any kind.
    public var isEmpty: Bool { memoryBytes == nil && pidsMax == nil && cpus == nil }

    /// The controllers these limits need.
    public var controllers: Set<CgroupController> {
        var needed: Set<CgroupController> = []
        if memoryBytes != nil { needed.insert(.memory) }
        if pidsMax != nil { needed.insert(.pids) }
        if cpus != nil { needed.insert(.cpu) }
        return needed
    }

    /// The CPU time allowed per period, in microseconds: `cpus × 100000`.
    public var cpuQuotaMicroseconds: Int64? {
        cpus.map { Int64(($0 * Double(Self.cpuPeriodMicroseconds)).rounded()) }
    }

    /// What is wrong with these limits on a machine with `onlineCPUs` CPUs, or `nil`.
    public func problem(onlineCPUs: Int) -> Localized? {
        if let memoryBytes, memoryBytes < Self.minimumMemoryBytes {
            return Localized(
                ko: "메모리 제한 \(memoryBytes)바이트는 너무 작습니다. 최소 6M입니다",
                en: "a memory limit of \(memoryBytes) bytes is too small: the minimum is 6M")
        }
        if let pidsMax, pidsMax < 1 {
            return Localized(
                ko: "프로세스 수 제한은 1 이상이어야 합니다(받은 값 \(pidsMax))",
                en: "the process limit must be at least 1 (got \(pidsMax))")
        }
        if let cpus {
            // The kernel refuses a CFS quota under 1 ms: 0.01 of a 100 ms period.
            guard cpus.isFinite, cpus >= 0.01, cpus <= Double(onlineCPUs) else {
                return Localized(
                    ko: "CPU 수는 0.01에서 \(onlineCPUs) 사이여야 합니다(이 머신의 CPU는 \(onlineCPUs)개, 받은 값 \(cpus))",
                    en: "CPUs must be between 0.01 and \(onlineCPUs), the CPUs this machine has (got \(cpus))")
            }
        }
        return nil
    }

    /// Parses a memory size as Docker does: a number with an optional unit `b`, `k`,
    /// `m`, `g`, `t`, `p` in either case, optionally followed by `b` or `ib` — all binary
    /// multiples, so `64M`, `64mb` and `64MiB` are all 67108864 — or a plain byte count.
    public static func parseMemory(_ text: String) -> Result<Int64, CgroupError> {
        let invalid = CgroupError.invalid(
            Localized(
                ko: "메모리 크기 \(KoreanParticle.eulReul.attached(to: "\"\(text)\"")) 읽을 수 없습니다. 64M, 1g, 512k, 1048576처럼 쓰세요",
                en: "cannot read \"\(text)\" as a memory size: write it like 64M, 1g, 512k or 1048576"))
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let number = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        var unit = trimmed.dropFirst(number.count).drop { $0 == " " }
        guard let value = Double(number), value.isFinite, value > 0 else { return .failure(invalid) }
        let shifts: [Character: Int64] = ["k": 10, "m": 20, "g": 30, "t": 40, "p": 50]
        var shift: Int64 = 0
        if let first = unit.first, let found = shifts[first] {
            shift = found
            unit = unit.dropFirst()
            if unit.first == "i" && unit.count == 2 { unit = unit.dropFirst() }
        }
        guard unit.isEmpty || unit == "b" else { return .failure(invalid) }
        let bytes = value * Double(Int64(1) << shift)
        // A Double at or above 2^63 does not fit in Int64.
        guard bytes >= 1, bytes < 0x1p63 else { return .failure(invalid) }
        return .success(Int64(bytes))
    }
}
