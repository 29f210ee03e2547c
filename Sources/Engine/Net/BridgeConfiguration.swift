/// Which bridge the containers of `ctutor run --net bridge` share, and which IPv4
/// network their addresses come from.
public struct BridgeConfiguration: Sendable, Equatable, Codable {
    /// The bridge link on the host: at most 15 bytes (`IFNAMSIZ` less its NUL).
    public var bridgeName: String
    /// `nil`: the first of ``subnetCandidates`` that overlaps no address or route of
    /// the host, chosen when the bridge is made. A bridge that exists keeps the subnet
    /// it was made with.
    public var subnet: IPv4Network?

    public init(bridgeName: String = Self.defaultBridgeName, subnet: IPv4Network? = nil) {
        self.bridgeName = bridgeName
        self.subnet = subnet
    }

    public static let defaultBridgeName = "ctutor0"

    /// The variable that picks the subnet: `CTUTOR_BRIDGE_SUBNET=10.123.0.0/24`.
    public static let subnetVariable = "CTUTOR_BRIDGE_SUBNET"

    /// Private /24s tried in order when no subnet is given. Docker's 172.17.0.0/16 and
    /// the usual home and office 192.168.0.x and 192.168.1.x are left out; 10.88.0.0/24
    /// is Podman's default too, and is skipped like any other when the host uses it.
    public static let subnetCandidates: [IPv4Network] = [
        "10.88.0.0/24", "10.89.0.0/24", "10.90.0.0/24", "172.30.0.0/24", "172.30.1.0/24", "192.168.234.0/24",
        "192.168.235.0/24",
    ].compactMap { IPv4Network($0) }

    /// The RFC 1918 blocks a subnet must lie in: addresses no one routes on the internet.
    public static let privateBlocks: [IPv4Network] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].compactMap { IPv4Network($0) }

    /// Prefix lengths allowed: a /16 holds 65,533 containers, a /29 five (.1 is kept for
    /// a gateway the host may get one day, .0 and the last are the network and broadcast).
    public static let prefixRange: ClosedRange<UInt8> = 16...29

    /// The configuration `env` asks for: the default bridge, and the subnet in
    /// `CTUTOR_BRIDGE_SUBNET` when it is set (refused unless ``validate(subnet:)`` accepts it).
    public static func fromEnvironment(_ env: [String: String]) -> Result<BridgeConfiguration, ContainerNetworkError> {
        guard let text = env[subnetVariable] else { return .success(BridgeConfiguration()) }
        return validate(subnet: text).map { BridgeConfiguration(subnet: $0) }
    }

    /// A subnet written as `10.123.0.0/24`: a network address (no host bits set), a prefix
    /// in ``prefixRange``, inside one of the ``privateBlocks``.
    public static func validate(subnet text: String) -> Result<IPv4Network, ContainerNetworkError> {
        guard let subnet = IPv4Network(text) else { return .failure(.invalidSubnet(text: text, problem: .notANetwork)) }
        guard prefixRange.contains(subnet.prefix) else { return .failure(.invalidSubnet(text: text, problem: .prefixOutOfRange)) }
        guard subnet.network == subnet else {
            return .failure(.invalidSubnet(text: text, problem: .hostBitsSet(network: subnet.network)))
        }
        guard privateBlocks.contains(where: { $0.prefix <= subnet.prefix && $0.contains(subnet.address) }) else {
            return .failure(.invalidSubnet(text: text, problem: .notPrivate))
        }
        return .success(subnet)
    }

    /// The first candidate that no host address and no host route touches; a default
    /// route (prefix 0) says nothing about a range and rules nothing out.
    public static func chooseSubnet(
        candidates: [IPv4Network] = subnetCandidates, hostAddresses: [IPv4Network], hostRoutes: [IPv4Network]
    ) -> IPv4Network? {
        IPv4Network.firstFree(candidates, avoiding: hostAddresses + hostRoutes)
    }

    /// The host network a subnet would overlap: an address or a route other than the default.
    static func conflict(of subnet: IPv4Network, hostAddresses: [IPv4Network], hostRoutes: [IPv4Network]) -> IPv4Network? {
        (hostAddresses + hostRoutes).first { $0.prefix > 0 && $0.overlaps(subnet) }
    }

    /// Whether `name` can name a link: 1 to 15 bytes, no `/`, no whitespace, not `.` or `..`.
    static func isValidLinkName(_ name: String) -> Bool {
        (1...15).contains(name.utf8.count) && name != "." && name != ".."
            && !name.contains { $0 == "/" || $0 == ":" || $0.isWhitespace || !$0.isASCII }
    }
}

extension IPv4Network: Codable {
    /// Encoded as its text, `10.88.0.2/24`, so a saved attachment reads as `ip addr` shows it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let network = IPv4Network(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an IPv4 address/prefix: \(text)")
        }
        self = network
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
