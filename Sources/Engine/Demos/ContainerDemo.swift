import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// A real container from the busybox image, looked at from the host: PID 1 of its
/// own, its own hostname and root filesystem (an overlay of the image's layers), the
/// host's files out of reach, Docker's 14 capabilities instead of all of them,
/// `no_new_privs`, masked `/proc` files — and the same kernel.
public struct ContainerDemo: Demo {
    public static let info = DemoInfo(
        id: "container",
        title: Localized(ko: "컨테이너: 네임스페이스 + 루트 파일 시스템 + 보안 설정", en: "A container: namespaces + a root filesystem + hardening"),
        summary: Localized(
            ko: "busybox 이미지로 진짜 컨테이너를 띄우고, 호스트에서 /proc/<pid>로 들여다봅니다: 안에서는 PID 1, 자기 호스트 이름과 "
                + "루트 파일 시스템(이미지 레이어 위의 overlay), 호스트의 파일은 보이지 않음, capability는 도커 기본 14개, "
                + "no_new_privs, 가려진 /proc 파일. 커널만은 같습니다.",
            en: "Starts a real container from the busybox image and looks at it from the host through /proc/<pid>: PID 1 inside, "
                + "its own hostname and root filesystem (an overlay on the image's layers), the host's files out of sight, "
                + "Docker's 14 capabilities, no_new_privs, masked /proc files. Only the kernel is the same."))

    public static let namespaces: Set<NamespaceKind> = [.pid, .uts, .ipc, .mnt, .net, .cgroup]

    public let preference: ModePreference

    public init(preference: ModePreference) {
        self.preference = preference
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        ContainerDemoRun(info: Self.info, preference: preference).run(
            observe: { context, report in
                var request = ContainerRequest()
                request.hostname = "ctutor-box"
                request.command = [
                    "sh", "-c",
                    "echo pid=$$; echo hostname=$(hostname); echo release=$(uname -r); echo os=$(head -n 1 /etc/os-release 2>&1); "
                        + "echo keys=$(cat /proc/keys | wc -c); echo root=$(ls / | tr '\\n' ' '); echo ready; read x; exit 0",
                ]
                let container = try context.start(request)
                report.steps += container.steps
                let printed = try context.output(of: container, until: "ready")
                report.observations = try observe(container, printed: printed, rootless: context.rootless)
                report.steps.append(DemoEvidence.readStep(container.pid, ["status", "mountinfo", "ns/*", "root/"]))
            }, whileAlive: whileAlive)
    }

    private func observe(_ container: Container, printed: String, rootless: Bool) throws -> [Observation] {
        let pid = container.pid
        let status = try ProcFS.status(pid: pid)
        let hostStatus = try ProcFS.status(pid: getpid())
        let host = try Uname.current()
        let innerPID = status.namespacePIDs?.last ?? 0
        guard printed.value(of: "pid") == "1", innerPID == 1 else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "컨테이너 안의 셸이 PID \(printed.value(of: "pid") ?? "?")(이)라고 알립니다(NSpid \(innerPID))",
                    en: "the shell inside says it is PID \(printed.value(of: "pid") ?? "?") (NSpid \(innerPID))"))
        }
        let rootType = try MountInfoEntry.root(of: pid).fsType
        let hostRoot = try MountInfoEntry.root().fsType
        let hostOS = (try? ProcFS.readFile("/etc/os-release"))?.split(separator: "\n").first.map(String.init) ?? "-"
        let insideOS = printed.value(of: "os") ?? "?"
        let all = try Capabilities.all()
        let hostKeys = (try? ProcFS.readFile("/proc/keys"))?.utf8.count ?? 0

        var observations = [
            Observation(id: "pid", label: Localized(ko: "컨테이너 init의 PID", en: "The container init's PID"), host: "\(pid)", inside: "1"),
            Observation(
                id: "hostname", label: Localized(ko: "호스트 이름", en: "Hostname"), host: host.node,
                inside: printed.value(of: "hostname") ?? "?"),
            Observation(id: "rootfs", label: Localized(ko: "/ 의 파일 시스템", en: "Filesystem of /"), host: hostRoot, inside: rootType),
            Observation(
                id: "os-release", label: Localized(ko: "/etc/os-release 첫 줄", en: "/etc/os-release, first line"), host: hostOS,
                inside: insideOS.contains("No such file") ? "—" : insideOS),
            Observation(
                id: "root-listing", label: Localized(ko: "/ 의 내용", en: "What / holds"), expect: .show,
                host: "-", inside: printed.value(of: "root") ?? "?"),
            Observation(
                id: "capabilities", label: Localized(ko: "CapEff (유효 capability)", en: "CapEff (effective capabilities)"),
                host: Capabilities.describe(hostStatus.effectiveCapabilities ?? 0, of: all),
                inside: Capabilities.describe(status.effectiveCapabilities ?? 0, of: all)),
            Observation(
                id: "no-new-privs", label: Localized(ko: "NoNewPrivs", en: "NoNewPrivs"), host: hostStatus.fields["NoNewPrivs"] ?? "?",
                inside: status.fields["NoNewPrivs"] ?? "?"),
            Observation(
                id: "proc-keys", label: Localized(ko: "/proc/keys 크기(가려짐)", en: "Size of /proc/keys (masked)"), host: "\(hostKeys) B",
                inside: "\(printed.value(of: "keys") ?? "?") B"),
            Observation(
                id: "kernel", label: Localized(ko: "커널 릴리스", en: "Kernel release"), expect: .match, host: host.release,
                inside: printed.value(of: "release") ?? "?"),
        ]
        for kind in [NamespaceKind.pid, .mnt, .uts, .net] {
            observations.append(try DemoEvidence.namespace(kind, of: container.process))
        }
        if hostKeys == 0 { observations.removeAll { $0.id == "proc-keys" } }
        if !rootless, (hostStatus.effectiveCapabilities ?? 0) == (status.effectiveCapabilities ?? 0) {
            throw EvidenceMismatch(detail: Localized(ko: "컨테이너의 capability가 줄지 않았습니다", en: "the container's capabilities were not reduced"))
        }
        return observations
    }
}
