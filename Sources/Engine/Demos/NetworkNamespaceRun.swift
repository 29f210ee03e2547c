#if os(Linux)
import TutorCore

/// One run of the network demo, from the host's first look to the check that nothing
/// is left: it holds namespaces A and B open with two processes of ours, runs the
/// netlink and echo programs inside them, and releases everything, in every outcome.
final class NetworkNamespaceRun {
    /// The two namespaces, as the report names them.
    enum Side: String, CaseIterable {
        case a = "A"
        case b = "B"

        var role: String { rawValue.lowercased() }
        var label: Localized { Localized(ko: "네임스페이스 \(rawValue)", en: "Namespace \(rawValue)") }
    }

    /// How long one program inside may take, and one wait of a socket in it.
    static let programTimeout = Duration.seconds(5)
    static let socketTimeoutMilliseconds: Int32 = 3000

    let demo: NetworkNamespaceDemo
    let rootless: Bool
    let probe: MachineProbe
    let record: RunRecord
    var report: DemoReport
    /// The processes holding A and B open, in launch order.
    private(set) var holders: [(side: Side, process: LaunchedProcess)] = []
    /// Every program run inside, to be reaped whatever happens.
    private(set) var programs: [(label: Localized, program: LaunchedProgram)] = []
    /// A's and B's network namespaces, as soon as they exist.
    private(set) var namespaces: [Side: NamespaceID] = [:]
    private(set) var vethMade = false
    /// The two addresses, once chosen.
    private(set) var demoAddresses: [IPv4Address] = []

    init(demo: NetworkNamespaceDemo, rootless: Bool, probe: MachineProbe) {
        self.demo = demo
        self.rootless = rootless
        self.probe = probe
        self.record = RunRecord.begin(demo: NetworkNamespaceDemo.info.id)
        self.report = DemoReport(
            demo: NetworkNamespaceDemo.info.id, title: NetworkNamespaceDemo.info.title, mode: rootless ? .rootless : .real)
    }

    func run(whileAlive: ((NamespaceChild) throws -> Void)?) -> DemoReport {
        defer { record.finish() }
        var hostBefore: HostNetwork?
        do {
            let host = try HostNetwork.capture()
            hostBefore = host
            try demonstrate(host: host, whileAlive: whileAlive)
        } catch {
            report.record(DemoFailure(error, rootless: rootless, probe: probe))
        }
        release(hostBefore: hostBefore)
        return report
    }

    private func demonstrate(host: HostNetwork, whileAlive: ((NamespaceChild) throws -> Void)?) throws {
        let subnet = try pickSubnet(host)
        let addressA = subnet.host(1)
        let addressB = subnet.host(2)
        demoAddresses = [addressA.address, addressB.address]
        let a = try hold(.a)
        let b = try hold(.b)

        let startA = try ProcNet.interfaces(pid: a.pid)
        let startB = try ProcNet.interfaces(pid: b.pid)
        let insideStartB = try netlink(.b, [.show])
        let setupA = try netlink(
            .a,
            [
                .show, .veth(name: NetworkNamespaceDemo.vethA, peer: NetworkNamespaceDemo.vethB, peerNamespacePID: b.pid),
                .address(addressA, device: NetworkNamespaceDemo.vethA), .up(NetworkNamespaceDemo.vethA),
            ])
        vethMade = true
        let setupB = try netlink(.b, [.address(addressB, device: NetworkNamespaceDemo.vethB), .up(NetworkNamespaceDemo.vethB), .show])
        let endA = try netlink(.a, [.show])
        let start = try NetworkStart(
            host: host, a: (startA, setupA.links), b: (startB, insideStartB.links), pids: (a.pid, b.pid))

        let echo = try self.echo(to: addressB.address)
        // The host again, while A and B and the veth between them exist.
        let hostNow = try HostNetwork.capture()
        let views = (
            host: hostNow, a: try NamespaceView.read(pid: a.pid, inside: endA, side: .a),
            b: try NamespaceView.read(pid: b.pid, inside: setupB, side: .b)
        )
        report.steps.append(
            Localized(
                ko: "호스트: /proc/\(a.pid)/net/{dev,route,fib_trie}, /proc/\(b.pid)/net/{dev,route,fib_trie}, "
                    + "/proc/self/net/{dev,route,fib_trie}를 바깥에서 읽어 안쪽 netlink의 답과 맞춰 봄",
                en: "host: read /proc/\(a.pid)/net/{dev,route,fib_trie}, /proc/\(b.pid)/net/{dev,route,fib_trie} and "
                    + "/proc/self/net/{dev,route,fib_trie} from outside, and checked them against netlink's answers inside"))
        try hostNow.checkAbsent(since: host, interfaces: [NetworkNamespaceDemo.vethA, NetworkNamespaceDemo.vethB], addresses: demoAddresses)
        report.observations = try observations(start: start, views: views, echo: echo)
        try whileAlive?(NamespaceChild(pid: a.pid, others: [b.pid]))
    }

