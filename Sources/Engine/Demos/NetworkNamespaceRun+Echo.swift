#if os(Linux)
import TutorCore

/// The TCP echo across the veth, and the steps that name what the programs inside did.
extension NetworkNamespaceRun {
    /// What both ends of the echo reported.
    struct Echo {
        var server: EchoChild.Transcript
        var client: EchoChild.Transcript
    }

    /// A server in B bound to B's address, then a client in A that sends the message.
    func echo(to address: IPv4Address) throws -> Echo {
        let arguments = ["\(address)", "\(demo.port)", "\(Self.socketTimeoutMilliseconds)"]
        let server = try start(.b, "echo-server", comm: "ctutor-echo-srv", arguments)
        let listening = server.read(until: .now + Self.programTimeout) { $0.hasPrefix("listening\t") || $0.hasPrefix("error\t") }
        if !listening || EchoChild.Transcript(parsing: server.output).listening == nil {
            let end = server.finish(until: .now + .seconds(1))
            try check("echo-server", .b, end)
            throw NetworkDemoStop(detail: Self.programFailed("echo-server", side: .b, end))
        }
        let client = try start(.a, "echo-client", comm: "ctutor-echo-cli", arguments + [demo.message])
        let clientEnd = client.finish(until: .now + Self.programTimeout)
        let serverEnd = server.finish(until: .now + Self.programTimeout)
        let echo = Echo(
            server: try check("echo-server", .b, serverEnd), client: try check("echo-client", .a, clientEnd))

        let served = echo.server.received?.count ?? 0
        report.steps.append(
            Localized(
                ko: "B — ctutor __echo-server (PID \(server.process.pid)), \(entered(.b)) 뒤: socket(AF_INET, SOCK_STREAM), "
                    + "bind(\(echo.server.listening ?? "?")), listen(), accept() → \(echo.server.remote ?? "?")에서 온 연결; "
                    + "recv \(served)바이트, 그대로 send",
                en: "B — ctutor __echo-server (PID \(server.process.pid)), after \(entered(.b)): socket(AF_INET, SOCK_STREAM), "
                    + "bind(\(echo.server.listening ?? "?")), listen(), accept() → a connection from \(echo.server.remote ?? "?"); "
                    + "recv \(served) bytes, send them back"))
        let sent = echo.client.sent?.count ?? 0
        let back = echo.client.received?.count ?? 0
        report.steps.append(
            Localized(
                ko: "A — ctutor __echo-client (PID \(client.process.pid)), \(entered(.a)) 뒤: socket(AF_INET, SOCK_STREAM), "
                    + "connect(\(echo.client.remote ?? "?")) — 자기 쪽 주소는 \(echo.client.local ?? "?"); send \(sent)바이트, "
                    + "shutdown(SHUT_WR), recv \(back)바이트",
                en: "A — ctutor __echo-client (PID \(client.process.pid)), after \(entered(.a)): socket(AF_INET, SOCK_STREAM), "
                    + "connect(\(echo.client.remote ?? "?")) from \(echo.client.local ?? "?"); send \(sent) bytes, "
                    + "shutdown(SHUT_WR), recv \(back) bytes"))
        return echo
    }

    /// The transcript of an echo program that ran to the end; it stops the run otherwise.
    @discardableResult
    private func check(_ name: String, _ side: Side, _ result: LaunchedProgram.Result) throws -> EchoChild.Transcript {
        let transcript = EchoChild.Transcript(parsing: result.output)
        if let failure = transcript.failure {
            throw NetworkDemoStop(
                detail: Localized(
                    ko: "\(side.rawValue) 안의 ctutor __\(name): \(failure)", en: "ctutor __\(name) in \(side.rawValue): \(failure)"))
        }
        guard result.exit.exitCode == 0, transcript.received != nil, transcript.sent != nil else {
            throw NetworkDemoStop(detail: Self.programFailed(name, side: side, result))
        }
        return transcript
    }

    /// `setns(/proc/<pid>/ns/user), setns(/proc/<pid>/ns/net)`: how a program gets into `side`.
    func entered(_ side: Side) -> String {
        let pid = holders.first { $0.side == side }?.process.pid ?? 0
        return (rootless ? ["user", "net"] : ["net"]).map { "setns(/proc/\(pid)/ns/\($0))" }.joined(separator: ", ")
    }

    /// What one run of `ctutor __netlink` did, naming the netlink messages.
    func netlinkStep(_ side: Side, pid: Int32, _ operations: [NetlinkChild.Operation], _ output: NetlinkChild.Output) -> Localized {
        let found = output.links.sorted { $0.index < $1.index }.map(\.summary).joined(separator: ", ")
        let calls = operations.map { operation -> Localized in
            switch operation {
            case .show:
                return Localized(
                    ko: "RTM_GETLINK·RTM_GETADDR·RTM_GETROUTE 덤프 → \(found)", en: "RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE dumps → \(found)")
            case .veth(let name, let peer, .some(let peerPID)):
                return Localized(
                    ko:
                        "RTM_NEWLINK \(name) (IFLA_INFO_KIND \"veth\", VETH_INFO_PEER \(peer), IFLA_NET_NS_PID \(peerPID)): 짝 \(peer)는 바로 B 안에 생김",
                    en:
                        "RTM_NEWLINK \(name) (IFLA_INFO_KIND \"veth\", VETH_INFO_PEER \(peer), IFLA_NET_NS_PID \(peerPID)): the peer \(peer) is made right in B"
                )
            case .veth(let name, let peer, nil):
                return Localized("RTM_NEWLINK \(name) (IFLA_INFO_KIND \"veth\", VETH_INFO_PEER \(peer))")
            case .address(let address, let device):
                return Localized("RTM_NEWADDR \(address) dev \(device)")
            case .up(let name):
                return Localized("RTM_NEWLINK \(name) IFF_UP")
            case .down(let name):
                return Localized("RTM_NEWLINK \(name) ~IFF_UP")
            case .move(let name, let target):
                return Localized("RTM_NEWLINK \(name) IFLA_NET_NS_PID \(target)")
            case .delete(let name):
                return Localized("RTM_DELLINK \(name)")
            }
        }
        let socket = "socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)"
        return Localized(
            ko:
                "\(side.rawValue) — ctutor __netlink (PID \(pid)), \(entered(side)) 뒤: \(socket); \(calls.map(\.ko).joined(separator: "; "))",
            en:
                "\(side.rawValue) — ctutor __netlink (PID \(pid)), after \(entered(side)): \(socket); \(calls.map(\.en).joined(separator: "; "))"
        )
    }
}
#endif
