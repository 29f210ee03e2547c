/// The rtnetlink numbers the engine uses (`linux/netlink.h`, `linux/rtnetlink.h`,
/// `linux/if_link.h`, `linux/veth.h`, `linux/if_addr.h`), and the requests and replies
/// built from them. Pure: no socket here, so every byte can be tested.
public enum RTNetlink {
    // nlmsghdr types and flags
    static let messageError: UInt16 = 2  // NLMSG_ERROR
    static let messageDone: UInt16 = 3  // NLMSG_DONE
    static let request: UInt16 = 0x1  // NLM_F_REQUEST
    static let multipart: UInt16 = 0x2  // NLM_F_MULTI
    static let acknowledge: UInt16 = 0x4  // NLM_F_ACK
    static let dump: UInt16 = 0x300  // NLM_F_ROOT | NLM_F_MATCH
    static let exclusive: UInt16 = 0x200  // NLM_F_EXCL
    static let create: UInt16 = 0x400  // NLM_F_CREATE

    // rtnetlink message types
    static let newLink: UInt16 = 16  // RTM_NEWLINK
    static let deleteLink: UInt16 = 17  // RTM_DELLINK
    static let getLink: UInt16 = 18  // RTM_GETLINK
    static let newAddress: UInt16 = 20  // RTM_NEWADDR
    static let getAddress: UInt16 = 22  // RTM_GETADDR
    static let newRoute: UInt16 = 24  // RTM_NEWROUTE
    static let getRoute: UInt16 = 26  // RTM_GETROUTE

    // attributes
    static let linkName: UInt16 = 3  // IFLA_IFNAME
    static let linkPeerIndex: UInt16 = 5  // IFLA_LINK
    static let linkMaster: UInt16 = 10  // IFLA_MASTER
    static let linkInfo: UInt16 = 18  // IFLA_LINKINFO
    static let linkNamespacePID: UInt16 = 19  // IFLA_NET_NS_PID
    static let linkNamespaceFD: UInt16 = 28  // IFLA_NET_NS_FD
    static let infoKind: UInt16 = 1  // IFLA_INFO_KIND
    static let infoData: UInt16 = 2  // IFLA_INFO_DATA
    static let vethPeer: UInt16 = 1  // VETH_INFO_PEER
    static let addressAddress: UInt16 = 1  // IFA_ADDRESS
    static let addressLocal: UInt16 = 2  // IFA_LOCAL
    static let addressLabel: UInt16 = 3  // IFA_LABEL
    static let routeDestination: UInt16 = 1  // RTA_DST
    static let routeOutput: UInt16 = 4  // RTA_OIF
    static let routeGateway: UInt16 = 5  // RTA_GATEWAY
    static let routeTable: UInt16 = 15  // RTA_TABLE

    static let familyUnspecified: UInt8 = 0  // AF_UNSPEC
    static let familyIPv4: UInt8 = 2  // AF_INET
    static let interfaceUp: UInt32 = 0x1  // IFF_UP

    static func aligned(_ length: Int) -> Int { (length + 3) & ~3 }

    /// `struct ifinfomsg`: family, padding, device type, index, flags, change mask.
    static func linkHeader(index: Int32 = 0, flags: UInt32 = 0, change: UInt32 = 0) -> [UInt8] {
        var bytes = NetlinkBytes()
        bytes.append(familyUnspecified)
        bytes.append(UInt8(0))
        bytes.append(UInt16(0))
        bytes.append(index)
        bytes.append(flags)
        bytes.append(change)
        return bytes.bytes
    }

    /// `struct ifaddrmsg`: family, prefix length, flags, scope, index.
    static func addressHeader(prefix: UInt8, index: Int32) -> [UInt8] {
        var bytes = NetlinkBytes()
        bytes.append(familyIPv4)
        bytes.append(prefix)
        bytes.append(UInt8(0))
        bytes.append(UInt8(0))  // RT_SCOPE_UNIVERSE
        bytes.append(UInt32(bitPattern: index))
        return bytes.bytes
    }

