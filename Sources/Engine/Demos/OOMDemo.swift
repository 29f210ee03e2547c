import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// A memory hog in a container limited to 32 MiB: the kernel's OOM killer kills it
/// inside that cgroup only (exit status 137 = 128 + SIGKILL), and the host goes on.
public struct OOMDemo: Demo {
    public static let info = DemoInfo(
        id: "oom",
        title: Localized(ko: "메모리 제한과 OOM 킬러", en: "A memory limit and the OOM killer"),
        summary: Localized(
            ko: "메모리를 32MiB로 제한한 컨테이너에서 메모리를 끝없이 먹는 셸을 돌립니다. 커널의 OOM 킬러가 그 cgroup 안에서만 "
                + "프로세스를 죽이고(종료 상태 137 = 128 + SIGKILL), 호스트는 아무 일 없이 계속됩니다.",
            en: "Runs a shell that eats memory without end in a container limited to 32 MiB. The kernel's OOM killer kills it inside "
                + "that cgroup only (exit status 137 = 128 + SIGKILL), and the host carries on."))

    public static let namespaces: Set<NamespaceKind> = ContainerDemo.namespaces
    static let limit: Int64 = 32 << 20

    public let preference: ModePreference

    public init(preference: ModePreference) {
        self.preference = preference
    }

    /// A limit needs a cgroup of one's own: root's, or a delegated one (cgroup v2).
    public static func refusal(rootless: Bool) -> ContainerError? {
        ContainerCgroup.refusalForCurrentUser(needing: [.memory])
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        ContainerDemoRun(info: Self.info, preference: preference).run(
            observe: { context, report in
                var request = ContainerRequest()
                request.memoryBytes = Self.limit
                // The string doubles each round: 1 byte, 2, 4, … until the limit.
                request.command = ["sh", "-c", "echo ready; x=a; while true; do x=\"$x$x\"; done"]
                let container = try context.start(request)
                report.steps += container.steps
                report.steps.append(
                    Localized(ko: "컨테이너 안: x=\"$x$x\"를 끝없이 — 문자열이 매번 두 배", en: "inside: x=\"$x$x\" forever — the string doubles each round"))
                _ = try context.output(of: container, until: "ready")
                let exit = container.wait(timeout: .seconds(20))
                let statistics = container.cgroup?.statistics()
                report.steps.append(exit.launch.step)
                let me = try ProcFS.status(pid: getpid())
                report.observations = [
                    Observation(
                        id: "memory-limit", label: Localized(ko: "메모리 제한 (cgroup)", en: "Memory limit (cgroup)"),
                        host: "-", inside: statistics?.memoryLimit.map { limit in limit.bytes.map { Self.mebibytes($0) } ?? "max" } ?? "?"),
                    Observation(
                        id: "memory-peak", label: Localized(ko: "컨테이너가 쓴 메모리의 최고치", en: "Most memory the container used"),
                        expect: .show, host: "-", inside: Self.mebibytes(statistics?.memoryPeakBytes)),
                    Observation(
                        id: "oom-kills", label: Localized(ko: "OOM 킬 횟수 (memory.events / oom_control)", en: "OOM kills (memory.events / oom_control)"),
                        host: "0", inside: "\(statistics?.oomKills.map(String.init) ?? "?")"),
                    Observation(
                        id: "exit", label: Localized(ko: "종료 상태", en: "Exit status"),
                        host: "ctutor (PID \(getpid())): \(me.fields["State"] ?? "running")", inside: "\(exit.code)"),
                ]
                guard exit.code == 137, exit.oomKilled else {
                    throw EvidenceMismatch(
                        detail: Localized(
                            ko: "메모리를 먹는 셸이 OOM으로 죽지 않았습니다(종료 상태 \(exit.code))",
                            en: "the memory hog was not OOM-killed (exit status \(exit.code))"))
                }
            }, whileAlive: whileAlive)
    }

    static func mebibytes(_ bytes: Int64?) -> String {
        guard let bytes else { return "?" }
        return String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
