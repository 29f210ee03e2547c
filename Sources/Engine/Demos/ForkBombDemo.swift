import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// A fork bomb in a container whose cgroup allows 64 processes: the kernel refuses
/// every fork past the limit, and the host, timed starting programs before and
/// during the bomb, stays responsive.
public struct ForkBombDemo: Demo {
    public static let info = DemoInfo(
        id: "forkbomb",
        title: Localized(ko: "pids 제한이 포크 폭탄을 붙잡는다", en: "A pids limit holds a fork bomb"),
        summary: Localized(
            ko: "프로세스를 64개까지만 허용하는 cgroup의 컨테이너 안에서 포크 폭탄을 터뜨립니다. 커널은 64개를 넘는 fork를 거절하고"
                + "(pids.events), 호스트는 폭탄 전과 도중에 프로그램을 띄우는 시간을 재어 보면 여전히 잘 반응합니다.",
            en: "Sets off a fork bomb in a container whose cgroup allows 64 processes. The kernel refuses every fork past 64 "
                + "(pids.events), and the host, timed starting programs before and during the bomb, stays responsive."))

    public static let namespaces: Set<NamespaceKind> = ContainerDemo.namespaces
    static let limit: Int64 = 64

    public let preference: ModePreference

    public init(preference: ModePreference) {
        self.preference = preference
    }

    /// A limit needs a cgroup of one's own: root's, or a delegated one (cgroup v2).
    public static func refusal(rootless: Bool) -> ContainerError? {
        ContainerCgroup.refusalForCurrentUser(needing: [.pids])
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        ContainerDemoRun(info: Self.info, preference: preference).run(
            observe: { context, report in
                let before = try HostResponsiveness.measure()
                var request = ContainerRequest()
                request.pidsMax = Self.limit
                // f calls itself twice through a pipe, in the background, without end;
                // `read -t` is a shell builtin, so PID 1 waits without needing a fork.
                request.command = ["sh", "-c", "f(){ f | f & }; f 2>/dev/null; echo ready; read -t 2 x; echo held; read x; exit 0"]
                let container = try context.start(request)
                report.steps += container.steps
                report.steps.append(
                    Localized(ko: "컨테이너 안: f(){ f | f & }; f — 끝없이 자기를 둘씩 fork", en: "inside: f(){ f | f & }; f — forks itself twice, forever"))
                _ = try context.output(of: container, until: "ready")
                var peak: Int64 = 0
                let sampling = ContinuousClock.now + .milliseconds(1500)
                var during = try HostResponsiveness.measure()
                while ContinuousClock.now < sampling {
                    peak = max(peak, container.cgroup?.statistics().pidsCurrent ?? 0)
                    usleep(50_000)
                }
                during = try HostResponsiveness.measure()
                let statistics = container.cgroup?.statistics()
                peak = max(peak, statistics?.pidsCurrent ?? 0, statistics?.pidsPeak ?? 0)
                _ = try context.output(of: container, until: "held")
                report.observations = [
                    Observation(
                        id: "pids-limit", label: Localized(ko: "pids.max (cgroup)", en: "pids.max (cgroup)"),
                        host: "max", inside: statistics?.pidsLimit?.text ?? "?"),
                    Observation(
                        id: "pids-peak", label: Localized(ko: "컨테이너 프로세스 수의 최고치", en: "Most processes in the container"), expect: .show,
                        host: "-", inside: "\(peak) / \(Self.limit)"),
                    Observation(
                        id: "forks-refused", label: Localized(ko: "거절된 fork (pids.events max)", en: "Forks refused (pids.events max)"),
                        expect: .show, host: "-", inside: "\(statistics?.forksRefused.map(String.init) ?? "?")"),
                    Observation(
                        id: "host-responsive",
                        label: Localized(ko: "호스트에서 /bin/true 20번 실행 (폭탄 전 → 도중)", en: "Host runs /bin/true 20 times (before → during)"),
                        expect: .show, sides: [
                            ObservationSide(role: "before", label: Localized(ko: "폭탄 전", en: "Before"), value: before.text),
                            ObservationSide(role: "during", label: Localized(ko: "폭탄 도중", en: "During"), value: during.text),
                        ]),
                ]
                guard peak <= Self.limit, (statistics?.forksRefused ?? 0) > 0 else {
                    throw EvidenceMismatch(
                        detail: Localized(
                            ko: "pids 제한이 지켜지지 않았습니다(최고 \(peak)개, 거절 \(statistics?.forksRefused ?? 0)번)",
                            en: "the pids limit did not hold (peak \(peak), refused \(statistics?.forksRefused ?? 0))"))
                }
                report.steps.append(
                    Localized(ko: "호스트: cgroup의 pids.current, pids.max, pids.events를 읽음", en: "host: read the cgroup's pids.current, pids.max, pids.events"))
            }, whileAlive: whileAlive)
    }
}

/// How long the host takes to start and reap 20 short programs: a machine drowned
/// by a fork bomb takes far longer, or cannot fork at all.
struct HostResponsiveness {
    var milliseconds: Double

    var text: String { String(format: "%.1f ms", milliseconds) }

    /// `posix_spawn` directly, not through the launcher: `/bin/true` ends at once, and
    /// the launcher's own work would blur what is measured.
    static func measure() throws -> HostResponsiveness {
        let start = ContinuousClock.now
        let path = "/bin/true"
        for _ in 0..<20 {
            var pid: pid_t = 0
            let spawned = path.withCString { cPath in
                var argv: [UnsafeMutablePointer<CChar>?] = [strdup(cPath), nil]
                defer { free(argv[0]) }
                return posix_spawn(&pid, cPath, nil, nil, &argv, environ)
            }
            guard spawned == 0 else { throw SyscallError(call: "posix_spawn /bin/true", errno: spawned) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }
        let elapsed = ContinuousClock.now - start
        return HostResponsiveness(milliseconds: Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
    }
}
