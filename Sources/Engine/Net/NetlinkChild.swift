#if os(Linux)
import Glibc
#endif

/// `ctutor __netlink OPERATION…`: the hidden program a demo starts inside a network
/// namespace it made (the launcher joins the namespace, then execs this), so that the
/// netlink socket it opens belongs to that namespace and not the host's.
///
/// Each argument is one operation; they run in order and each reports a line on
/// standard output. The first failure is reported and ends the program with status 1.
public enum NetlinkChild {
    public enum Operation: Equatable, Sendable {
        /// List links, IPv4 addresses and IPv4 routes.
        case show
        /// Make a veth pair, its peer in the network namespace of a process (or here).
        case veth(name: String, peer: String, peerNamespacePID: Int32?)
        case address(IPv4Network, device: String)
        case up(String)
        case down(String)
        case move(String, namespacePID: Int32)
        case delete(String)

        /// The operation as one argument: `veth veth-a veth-b 4211`, `up veth-a`.
        public var argument: String {
            switch self {
            case .show: "show"
            case .veth(let name, let peer, let pid): "veth \(name) \(peer)" + (pid.map { " \($0)" } ?? "")
            case .address(let address, let device): "address \(address) \(device)"
            case .up(let name): "up \(name)"
            case .down(let name): "down \(name)"
            case .move(let name, let pid): "move \(name) \(pid)"
            case .delete(let name): "delete \(name)"
            }
        }

        public init?(argument: String) {
            let words = argument.split(separator: " ").map(String.init)
            switch (words.first, words.count) {
            case ("show", 1): self = .show
            case ("veth", 3): self = .veth(name: words[1], peer: words[2], peerNamespacePID: nil)
            case ("veth", 4):
                guard let pid = Int32(words[3]) else { return nil }
                self = .veth(name: words[1], peer: words[2], peerNamespacePID: pid)
            case ("address", 3):
                guard let address = IPv4Network(words[1]) else { return nil }
                self = .address(address, device: words[2])
            case ("up", 2): self = .up(words[1])
            case ("down", 2): self = .down(words[1])
            case ("move", 3):
                guard let pid = Int32(words[2]) else { return nil }
                self = .move(words[1], namespacePID: pid)
            case ("delete", 2): self = .delete(words[1])
            default: return nil
            }
        }
    }

    /// What the program reported, read back from its standard output.
    public struct Output: Equatable, Sendable {
        public var done: [Operation] = []
        public var links: [NetworkLink] = []
        public var addresses: [NetworkAddress] = []
        public var routes: [NetworkRoute] = []
        public var failure: SyscallError?

        public init(parsing text: String) {
            for fields in ChildLine.records(text) {
                switch (fields.first, fields.count) {
                case ("done", 2): Operation(argument: fields[1]).map { done.append($0) }
                case ("link", 6):
                    guard let index = Int32(fields[1]), let flags = UInt32(fields[3], radix: 16) else { continue }
                    links.append(
                        NetworkLink(
                            index: index, name: fields[2], flags: flags, kind: fields[4] == "-" ? nil : fields[4],
                            peerIndex: Int32(fields[5])))
                case ("address", 4):
                    guard let index = Int32(fields[1]), let address = IPv4Network(fields[3]) else { continue }
                    addresses.append(NetworkAddress(index: index, label: fields[2], address: address))
                case ("route", 6):
                    guard let destination = IPv4Network(fields[1]), let table = UInt32(fields[2]), let type = UInt8(fields[3])
                    else { continue }
                    routes.append(
                        NetworkRoute(
                            destination: destination, table: table, type: type, gateway: IPv4Address(fields[4]),
                            outputIndex: Int32(fields[5])))
                case ("error", 3): failure = Int32(fields[1]).map { SyscallError(call: fields[2], errno: $0) }
                default: continue
                }
            }
        }
    }

    #if os(Linux)
    /// The program: runs each operation given as an argument.
    @Sendable static func main(_ arguments: [String]) -> Int32 {
        let operations = arguments.map { Operation(argument: $0) }
        guard !operations.isEmpty, !operations.contains(nil) else {
            ChildLine.write(["error", "\(EINVAL)", "arguments: \(arguments.joined(separator: ", "))"])
            return 2
        }
        do {
            let netlink = try Netlink()
            for operation in operations.compactMap({ $0 }) {
                try run(operation, on: netlink)
                ChildLine.write(["done", operation.argument])
            }
            return 0
        } catch {
            ChildLine.write(["error", "\(error.errno)", error.call])
            return 1
        }
    }

    private static func run(_ operation: Operation, on netlink: Netlink) throws(SyscallError) {
        switch operation {
        case .show:
            for link in try netlink.links() {
                ChildLine.write([
                    "link", "\(link.index)", link.name, String(link.flags, radix: 16), link.kind ?? "-",
                    link.peerIndex.map(String.init) ?? "-",
                ])
            }
            for address in try netlink.addresses() {
                ChildLine.write(["address", "\(address.index)", address.label, "\(address.address)"])
            }
            for route in try netlink.routes() {
                ChildLine.write([
                    "route", "\(route.destination)", "\(route.table)", "\(route.type)", route.gateway.map { "\($0)" } ?? "-",
                    route.outputIndex.map(String.init) ?? "-",
                ])
            }
        case .veth(let name, let peer, let pid): try netlink.createVeth(name: name, peer: peer, peerNamespacePID: pid)
        case .address(let address, let device): try netlink.addAddress(address, to: device)
        case .up(let name): try netlink.setLink(name, up: true)
        case .down(let name): try netlink.setLink(name, up: false)
        case .move(let name, let pid): try netlink.moveLink(name, toNamespaceOf: pid)
        case .delete(let name): try netlink.deleteLink(name)
        }
    }
    #endif
}
