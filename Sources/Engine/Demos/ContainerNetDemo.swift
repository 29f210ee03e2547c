import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// Two containers on the host's `ctutor0` bridge reach each other — a ping and a
/// TCP message — and nothing else: no route out, no address of the host. When they
/// are gone, so is the bridge, and the host's interfaces are as they were.
public struct ContainerNetDemo: Demo {
    public static let info = DemoInfo(
        id: "container-net",
        title: Localized(ko: "브리지로 이어진 두 컨테이너", en: "Two containers on a bridge"),
        summary: Localized(
            ko: "컨테이너 두 개를 호스트의 ctutor0 브리지에 veth로 연결합니다. B가 A에 ping과 TCP 메시지를 보내 닿고, 바깥으로 가는 경로는 "
                + "없습니다. 둘이 끝나면 브리지도 사라지고 호스트의 인터페이스는 처음과 같습니다.",
            en: "Plugs two containers into the host's ctutor0 bridge with veth pairs. B reaches A with a ping and a TCP message; "
                + "there is no route out. When both end, the bridge goes too, and the host's interfaces are as they were."))

    public static let namespaces: Set<NamespaceKind> = ContainerDemo.namespaces

    public let preference: ModePreference

    public init(preference: ModePreference) {
        self.preference = preference
    }

    /// A bridge and veths on the host need root there.
    public static func refusal(rootless: Bool) -> ContainerError? {
        guard geteuid() != 0, let refusal = ContainerNetwork.refusalWhenRootless() else { return nil }
        return .refused(reason: refusal.reason, remedy: refusal.remedy)
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        var before: [String] = []
        var report = ContainerDemoRun(info: Self.info, preference: preference).run(
            observe: { context, report in
                before = try Self.hostInterfaces()
                var serverRequest = ContainerRequest()
                serverRequest.network = .bridge
                serverRequest.hostname = "a"
                serverRequest.command = [
                    "sh", "-c", "echo addr=$(ip -4 -o addr show eth0 | awk '{print $4}'); echo ready; echo got=$(nc -l -p 7000); read x; exit 0",
                ]
                let server = try context.start(serverRequest)
                report.steps += server.steps
                let serverOutput = try context.output(of: server, until: "ready")
                guard let target = server.attachment?.address.address else {
                    throw ContainerError.failed("container A has no bridge address")
                }
                var clientRequest = serverRequest
                clientRequest.hostname = "b"
                clientRequest.command = [
                    "sh", "-c",
                    "echo addr=$(ip -4 -o addr show eth0 | awk '{print $4}'); "
                        + "ping -c 1 -W 2 \(target) >/dev/null 2>&1 && echo ping=ok || echo ping=fail; "
                        + "echo hello-from-b | nc -w 2 \(target) 7000; "
                        + "echo route=$(ip route | tr '\\n' ';'); echo out=$(ping -c 1 -W 1 1.1.1.1 2>&1 | tail -n 1); echo ready; read x; exit 0",
                ]
                let client = try context.start(clientRequest)
                report.steps += client.steps.filter { $0.en.contains("bridge") }
                let clientOutput = try context.output(of: client, until: "ready")
                let received = try context.output(of: server, untilLineStarting: "got=")
                let bridge = try Self.bridgePorts(server.attachment?.bridge ?? BridgeConfiguration.defaultBridgeName)
                func addressSides(_ key: String, _ a: String?, _ b: String?) -> [ObservationSide] {
                    [
                        ObservationSide(role: "a", label: Localized(ko: "컨테이너 A", en: "Container A"), value: a ?? "?"),
                        ObservationSide(role: "b", label: Localized(ko: "컨테이너 B", en: "Container B"), value: b ?? "?"),
                    ]
                }
                report.observations = [
                    Observation(
                        id: "addresses", label: Localized(ko: "eth0 주소 (안에서 ip addr)", en: "eth0 address (ip addr inside)"),
                        sides: addressSides("addr", serverOutput.value(of: "addr"), clientOutput.value(of: "addr"))),
                    Observation(
                        id: "bridge-ports", label: Localized(ko: "브리지의 포트 (호스트 netlink)", en: "The bridge's ports (host netlink)"), expect: .show,
                        sides: [.host(bridge.joined(separator: ", "))]),
                    Observation(
                        id: "tcp", label: Localized(ko: "B가 보낸 TCP 메시지", en: "TCP message from B"), expect: .match,
                        sides: [
                            ObservationSide(role: "b-sent", label: Localized(ko: "B가 보냄", en: "B sent"), value: "hello-from-b"),
                            ObservationSide(role: "a-received", label: Localized(ko: "A가 받음", en: "A received"), value: received.value(of: "got") ?? "?"),
                        ]),
                    Observation(
                        id: "ping", label: Localized(ko: "B에서 A로 ping", en: "ping from B to A"), expect: .show,
                        sides: [ObservationSide(role: "b", label: Localized(ko: "컨테이너 B", en: "Container B"), value: clientOutput.value(of: "ping") ?? "?")]),
                    Observation(
                        id: "route-out", label: Localized(ko: "바깥(1.1.1.1)으로", en: "Out to 1.1.1.1"), expect: .show,
                        sides: [
                            ObservationSide(role: "routes", label: Localized(ko: "B의 경로", en: "B's routes"), value: clientOutput.value(of: "route") ?? "?"),
                            ObservationSide(role: "b", label: Localized(ko: "B의 ping", en: "B's ping"), value: clientOutput.value(of: "out") ?? "?"),
                        ]),
                ]
                guard clientOutput.value(of: "ping") == "ok", received.value(of: "got") == "hello-from-b" else {
                    throw EvidenceMismatch(detail: Localized(ko: "두 컨테이너가 서로 닿지 못했습니다", en: "the two containers did not reach each other"))
                }
            }, whileAlive: whileAlive)
        if report.mode != .unavailable, let after = try? Self.hostInterfaces() {
            report.observations.append(
                Observation(
                    id: "host-interfaces",
                    label: Localized(ko: "호스트 자신의 인터페이스 (전 → 후)", en: "The host's own interfaces (before → after)"),
                    expect: .match,
                    sides: [
                        ObservationSide(role: "before", label: Localized(ko: "데모 전", en: "Before"), value: before.joined(separator: " ")),
                        ObservationSide(role: "after", label: Localized(ko: "데모 후", en: "After"), value: after.joined(separator: " ")),
                    ]))
        }
        return report
    }

    /// The host's interfaces but ctutor's own (its bridge and containers' veths,
    /// which another container may hold while this demo runs).
    static func hostInterfaces() throws -> [String] {
        try Netlink().links().map(\.name).filter { $0 != BridgeConfiguration.defaultBridgeName && !$0.hasPrefix("ctv") }.sorted()
    }

    static func bridgePorts(_ bridge: String) throws -> [String] {
        let socket = try Netlink()
        let links = try socket.links()
        guard let index = links.first(where: { $0.name == bridge })?.index else { return [] }
        return [bridge] + links.filter { $0.master == index }.map(\.name)
    }
}
