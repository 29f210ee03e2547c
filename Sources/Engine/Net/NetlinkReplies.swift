/// A network interface as `RTM_NEWLINK` describes it (`ip link`).
public struct NetworkLink: Equatable, Sendable {
    public var index: Int32
    public var name: String
    /// `IFF_*` flags.
    public var flags: UInt32
    /// `IFLA_INFO_KIND`: `veth`, `bridge`; `nil` for a plain device such as `lo`.
    public var kind: String?
    /// `IFLA_LINK`: for a veth, the index of its peer (in the peer's namespace).
    public var peerIndex: Int32?
    /// `IFLA_MASTER`: the index of the bridge this link is a port of.
    public var master: Int32?

    public init(index: Int32, name: String, flags: UInt32, kind: String? = nil, peerIndex: Int32? = nil, master: Int32? = nil) {
        self.index = index
        self.name = name
        self.flags = flags
        self.kind = kind
        self.peerIndex = peerIndex
        self.master = master
    }

    /// Reads one `RTM_NEWLINK` reply; `nil` for anything else.
    init?(_ message: NetlinkMessage) {
        guard message.type == RTNetlink.newLink, message.payload.count >= 16,
            let attributes = NetlinkAttribute.decode(message.payload.dropFirst(16))
        else { return nil }
        index = message.payload.load(Int32.self, at: 4)
        flags = message.payload.load(UInt32.self, at: 8)
        name = attributes.first { $0.type == RTNetlink.linkName }?.string ?? "?"
        peerIndex = attributes.first { $0.type == RTNetlink.linkPeerIndex }?.uint32.map { Int32(bitPattern: $0) }
        master = attributes.first { $0.type == RTNetlink.linkMaster }?.uint32.map { Int32(bitPattern: $0) }
        let info = attributes.first { $0.type == RTNetlink.linkInfo }.flatMap { NetlinkAttribute.decode($0.payload) }
        kind = info?.first { $0.type == RTNetlink.infoKind }?.string
    }

    /// Up by the administrator's choice (`IFF_UP`): what `ip link` shows as UP or DOWN.
    public var isUp: Bool { flags & RTNetlink.interfaceUp != 0 }

    /// The flags as `ip link` names them, in its order: `LOOPBACK,UP,LOWER_UP`.
    public var flagNames: [String] {
        let lowerUp: UInt32 = 0x10000
        // An interface that is up without a carrier (its veth peer is down) says so first.
        var names = isUp && flags & lowerUp == 0 ? ["NO-CARRIER"] : []
        let known: [(UInt32, String)] = [
            (0x8, "LOOPBACK"), (0x2, "BROADCAST"), (0x10, "POINTOPOINT"), (0x1000, "MULTICAST"), (0x80, "NOARP"),
            (RTNetlink.interfaceUp, "UP"), (lowerUp, "LOWER_UP"),
        ]
        for (bit, name) in known where flags & bit != 0 { names.append(name) }
        return names
    }

    /// `lo: <LOOPBACK> DOWN`, as `ip -br link` would say it.
    public var summary: String {
        "\(name): <\(flagNames.joined(separator: ","))> \(isUp ? "UP" : "DOWN")"
    }
}

/// An IPv4 address on an interface, from `RTM_NEWADDR` (`ip -4 addr`).
public struct NetworkAddress: Equatable, Sendable {
    public var index: Int32
    /// `IFA_LABEL`: the interface's name.
    public var label: String
    /// `IFA_LOCAL` with the prefix length: `10.200.0.1/30`.
    public var address: IPv4Network

    public init(index: Int32, label: String, address: IPv4Network) {
        self.index = index
        self.label = label
        self.address = address
    }

    init?(_ message: NetlinkMessage) {
        guard message.type == RTNetlink.newAddress, message.payload.count >= 8, message.payload[0] == RTNetlink.familyIPv4,
            let attributes = NetlinkAttribute.decode(message.payload.dropFirst(8))
        else { return nil }
        let local = attributes.first { $0.type == RTNetlink.addressLocal } ?? attributes.first { $0.type == RTNetlink.addressAddress }
        guard let local, local.payload.count == 4, message.payload[1] <= 32 else { return nil }
        index = Int32(bitPattern: message.payload.load(UInt32.self, at: 4))
        label = attributes.first { $0.type == RTNetlink.addressLabel }?.string ?? "?"
        address = IPv4Network(IPv4Address(octets: local.payload), prefix: message.payload[1])
    }

    /// `veth-a 10.200.0.1/30`.
    public var summary: String { "\(label) \(address)" }
}

/// An IPv4 route from `RTM_NEWROUTE`, in any table (`ip route show table all`).
public struct NetworkRoute: Equatable, Sendable {
    public var destination: IPv4Network
    /// `RT_TABLE_MAIN` is 254, `RT_TABLE_LOCAL` 255.
    public var table: UInt32
    /// `RTN_UNICAST` is 1, `RTN_LOCAL` 2, `RTN_BROADCAST` 3.
    public var type: UInt8
    public var gateway: IPv4Address?
    public var outputIndex: Int32?

    public init(destination: IPv4Network, table: UInt32 = 254, type: UInt8 = 1, gateway: IPv4Address? = nil, outputIndex: Int32? = nil) {
        self.destination = destination
        self.table = table
        self.type = type
        self.gateway = gateway
        self.outputIndex = outputIndex
    }

    init?(_ message: NetlinkMessage) {
        guard message.type == RTNetlink.newRoute, message.payload.count >= 12, message.payload[0] == RTNetlink.familyIPv4,
            message.payload[1] <= 32, let attributes = NetlinkAttribute.decode(message.payload.dropFirst(12))
        else { return nil }
        func address(_ type: UInt16) -> IPv4Address? {
            attributes.first { $0.type == type && $0.payload.count == 4 }.map { IPv4Address(octets: $0.payload) }
        }
        destination = IPv4Network(address(RTNetlink.routeDestination) ?? IPv4Address(0), prefix: message.payload[1])
        table = attributes.first { $0.type == RTNetlink.routeTable }?.uint32 ?? UInt32(message.payload[4])
        type = message.payload[7]
        gateway = address(RTNetlink.routeGateway)
        outputIndex = attributes.first { $0.type == RTNetlink.routeOutput }?.uint32.map { Int32(bitPattern: $0) }
    }

    /// A route that sends packets anywhere (`0.0.0.0/0`).
    public var isDefault: Bool { destination.prefix == 0 }
}
