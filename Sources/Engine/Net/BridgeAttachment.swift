/// One container plugged into the bridge: what ``ContainerNetwork/attach(containerPID:containerID:configuration:stateDirectory:)``
/// made, and what ``ContainerNetwork/detach(_:stateDirectory:)`` takes back.
public struct BridgeAttachment: Sendable, Equatable, Codable {
    public var containerID: String
    /// The bridge on the host: `ctutor0`.
    public var bridge: String
    /// The host's end of the container's veth pair, a port of the bridge: `ctv` and 8 hex digits.
    public var hostInterface: String
    /// The container's `eth0` address with the subnet's prefix: `10.88.0.2/24`.
    public var address: IPv4Network
    /// The bridge's network: `10.88.0.0/24`.
    public var subnet: IPv4Network

    public init(containerID: String, bridge: String, hostInterface: String, address: IPv4Network, subnet: IPv4Network) {
        self.containerID = containerID
        self.bridge = bridge
        self.hostInterface = hostInterface
        self.address = address
        self.subnet = subnet
    }

    /// The name the container's `eth0` has inside its network namespace.
    public static let containerInterface = "eth0"

    /// `ctv` and 8 hex digits (11 bytes, under the 15 a link name may have): the ID's
    /// first 8 when it starts with that many hex digits, as Docker's IDs do, so the
    /// name matches the short ID `ctutor ps` shows; otherwise an FNV-1a hash of the ID.
    public static func hostInterfaceName(for containerID: String) -> String {
        let lowered = containerID.lowercased()
        let hexPrefix = lowered.prefix { $0.isHexDigit && $0.isASCII }
        if hexPrefix.count >= 8 { return "ctv" + hexPrefix.prefix(8) }
        var hash: UInt32 = 0x811C_9DC5
        for byte in containerID.utf8 {
            hash = (hash ^ UInt32(byte)) &* 0x0100_0193
        }
        let digits = String(hash, radix: 16)
        return "ctv" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Whether `id` can be a container ID here: it names a lease file, so letters,
    /// digits, `_`, `.` and `-`, a letter or digit first, at most 128 bytes.
    public static func isValidContainerID(_ id: String) -> Bool {
        guard let first = id.first, first.isASCII, first.isLetter || first.isNumber, id.utf8.count <= 128 else { return false }
        return id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
    }
}
