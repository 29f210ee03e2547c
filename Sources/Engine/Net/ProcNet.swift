/// `/proc/<pid>/net/…`: the network namespace of process `pid`, read from outside it.
/// Unlike `/sys/class/net` (which shows the namespace of whoever mounted `/sys`), these
/// files follow the process named in the path, so the tutor can look into a demo's
/// namespace without entering it.
public enum ProcNet {
    /// The directory for `pid`, or the reader's own namespace when `nil`.
    static func path(_ file: String, pid: Int32?) -> String {
        "/proc/\(pid.map(String.init) ?? "self")/net/\(file)"
    }

    /// Interface names from `net/dev`, in the kernel's order.
    public static func interfaces(pid: Int32? = nil) throws -> [String] {
        interfaceNames(parsingDev: try ProcFS.readFile(path("dev", pid: pid)))
    }

    /// IPv4 routes of the main table from `net/route`.
    public static func routes(pid: Int32? = nil) throws -> [ProcRoute] {
        let file = path("route", pid: pid)
        guard let routes = routes(parsingRoute: try ProcFS.readFile(file)) else {
            throw ProcFormatError(path: file, problem: "expected Iface, Destination, Gateway, Flags, …, Mask columns in hex")
        }
        return routes
    }

    /// The IPv4 addresses this namespace answers to, from `net/fib_trie` (the
    /// `/32 host LOCAL` leaves of the local table).
    public static func localAddresses(pid: Int32? = nil) throws -> Set<IPv4Address> {
        localAddresses(parsingFibTrie: try ProcFS.readFile(path("fib_trie", pid: pid)))
    }

    /// `  lo: 5803 119 …` after two header lines: the name is what precedes the colon.
    static func interfaceNames(parsingDev text: String) -> [String] {
        text.split(separator: "\n").dropFirst(2).compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingWhitespace
            return name.isEmpty ? nil : String(name)
        }
    }

    /// The header, then one tab-separated line per route; addresses are `__be32`
    /// printed as host-order hex, so their bytes in memory are in network order.
    static func routes(parsingRoute text: String) -> [ProcRoute]? {
        var routes: [ProcRoute] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard fields.count >= 8, let destination = UInt32(fields[1], radix: 16), let gateway = UInt32(fields[2], radix: 16),
                let mask = UInt32(fields[7], radix: 16)
            else { return nil }
            func address(_ raw: UInt32) -> IPv4Address { IPv4Address(octets: withUnsafeBytes(of: raw) { Array($0) }) }
            let prefix = UInt8(address(mask).value.nonzeroBitCount)
            routes.append(
                ProcRoute(
                    interface: String(fields[0]), destination: IPv4Network(address(destination), prefix: prefix),
                    gateway: gateway == 0 ? nil : address(gateway)))
        }
        return routes
    }

    /// Leaves are `|-- 10.200.0.1` lines; each is followed by lines saying what the
    /// address is (`/32 host LOCAL`, `/30 link UNICAST`).
    static func localAddresses(parsingFibTrie text: String) -> Set<IPv4Address> {
        var addresses: Set<IPv4Address> = []
        var leaf: IPv4Address?
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingWhitespace
            if trimmed.hasPrefix("|-- ") {
                leaf = IPv4Address(trimmed.dropFirst(4))
            } else if trimmed.hasPrefix("+-- ") {
                leaf = nil
            } else if trimmed == "/32 host LOCAL", let leaf {
                addresses.insert(leaf)
            }
        }
        return addresses
    }
}

/// One line of `/proc/<pid>/net/route`.
public struct ProcRoute: Equatable, Sendable {
    public var interface: String
    public var destination: IPv4Network
    public var gateway: IPv4Address?

    public init(interface: String, destination: IPv4Network, gateway: IPv4Address? = nil) {
        self.interface = interface
        self.destination = destination
        self.gateway = gateway
    }

    /// `10.200.0.0/30 dev veth-a`, or `default via 192.0.2.1 dev eth0`, as `ip route` says it.
    public var summary: String {
        let target = destination.prefix == 0 ? "default" : "\(destination)"
        return gateway.map { "\(target) via \($0) dev \(interface)" } ?? "\(target) dev \(interface)"
    }
}

extension Substring {
    /// Without leading and trailing blanks (spaces, tabs).
    fileprivate var trimmingWhitespace: Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return self[endIndex...] }
        return self[first...last]
    }
}