    /// `struct rtmsg` for a dump of every IPv4 table.
    static func routeHeader() -> [UInt8] {
        [familyIPv4] + [UInt8](repeating: 0, count: 11)
    }

    /// `ip link add NAME type veth peer name PEER netns PID`: the pair is made here and
    /// the peer end is put straight into the network namespace of process `pid`.
    public static func createVethRequest(name: String, peer: String, peerNamespacePID pid: Int32?) -> NetlinkMessage {
        vethRequest(name: name, peer: peer, peerNamespace: pid.map { .uint32(linkNamespacePID, UInt32(bitPattern: $0)) })
    }

    /// `ip link add NAME type veth peer name PEER netns NAME`: as above, the peer's
    /// namespace named by an open `/proc/<pid>/ns/net` descriptor (`IFLA_NET_NS_FD`),
    /// which keeps meaning that namespace even if the process dies and its PID is reused.
    public static func createVethRequest(name: String, peer: String, peerNamespaceFD fd: Int32) -> NetlinkMessage {
        vethRequest(name: name, peer: peer, peerNamespace: .uint32(linkNamespaceFD, UInt32(bitPattern: fd)))
    }

    private static func vethRequest(name: String, peer: String, peerNamespace: NetlinkAttribute?) -> NetlinkMessage {
        let peerAttributes = (peerNamespace.map { [$0] } ?? []) + [.string(linkName, peer)]
        let info: [NetlinkAttribute] = [
            // Sent without a NUL, as iproute2 sends it; the kernel compares the bytes.
            NetlinkAttribute(infoKind, Array("veth".utf8)),
            .nested(infoData, [NetlinkAttribute(vethPeer, linkHeader() + NetlinkAttribute.encode(peerAttributes))]),
        ]
        return NetlinkMessage(
            type: newLink, flags: request | acknowledge | exclusive | create,
            payload: linkHeader() + NetlinkAttribute.encode([.string(linkName, name), .nested(linkInfo, info)]))
    }

    /// `ip link set dev up|down`: only `IFF_UP` changes.
    public static func setLinkRequest(index: Int32, up: Bool) -> NetlinkMessage {
        NetlinkMessage(
            type: newLink, flags: request | acknowledge,
            payload: linkHeader(index: index, flags: up ? interfaceUp : 0, change: interfaceUp))
    }

    /// `ip link set dev netns PID`.
    public static func moveLinkRequest(index: Int32, namespacePID pid: Int32) -> NetlinkMessage {
        NetlinkMessage(
            type: newLink, flags: request | acknowledge,
            payload: linkHeader(index: index) + NetlinkAttribute.uint32(linkNamespacePID, UInt32(bitPattern: pid)).encoded)
    }

    /// `ip link del dev`; a veth takes its peer with it.
    public static func deleteLinkRequest(index: Int32) -> NetlinkMessage {
        NetlinkMessage(type: deleteLink, flags: request | acknowledge, payload: linkHeader(index: index))
    }

    /// `ip addr add ADDRESS/PREFIX dev`: `IFA_LOCAL` and `IFA_ADDRESS` both the address,
    /// as on any interface that is not point-to-point.
    public static func addAddressRequest(_ address: IPv4Network, index: Int32) -> NetlinkMessage {
        let octets = address.address.octets
        return NetlinkMessage(
            type: newAddress, flags: request | acknowledge | exclusive | create,
            payload: addressHeader(prefix: address.prefix, index: index)
                + NetlinkAttribute.encode([NetlinkAttribute(addressLocal, octets), NetlinkAttribute(addressAddress, octets)]))
    }

    /// A dump of every link, every IPv4 address or every IPv4 route.
    static func dumpRequest(_ type: UInt16) -> NetlinkMessage {
        let header: [UInt8]
        switch type {
        case getAddress: header = addressHeader(prefix: 0, index: 0)
        case getRoute: header = routeHeader()
        default: header = linkHeader()
        }
        return NetlinkMessage(type: type, flags: request | dump, payload: header)
    }
}
