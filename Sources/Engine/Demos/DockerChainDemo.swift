import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// The Docker components as live processes: `ctutor daemon` (dockerd, with
/// containerd's manager inside) started on a private socket, a container run through
/// the client's path (HTTP on the socket), the process tree read from /proc; then the
/// daemon stopped while the container runs on under its shim, and a new daemon that
/// finds it. Everything is removed at the end, even after a failure.
public struct DockerChainDemo: Demo {
    public static let info = DemoInfo(
        id: "docker-chain",
        title: Localized(
            ko: "도커 구성 요소, 살아 있는 프로세스로: 클라이언트 → 데몬 → shim → 런타임",
            en: "Docker's components as live processes: client → daemon → shim → runtime"),
        summary: Localized(
            ko: "ctutor daemon(dockerd 역할, containerd 역할 포함)을 띄우고 HTTP로 컨테이너를 실행한 뒤 /proc에서 프로세스 트리를 읽습니다. "
                + "데몬을 멈춰도 컨테이너는 shim 아래에서 계속 돌고, 다시 띄운 데몬이 그 컨테이너를 찾아냅니다.",
            en: "Starts ctutor daemon (dockerd's role, with containerd's inside), runs a container over HTTP and reads the process tree "
                + "from /proc. Stopped, the daemon leaves the container running under its shim; started again, it finds it."))

    public static let namespaces: Set<NamespaceKind> = ContainerDemo.namespaces

    public let preference: ModePreference

    public init(preference: ModePreference) {
        self.preference = preference
    }

    /// The daemon mounts each container's overlay snapshot on the host, as containerd does.
    public static func refusal(rootless: Bool) -> ContainerError? {
        guard rootless || geteuid() != 0 else { return nil }
        return .refused(
            reason: Localized(
                ko: "ctutor daemon은 root로만 컨테이너를 만듭니다: containerd처럼 컨테이너마다 overlay 스냅숏을 호스트에 마운트하기 때문입니다",
                en: "ctutor daemon makes containers only as root: like containerd, it mounts each container's overlay snapshot on the host"),
            remedy: Localized(
                ko: "sudo ctutor demo docker-chain 으로 실행하세요 (root 없이 컨테이너 하나는 ctutor run --rootless로 됩니다)",
                en: "run sudo ctutor demo docker-chain (without root, ctutor run --rootless runs one container)"))
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        let probe = MachineProbe.current()
        guard probe.isLinux else { return probe.notLinuxReport(Self.info) }
        var report = DemoReport(demo: Self.info.id, title: Self.info.title, mode: .real)
        if let refusal = Self.refusal(rootless: preference.isRootless(on: probe)), case .refused(let reason, let remedy) = refusal {
            report.mode = .unavailable
            report.reason = reason
            report.remedy = remedy
            return report
        }
        let chain: DockerChain
        do {
            chain = try DockerChain()
        } catch {
            report.record(DemoFailure(error, rootless: false, probe: probe))
            return report
        }
        do {
            try chain.observe(&report, whileAlive: whileAlive)
        } catch {
            report.record(DemoFailure(error, rootless: false, probe: probe))
        }
        report.cleanup += chain.release()
        return report
    }
}
