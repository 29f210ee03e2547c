import TutorCore

#if os(Linux)
/// The observations the report shows, all from evidence already cross-checked.
extension NetworkNamespaceRun {
    func observations(
        start: NetworkStart, views: (host: HostNetwork, a: NamespaceView, b: NamespaceView), echo: Echo
    ) throws -> [Observation] {
        func sides(_ host: String, _ a: String, _ b: String) -> [ObservationSide] {
            [.host(host), side(.a, a), side(.b, b)]
        }
        let hostNamespace = try ProcFS.namespace(.net)
        var observations = [
            Observation(
                id: "net-ns", label: Localized(ko: "네트워크 네임스페이스", en: "Network namespace"),
                sides: sides(
                    hostNamespace.description, namespaces[.a]?.description ?? "?", namespaces[.b]?.description ?? "?")),
            Observation(
                id: "start", label: Localized(ko: "처음의 인터페이스", en: "Interfaces at the start"),
                sides: sides(links(start.host), links(start.a), links(start.b))),
            Observation(
                id: "interfaces", label: Localized(ko: "veth를 만든 뒤의 인터페이스", en: "Interfaces with the veth"),
                sides: sides(views.host.view.linksText, views.a.linksText, views.b.linksText)),
            Observation(
                id: "addresses", label: Localized(ko: "IPv4 주소", en: "IPv4 addresses"),
                sides: sides(views.host.view.addressesText, views.a.addressesText, views.b.addressesText)),
            Observation(
                id: "routes", label: Localized(ko: "IPv4 경로 (main 표)", en: "IPv4 routes (main table)"),
                sides: sides(views.host.view.routesText, views.a.routesText, views.b.routesText)),
            // Each end names the connection from its own socket: they must agree.
            Observation(
                id: "tcp", label: Localized(ko: "TCP 연결 (클라이언트 → 서버)", en: "TCP connection (client → server)"),
                expect: .match,
                sides: [
                    side(.a, "\(echo.client.local ?? "?") → \(echo.client.remote ?? "?")"),
                    side(.b, "\(echo.server.remote ?? "?") → \(echo.server.local ?? "?")"),
                ]),
            Observation(
                id: "echo", label: Localized(ko: "에코", en: "The echo"), expect: .match,
                sides: [
                    ObservationSide(role: "a-sent", label: Localized(ko: "A가 보냄", en: "A sent"), value: text(echo.client.sent)),
                    ObservationSide(role: "b-received", label: Localized(ko: "B가 받음", en: "B received"), value: text(echo.server.received)),
                    ObservationSide(role: "a-received", label: Localized(ko: "A로 돌아옴", en: "Back in A"), value: text(echo.client.received)),
                ]),
        ]
        if rootless, let a = holders.first(where: { $0.side == .a }), let b = holders.first(where: { $0.side == .b }) {
            // A veth can join only namespaces whose owner grants CAP_NET_ADMIN in both: one user namespace.
            observations.insert(
                Observation(
                    id: "user-ns", label: Localized(ko: "A와 B를 가진 사용자 네임스페이스", en: "User namespace owning A and B"),
                    expect: .match,
                    sides: [
                        side(.a, try ProcFS.namespace(.user, pid: a.process.pid).description),
                        side(.b, try ProcFS.namespace(.user, pid: b.process.pid).description),
                    ]),
                at: 1)
        }
        return observations
    }

    private func side(_ side: Side, _ value: String) -> ObservationSide {
        ObservationSide(role: side.role, label: side.label, value: value)
    }

    private func links(_ links: [NetworkLink]) -> String {
        NamespaceView.text(links.sorted { $0.index < $1.index }.map(\.summary))
    }

    /// The bytes as text, as the learner typed them; `?` when a side has none.
    private func text(_ bytes: [UInt8]?) -> String {
        bytes.map { String(decoding: $0, as: UTF8.self) } ?? "?"
    }
}
#endif