    /// The first candidate /30 that no address or route of the host touches.
    private func pickSubnet(_ host: HostNetwork) throws -> IPv4Network {
        let used = host.addresses.map(\.address) + host.routes.map(\.destination)
        guard let subnet = IPv4Network.firstFree(demo.candidates, avoiding: used) else {
            let list = demo.candidates.map(\.description).joined(separator: ", ")
            throw NetworkDemoStop(
                detail: Localized(
                    ko: "후보 네트워크(\(list))가 모두 호스트의 주소나 경로와 겹칩니다",
                    en: "every candidate network (\(list)) overlaps an address or route of the host"))
        }
        let skipped = demo.candidates.prefix { $0 != subnet }.map(\.description)
        let note =
            skipped.isEmpty
            ? Localized("")
            : Localized(
                ko: " (\(skipped.joined(separator: ", ")): 호스트가 쓰고 있어 건너뜀)",
                en: " (\(skipped.joined(separator: ", ")) skipped: the host uses it)")
        report.steps.append(
            Localized(
                ko: "호스트: socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)로 RTM_GETADDR·RTM_GETROUTE 덤프를 읽음. "
                    + "호스트의 어떤 주소·경로도 \(subnet) 대역과 겹치지 않으므로 이 대역을 씀\(note.ko)",
                en: "host: socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), RTM_GETADDR and RTM_GETROUTE dumps: no address "
                    + "or route of the host touches \(subnet), so the demo uses it\(note.en)"))
        return subnet
    }

    /// Launches the process that holds `side`'s new network namespace open. Rootless,
    /// A makes a new user namespace and B joins it, so that one owner holds both.
    private func hold(_ side: Side) throws -> LaunchedProcess {
        var spec = LaunchSpec(namespaces: [.net])
        if rootless, let a = holders.first {
            spec.join = [(.user, a.process.pid)]
        } else if rootless {
            spec.namespaces.insert(.user)
        }
        spec.name = "ctutor-net-\(side.role)"
        spec.readLinks = ["/proc/self/ns/net"]
        let process = try NamespaceLauncher.launch(spec, record: record)
        holders.append((side, process))
        let namespace = try ProcFS.namespace(.net, pid: process.pid)
        namespaces[side] = namespace
        guard process.inside.links["/proc/self/ns/net"] == namespace.description else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko:
                        "\(side.rawValue)는 자기 네트워크 네임스페이스를 \(process.inside.links["/proc/self/ns/net"] ?? "?")(으)로 읽었지만 바깥에서는 \(namespace)입니다",
                    en:
                        "\(side.rawValue) reads its network namespace as \(process.inside.links["/proc/self/ns/net"] ?? "?") but outside says \(namespace)"
                ))
        }
        report.steps += process.steps.map { Localized(ko: "\(side.rawValue) — \($0.ko)", en: "\(side.rawValue) — \($0.en)") }
        return process
    }

    private func holder(_ side: Side) -> LaunchedProcess {
        holders.first { $0.side == side }!.process
    }

    /// A spec that enters `side`'s namespaces (its user namespace first, rootless) and
    /// execs the hidden program `name`.
    private func programSpec(_ side: Side, _ name: String, comm: String, _ arguments: [String]) -> LaunchSpec {
        var spec = LaunchSpec(namespaces: [])
        let pid = holder(side).pid
        spec.join = (rootless ? [(.user, pid)] : []) + [(.net, pid)]
        spec.name = comm
        spec.program = LaunchSpec.Program(path: demo.childExecutable, arguments: ChildProgram.argv(name, arguments))
        return spec
    }

    /// Starts a program inside `side` and keeps it for cleanup.
    func start(_ side: Side, _ name: String, comm: String, _ arguments: [String]) throws -> LaunchedProgram {
        let program = try LaunchedProgram.start(programSpec(side, name, comm: comm, arguments), record: record)
        programs.append(
            (Localized(ko: "\(side.rawValue) 안의 ctutor __\(name)", en: "ctutor __\(name) in \(side.rawValue)"), program))
        return program
    }

    /// Runs `ctutor __netlink` inside `side` and returns what it reported.
    private func netlink(_ side: Side, _ operations: [NetlinkChild.Operation]) throws -> NetlinkChild.Output {
        let program = try start(side, "netlink", comm: "ctutor-netlink", operations.map(\.argument))
        let result = program.finish(until: .now + Self.programTimeout)
        let output = NetlinkChild.Output(parsing: result.output)
        if let failure = output.failure {
            throw NetworkDemoStop(
                detail: Localized(
                    ko: "\(side.rawValue) 안의 ctutor __netlink: \(failure)", en: "ctutor __netlink in \(side.rawValue): \(failure)"))
        }
        guard result.exit.exitCode == 0, output.done == operations else {
            throw NetworkDemoStop(detail: Self.programFailed("netlink", side: side, result))
        }
        report.steps.append(netlinkStep(side, pid: program.process.pid, operations, output))
        return output
    }

    static func programFailed(_ name: String, side: Side, _ result: LaunchedProgram.Result) -> Localized {
        let errors = result.errors.split(separator: "\n").last.map { ": \($0)" } ?? ""
        return Localized(
            ko: "\(side.rawValue) 안의 ctutor __\(name)이(가) 끝까지 보고하지 못함 (\(result.exit.step.ko))\(errors)",
            en: "ctutor __\(name) in \(side.rawValue) did not finish its report (\(result.exit.step.en))\(errors)")
    }
}

/// A stop of the network demo, in words for the learner.
struct NetworkDemoStop: LocalizedFailure {
    var detail: Localized
}
#endif
