/// An IPv4 address, its four bytes in network order.
public struct IPv4Address: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The address as a number: `10.200.0.1` is `0x0AC8_0001`.
    public var value: UInt32

    public init(_ value: UInt32) {
        self.value = value
    }

    public init(octets: [UInt8]) {
        precondition(octets.count == 4, "an IPv4 address is 4 bytes")
        self.value = octets.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Dotted decimal, `10.200.0.1`; `nil` for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let octet = UInt8(part) else {
                return nil
            }
            octets.append(octet)
        }
        self.init(octets: octets)
    }

    /// The bytes as they go on the wire and into netlink attributes.
    public var octets: [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    public var description: String { octets.map(String.init).joined(separator: ".") }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}

/// An address with a prefix length: an interface's address (`10.200.0.1/30`) or a
/// network (`10.200.0.0/30`).
public struct IPv4Network: Hashable, Sendable, CustomStringConvertible {
    public var address: IPv4Address
    /// 0 to 32.
    public var prefix: UInt8

    public init(_ address: IPv4Address, prefix: UInt8) {
        precondition(prefix <= 32, "an IPv4 prefix is 0 to 32 bits")
        self.address = address
        self.prefix = prefix
    }

    /// `10.200.0.1/30`; `nil` for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(parts[0]), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            let prefix = UInt8(parts[1]), prefix <= 32
        else { return nil }
        self.init(address, prefix: prefix)
    }

    public var mask: UInt32 { prefix == 0 ? 0 : UInt32.max << (32 - UInt32(prefix)) }

    /// The network itself: the address with the host bits cleared.
    public var network: IPv4Network { IPv4Network(IPv4Address(address.value & mask), prefix: prefix) }

    public func contains(_ other: IPv4Address) -> Bool {
        other.value & mask == address.value & mask
    }

    /// Whether the two share any address.
    public func overlaps(_ other: IPv4Network) -> Bool {
        let shorter = min(prefix, other.prefix)
        let mask = IPv4Network(address, prefix: shorter).mask
        return address.value & mask == other.address.value & mask
    }

    /// The `n`th address of the network (`1` is the first usable one in a /30).
    public func host(_ n: UInt32) -> IPv4Network {
        IPv4Network(IPv4Address((address.value & mask) + n), prefix: prefix)
    }

    public var description: String { "\(address)/\(prefix)" }
}

extension IPv4Network {
    /// Private /30s the demos may use, in order of preference; the first is what the
    /// lessons show.
    public static let demoCandidates: [IPv4Network] = [
        "10.200.0.0/30", "10.200.1.0/30", "10.201.0.0/30", "172.31.200.0/30", "192.168.200.0/30",
    ].compactMap { IPv4Network($0) }

    /// The first candidate that no route and no address of the host touches. A default
    /// route (prefix 0) covers everything and says nothing about the range, so it is
    /// ignored; every other route or address that overlaps a candidate rules it out.
    public static func firstFree(_ candidates: [IPv4Network], avoiding used: [IPv4Network]) -> IPv4Network? {
        candidates.first { candidate in
            !used.contains { $0.prefix > 0 && $0.overlaps(candidate) }
        }
    }
}
