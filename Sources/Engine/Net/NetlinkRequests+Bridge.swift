/// The requests behind a bridge network (`linux/if_link.h`, `linux/if_bridge.h`): a
/// bridge is a link of kind `bridge`, and a link becomes one of its ports when its
/// `IFLA_MASTER` names the bridge.
extension RTNetlink {
    /// `ip link add NAME type bridge`: a software switch, made down and with no address.
    public static func createBridgeRequest(name: String) -> NetlinkMessage {
        // The kind without a NUL, as iproute2 sends it.
        let info = NetlinkAttribute.nested(linkInfo, [NetlinkAttribute(infoKind, Array("bridge".utf8))])
        return NetlinkMessage(
            type: newLink, flags: request | acknowledge | exclusive | create,
            payload: linkHeader() + NetlinkAttribute.encode([.string(linkName, name), info]))
    }

    /// `ip link set dev INDEX master MASTER`: plugs the link into the bridge `master`.
    public static func setMasterRequest(index: Int32, master: Int32) -> NetlinkMessage {
        NetlinkMessage(
            type: newLink, flags: request | acknowledge,
            payload: linkHeader(index: index) + NetlinkAttribute.uint32(linkMaster, UInt32(bitPattern: master)).encoded)
    }
}

#if os(Linux)
import Glibc

extension Netlink {
    /// Makes the bridge `name` (down, no address, no port).
    public func createBridge(_ name: String) throws(SyscallError) {
        try perform(RTNetlink.createBridgeRequest(name: name), call: "RTM_NEWLINK \(name) type bridge")
    }

    /// Plugs `name` into the bridge `bridge` as one of its ports.
    public func setMaster(of name: String, to bridge: String) throws(SyscallError) {
        try perform(
            RTNetlink.setMasterRequest(index: try index(of: name), master: try index(of: bridge)),
            call: "RTM_NEWLINK \(name) master \(bridge)")
    }

    /// Makes a veth pair `name`–`peer`, the peer made straight in the network namespace
    /// that the open descriptor `namespaceFD` refers to.
    public func createVeth(name: String, peer: String, peerNamespaceFD namespaceFD: Int32) throws(SyscallError) {
        try perform(
            RTNetlink.createVethRequest(name: name, peer: peer, peerNamespaceFD: namespaceFD),
            call: "RTM_NEWLINK \(name) type veth peer \(peer) netns fd \(namespaceFD)")
    }

    /// The link called `name`, or `nil`.
    public func link(named name: String) throws(SyscallError) -> NetworkLink? {
        try links().first { $0.name == name }
    }

    /// The index of each of `names`, in order, from one dump; `ENODEV` naming the first missing.
    func indices(of names: [String]) throws(SyscallError) -> [Int32] {
        let links = try links()
        var indices: [Int32] = []
        for name in names {
            guard let link = links.first(where: { $0.name == name }) else {
                throw SyscallError(call: "find interface \(name)", errno: ENODEV)
            }
            indices.append(link.index)
        }
        return indices
    }

    // By index, for a caller that already has them; `names` only label a failure.

    func setMaster(index: Int32, master: Int32, names: (link: String, bridge: String)) throws(SyscallError) {
        try perform(RTNetlink.setMasterRequest(index: index, master: master), call: "RTM_NEWLINK \(names.link) master \(names.bridge)")
    }

    func setLink(index: Int32, name: String, up: Bool) throws(SyscallError) {
        try perform(RTNetlink.setLinkRequest(index: index, up: up), call: "RTM_NEWLINK \(name) \(up ? "up" : "down")")
    }

    func addAddress(_ address: IPv4Network, index: Int32, name: String) throws(SyscallError) {
        try perform(RTNetlink.addAddressRequest(address, index: index), call: "RTM_NEWADDR \(address) dev \(name)")
    }
}
#endif
