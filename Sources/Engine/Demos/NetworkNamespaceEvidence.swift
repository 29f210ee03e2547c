#if os(Linux)
import TutorCore

/// One network namespace as the tutor saw it: what netlink said inside, checked
/// against `/proc/<pid>/net/…` read from outside. Where the two disagree, the run stops.
struct NamespaceView {
    /// `net/dev`, outside.
    var interfaces: [String]
    /// `RTM_GETLINK`, inside.
    var links: [NetworkLink]
    /// `RTM_GETADDR`, inside.
    var addresses: [NetworkAddress]
    /// `net/route`, outside.
    var routes: [ProcRoute]
    /// `net/fib_trie`, outside: the addresses the namespace answers to.
    var local: Set<IPv4Address>

    /// Reads `/proc/<pid>/net` (`nil`: the tutor's own, the host's) and checks netlink's
    /// answers against it.
    static func read(pid: Int32?, links: [NetworkLink], addresses: [NetworkAddress], place: Localized) throws -> NamespaceView {
        let view = NamespaceView(
            interfaces: try ProcNet.interfaces(pid: pid), links: links, addresses: addresses, routes: try ProcNet.routes(pid: pid),
            local: try ProcNet.localAddresses(pid: pid))
        try checkNames(outside: view.interfaces, inside: links, place: place, pid: pid)
        for address in addresses where !view.local.contains(address.address.address) {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "\(place.ko)의 netlink는 \(address.summary)를 알리지만 \(ProcNet.path("fib_trie", pid: pid))에는 없습니다",
                    en: "netlink in \(place.en) lists \(address.summary) but \(ProcNet.path("fib_trie", pid: pid)) does not"))
        }
        return view
    }

    static func read(pid: Int32, inside: NetlinkChild.Output, side: NetworkNamespaceRun.Side) throws -> NamespaceView {
        try read(pid: pid, links: inside.links, addresses: inside.addresses, place: side.label)
    }

    /// The interfaces netlink lists inside must be the ones `net/dev` lists outside.
    static func checkNames(outside: [String], inside: [NetworkLink], place: Localized, pid: Int32?) throws {
        guard Set(outside) == Set(inside.map(\.name)) else {
            let listed = inside.map(\.name).joined(separator: ", ")
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "\(place.ko)의 netlink는 \(listed)를 알리지만 \(ProcNet.path("dev", pid: pid))에는 \(outside.joined(separator: ", "))가 있습니다",
                    en:
                        "netlink in \(place.en) lists \(listed) but \(ProcNet.path("dev", pid: pid)) lists \(outside.joined(separator: ", "))"
                ))
        }
    }

    /// Each link as `ip -br link` would put it, one a line.
    var linksText: String { Self.text(links.sorted { $0.index < $1.index }.map(\.summary)) }
    var addressesText: String { Self.text(addresses.map(\.summary)) }
    var routesText: String { Self.text(routes.map(\.summary)) }

    static func text(_ lines: [String]) -> String { lines.isEmpty ? "-" : lines.joined(separator: "\n") }
}

/// The host's network as the tutor finds it from where it runs: its view, and every
/// IPv4 route of every table (for the choice of subnet).
struct HostNetwork {
    var view: NamespaceView
    var routes: [NetworkRoute]

    static let place = Localized(ko: "호스트", en: "the host")

    /// Read only: a netlink dump in the tutor's own namespace changes nothing.
    static func capture() throws -> HostNetwork {
        let netlink = try Netlink()
        let view = try NamespaceView.read(pid: nil, links: try netlink.links(), addresses: try netlink.addresses(), place: place)
        return HostNetwork(view: view, routes: try netlink.routes())
    }

    var addresses: [NetworkAddress] { view.addresses }

    /// Stops the run if the host now has one of the demo's interfaces or addresses
    /// that it did not have at `start`.
    func checkAbsent(since start: HostNetwork, interfaces: [String], addresses: [IPv4Address]) throws {
        let found = start.change(to: self, demoInterfaces: interfaces, demoAddresses: addresses).byDemo
            + addresses.filter { address in view.addresses.contains { $0.address.address == address } }.map { "address \($0) on the host" }
        guard found.isEmpty else {
            let list = found.joined(separator: "; ")
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "A와 B가 살아 있는 동안 호스트에 데모의 것이 보입니다: \(list)",
                    en: "while A and B live, the host shows something of the demo's: \(list)"))
        }
    }

    /// What differs in `after`: changes that could be the demo's (its interface names or
    /// addresses on the host), and any other (another program's, on a busy machine).
    func change(to after: HostNetwork, demoInterfaces: [String], demoAddresses: [IPv4Address]) -> (byDemo: [String], others: [String]) {
        var byDemo: [String] = []
        var others: [String] = []
        for name in Set(after.view.interfaces).subtracting(view.interfaces).sorted() {
            let line = "interface \(name) appeared in /proc/net/dev"
            if demoInterfaces.contains(name) { byDemo.append(line) } else { others.append(line) }
        }
        for name in Set(view.interfaces).subtracting(after.view.interfaces).sorted() {
            others.append("interface \(name) left /proc/net/dev")
        }
        for address in after.view.local.subtracting(view.local).sorted() {
            let line = "address \(address) appeared on the host"
            if demoAddresses.contains(address) { byDemo.append(line) } else { others.append(line) }
        }
        for address in view.local.subtracting(after.view.local).sorted() {
            others.append("address \(address) left the host")
        }
        return (byDemo, others)
    }
}

/// A and B when they were new: `net/dev` outside and `RTM_GETLINK` inside, checked to agree.
struct NetworkStart {
    var host: [NetworkLink]
    var a: [NetworkLink]
    var b: [NetworkLink]

    init(
        host: HostNetwork, a: (outside: [String], inside: [NetworkLink]), b: (outside: [String], inside: [NetworkLink]),
        pids: (a: Int32, b: Int32)
    ) throws {
        try NamespaceView.checkNames(outside: a.outside, inside: a.inside, place: NetworkNamespaceRun.Side.a.label, pid: pids.a)
        try NamespaceView.checkNames(outside: b.outside, inside: b.inside, place: NetworkNamespaceRun.Side.b.label, pid: pids.b)
        self.host = host.view.links
        self.a = a.inside
        self.b = b.inside
    }
}
#endif
