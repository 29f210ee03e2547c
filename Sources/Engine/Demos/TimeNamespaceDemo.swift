import TutorCore

#if os(Linux)
import Glibc
#endif

/// Starts a child in a new time namespace whose boot-time clock runs 3 days and
/// monotonic clock 1 day ahead, and shows its `/proc/uptime` against the host's,
/// the offsets in `/proc/<pid>/timens_offsets` read from outside, and a wall clock
/// (`CLOCK_REALTIME`) that no namespace shifts.
public struct TimeNamespaceDemo: Demo {
    public static let namespaces: Set<NamespaceKind> = [.time]

    public static let info = DemoInfo(
        id: "time",
        title: Localized(ko: "시간 네임스페이스: 부팅 후 시간을 따로 센다", en: "Time namespace: its own time since boot"),
        summary: Localized(
            ko: "새 시간 네임스페이스에 부팅 시계 +3일, 단조 시계 +1일 오프셋을 주고, 안에서 읽은 /proc/uptime과 "
                + "호스트의 것을 견줍니다. 날짜(CLOCK_REALTIME)는 그대로입니다. 리눅스 5.6 이상이 필요합니다.",
            en: "Gives a new time namespace offsets of +3 days on the boot-time clock and +1 day on the monotonic "
                + "clock, and compares /proc/uptime inside with the host's; the date (CLOCK_REALTIME) stays. Needs Linux 5.6."))

    static let offsets: (monotonic: Int64, boottime: Int64) = (monotonic: 86_400, boottime: 3 * 86_400)

    public let preference: ModePreference

    public init(preference: ModePreference = .auto) {
        self.preference = preference
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        var before = 0.0
        return IsolatedRun(info: Self.info, preference: preference).run(
            spec: { _ in
                var spec = LaunchSpec(namespaces: Self.namespaces)
                spec.clockOffsets = Self.offsets
                spec.readLinks = ["/proc/self/ns/time"]
                spec.readFiles = ["/proc/uptime"]
                return spec
            },
            prepare: { _, _ in before = Self.now(CLOCK_REALTIME) },
            observe: { process, _, report in
                report.observations = try observe(process, realtimeBefore: before)
                report.steps.append(DemoEvidence.readStep(process.pid, ["ns/time", "timens_offsets", "/proc/uptime"]))
            },
            whileAlive: whileAlive)
    }

    private func observe(_ process: LaunchedProcess, realtimeBefore: Double) throws -> [Observation] {
        let offsetsPath = "/proc/\(process.pid)/timens_offsets"
        let childOffsets = DemoEvidence.singleSpaced(try ProcFS.readFile(offsetsPath))
        let hostOffsets = DemoEvidence.singleSpaced(try ProcFS.readFile("/proc/self/timens_offsets"))
        let expected = "monotonic \(Self.offsets.monotonic) 0\nboottime \(Self.offsets.boottime) 0"
        guard childOffsets == expected else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "\(offsetsPath)가 \"\(expected)\"가 아니라 \"\(childOffsets)\"입니다",
                    en: "\(offsetsPath) reads \"\(childOffsets)\", not \"\(expected)\""))
        }
        let hostUptime = try Self.uptime(try ProcFS.readFile("/proc/uptime"), path: "/proc/uptime")
        let hostMonotonic = Self.now(CLOCK_MONOTONIC)
        let realtimeAfter = Self.now(CLOCK_REALTIME)
        let insideUptime = try Self.uptime(try DemoEvidence.insideFile("/proc/uptime", of: process), path: "/proc/uptime")
        guard let insideMonotonic = process.inside.clock("monotonic"), let insideRealtime = process.inside.clock("realtime")
        else { throw ChildFailure.malformedReport("clocks") }
        // The child read its clocks between our two readings of the wall clock; a
        // second of slack either way allows for rounding, not for a shifted clock.
        guard (realtimeBefore - 1...realtimeAfter + 1).contains(insideRealtime) else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "자식의 CLOCK_REALTIME(\(insideRealtime))이 호스트가 전후로 읽은 값 사이에 있지 않습니다",
                    en: "the child's CLOCK_REALTIME (\(insideRealtime)) is not between the host's readings before and after"))
        }
        return [
            try DemoEvidence.namespace(.time, of: process),
            Observation(
                id: "offsets", label: Localized(ko: "시계 오프셋 (timens_offsets)", en: "Clock offsets (timens_offsets)"),
                host: hostOffsets, inside: childOffsets),
            Observation(
                id: "uptime", label: Localized(ko: "/proc/uptime (부팅 시계)", en: "/proc/uptime (boot-time clock)"),
                host: Self.duration(hostUptime), inside: Self.duration(insideUptime)),
            Observation(
                id: "monotonic", label: Localized(ko: "CLOCK_MONOTONIC", en: "CLOCK_MONOTONIC"),
                host: Self.duration(hostMonotonic), inside: Self.duration(insideMonotonic)),
            Observation(
                id: "date", label: Localized(ko: "날짜 (CLOCK_REALTIME, UTC)", en: "Date (CLOCK_REALTIME, UTC)"),
                expect: .match, host: Self.date(realtimeAfter), inside: Self.date(insideRealtime)),
        ]
    }

    static func now(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The first field of `/proc/uptime`: seconds on the boot-time clock.
    private static func uptime(_ text: String, path: String) throws -> Double {
        guard let first = text.split(whereSeparator: \.isWhitespace).first, let seconds = Double(first) else {
            throw ProcFormatError(path: path, problem: "expected seconds, found \"\(text)\"")
        }
        return seconds
    }

    /// `381234 s (4d 09:53:54)`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds)
        let clock = [whole / 3600 % 24, whole / 60 % 60, whole % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }
        return "\(whole) s (\(whole / 86_400)d \(clock.joined(separator: ":")))"
    }

    /// `2025-11-29`: the UTC date of a wall-clock reading.
    static func date(_ seconds: Double) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let month = parts.tm_mon + 1
        let day = parts.tm_mday
        return "\(parts.tm_year + 1900)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

}
