import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// Two busy loops side by side, one in a container limited to half a CPU: measured
/// from `/proc/<pid>/stat`, the limited one gets its half, the other what it can.
public struct CPUDemo: Demo {
    public static let info = DemoInfo(
        id: "cpu",
        title: Localized(ko: "CPU 제한: 반 개의 CPU", en: "A CPU limit: half a CPU"),
        summary: Localized(
            ko: "끝없이 도는 셸 루프 두 개를 나란히 돌립니다. 하나는 CPU 0.5개로 제한한 컨테이너(cpu.max / cfs_quota), 하나는 제한 없음. "
                + "2초 동안 /proc/<pid>/stat으로 잰 CPU 사용량이 제한된 쪽은 0.5 안팎에서 멈춥니다.",
            en: "Runs two endless shell loops side by side: one in a container limited to 0.5 CPU (cpu.max / cfs_quota), one "
                + "unlimited. Measured for 2 seconds from /proc/<pid>/stat, the limited one stays near 0.5."))

    public static let namespaces: Set<NamespaceKind> = ContainerDemo.namespaces
    static let cpus = 0.5

    public let preference: ModePreference

    public init(preference: ModePreference) {
        self.preference = preference
    }

    /// A limit needs a cgroup of one's own: root's, or a delegated one (cgroup v2).
    public static func refusal(rootless: Bool) -> ContainerError? {
        ContainerCgroup.refusalForCurrentUser(needing: [.cpu])
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        ContainerDemoRun(info: Self.info, preference: preference).run(
            observe: { context, report in
                var limited = ContainerRequest()
                limited.cpus = Self.cpus
                limited.command = ["sh", "-c", "echo ready; while :; do :; done"]
                var free = limited
                free.cpus = nil
                let slow = try context.start(limited)
                let fast = try context.start(free)
                report.steps += slow.steps
                for container in [slow, fast] { _ = try context.output(of: container, until: "ready") }
                let start = ContinuousClock.now
                let before = try [slow, fast].map { try Self.cpuSeconds($0.pid) }
                usleep(2_000_000)
                let after = try [slow, fast].map { try Self.cpuSeconds($0.pid) }
                let wall = Self.seconds(ContinuousClock.now - start)
                let shares = zip(before, after).map { ($1 - $0) / wall }
                let statistics = slow.cgroup?.statistics()
                report.steps.append(
                    Localized(
                        ko: "호스트: 2초 동안 두 init의 /proc/<pid>/stat(utime + stime)을 읽음",
                        en: "host: read both inits' /proc/<pid>/stat (utime + stime) over 2 seconds"))
                report.observations = [
                    Observation(
                        id: "cpu-share", label: Localized(ko: "CPU 사용량 (CPU 개수)", en: "CPU used (in CPUs)"), expect: .differ,
                        sides: [
                            ObservationSide(
                                role: "limited", label: Localized(ko: "제한 0.5", en: "Limited to 0.5"), value: String(format: "%.2f", shares[0])),
                            ObservationSide(role: "unlimited", label: Localized(ko: "제한 없음", en: "Unlimited"), value: String(format: "%.2f", shares[1])),
                        ]),
                    Observation(
                        id: "cpu-quota", label: Localized(ko: "cpu 쿼터 / 주기 (cgroup)", en: "cpu quota / period (cgroup)"), expect: .show,
                        host: "-", inside: "\(statistics?.cpuQuotaMicroseconds?.text ?? "?") / \(statistics?.cpuPeriodMicroseconds.map(String.init) ?? "?") µs"),
                    Observation(
                        id: "throttled", label: Localized(ko: "쿼터를 다 써서 멈춘 횟수 (nr_throttled)", en: "Times stopped for the quota (nr_throttled)"),
                        expect: .show, host: "-", inside: statistics?.throttledPeriods.map(String.init) ?? "?"),
                ]
                guard shares[0] <= Self.cpus * 1.2 else {
                    throw EvidenceMismatch(
                        detail: Localized(
                            ko: String(format: "제한된 루프가 CPU %.2f개를 썼습니다(제한 %.1f)", shares[0], Self.cpus),
                            en: String(format: "the limited loop used %.2f CPUs (limit %.1f)", shares[0], Self.cpus)))
                }
            }, whileAlive: whileAlive)
    }

    /// CPU time the process has used, in seconds (`utime + stime` of `/proc/<pid>/stat`).
    static func cpuSeconds(_ pid: Int32) throws -> Double {
        let path = "/proc/\(pid)/stat"
        let text = try ProcFS.readFile(path)
        guard let close = text.lastIndex(of: ")") else { throw ProcFormatError(path: path, problem: "no ')'") }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the name: state is field 3, utime 14, stime 15.
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw ProcFormatError(path: path, problem: "no utime/stime")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
