#if os(Linux)
import Glibc

/// A route netlink socket (`socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)`): what `ip link`
/// and `ip addr` use underneath. It acts on the network namespace the calling thread
/// was in when the socket was made, for as long as it lives. A demo makes it in a fresh
/// process that has joined the namespace it means to change, so the learner sees that
/// step; the bridge network makes it on a short-lived thread that joins the namespace
/// (``init(inNetworkNamespace:timeout:)``), while the tutor itself stays in the host's.
///
/// Every change waits for the kernel's acknowledgement; a refusal becomes a
/// ``SyscallError`` naming the request, as `RTNETLINK answers: …` does.
public final class Netlink {
    private let fd: Int32
    private var sequence: UInt32 = 0

    /// The netlink families the engine speaks (`linux/netlink.h`, which Glibc's module does not carry).
    enum Family: Int32 {
        /// `NETLINK_ROUTE`: links, addresses, routes.
        case route = 0
        /// `NETLINK_NETFILTER`: nf_tables, read to see what the firewall does to bridged traffic.
        case netfilter = 12

        var socketCall: String {
            "socket(AF_NETLINK, SOCK_RAW, \(self == .route ? "NETLINK_ROUTE" : "NETLINK_NETFILTER"))"
        }
    }

    /// - Parameter timeout: how long any one reply may take before the call fails with `EAGAIN`.
    public convenience init(timeout: Duration = .seconds(5)) throws(SyscallError) {
        try self.init(descriptor: try Self.openSocket(.route), timeout: timeout)
    }

    /// A new netlink socket of `family`, in the calling thread's network namespace.
    static func openSocket(_ family: Family) throws(SyscallError) -> Int32 {
        try retryingEINTR(family.socketCall) {
            socket(AF_NETLINK, Int32(SOCK_RAW.rawValue | SOCK_CLOEXEC.rawValue), family.rawValue)
        }
    }

    /// Takes over `descriptor`, a socket from ``openSocket(_:)``; it is closed with this
    /// object, by `deinit`, which also runs when this initializer throws.
    init(descriptor: Int32, timeout: Duration) throws(SyscallError) {
        fd = descriptor
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw SyscallError(call: "setsockopt(SO_RCVTIMEO)", errno: errno)
        }
    }

    deinit { close(fd) }

    /// Every interface in this namespace (`RTM_GETLINK` dump).
    public func links() throws(SyscallError) -> [NetworkLink] {
        try dump(RTNetlink.getLink, call: "RTM_GETLINK").compactMap(NetworkLink.init)
    }

    /// Every IPv4 address in this namespace (`RTM_GETADDR` dump).
    public func addresses() throws(SyscallError) -> [NetworkAddress] {
        try dump(RTNetlink.getAddress, call: "RTM_GETADDR").compactMap(NetworkAddress.init)
    }

    /// Every IPv4 route in every table of this namespace (`RTM_GETROUTE` dump).
    public func routes() throws(SyscallError) -> [NetworkRoute] {
        try dump(RTNetlink.getRoute, call: "RTM_GETROUTE").compactMap(NetworkRoute.init)
    }

    /// The index of the interface called `name`; `ENODEV` when there is none.
    public func index(of name: String) throws(SyscallError) -> Int32 {
        guard let link = try links().first(where: { $0.name == name }) else {
            throw SyscallError(call: "find interface \(name)", errno: ENODEV)
        }
        return link.index
    }

    /// Makes a veth pair `name`–`peer`; the peer is made in the network namespace of
    /// process `pid` (as seen from this PID namespace), or here when `pid` is `nil`.
    public func createVeth(name: String, peer: String, peerNamespacePID pid: Int32? = nil) throws(SyscallError) {
        let into = pid.map { " netns \($0)" } ?? ""
        try perform(
            RTNetlink.createVethRequest(name: name, peer: peer, peerNamespacePID: pid),
            call: "RTM_NEWLINK \(name) type veth peer \(peer)\(into)")
    }

    /// Sets or clears `IFF_UP` on `name`.
    public func setLink(_ name: String, up: Bool) throws(SyscallError) {
        try perform(RTNetlink.setLinkRequest(index: try index(of: name), up: up), call: "RTM_NEWLINK \(name) \(up ? "up" : "down")")
    }

    /// Moves `name` into the network namespace of process `pid`.
    public func moveLink(_ name: String, toNamespaceOf pid: Int32) throws(SyscallError) {
        try perform(
            RTNetlink.moveLinkRequest(index: try index(of: name), namespacePID: pid), call: "RTM_NEWLINK \(name) netns \(pid)")
    }

    /// Adds `address` (with its prefix length) to `name`.
    public func addAddress(_ address: IPv4Network, to name: String) throws(SyscallError) {
        try perform(RTNetlink.addAddressRequest(address, index: try index(of: name)), call: "RTM_NEWADDR \(address) dev \(name)")
    }

    /// Deletes `name` (a veth's peer goes with it).
    public func deleteLink(_ name: String) throws(SyscallError) {
        try perform(RTNetlink.deleteLinkRequest(index: try index(of: name)), call: "RTM_DELLINK \(name)")
    }

    /// Sends a request and waits for its acknowledgement.
    func perform(_ message: NetlinkMessage, call: String) throws(SyscallError) {
        let sequence = try send(message, call: call)
        while true {
            for reply in try receive(call: call) where reply.sequence == sequence {
                if let code = reply.errorCode {
                    if code != 0 { throw SyscallError(call: call, errno: code) }
                    return
                }
            }
        }
    }

    /// Sends a dump request and gathers the replies up to `NLMSG_DONE`.
    private func dump(_ type: UInt16, call: String) throws(SyscallError) -> [NetlinkMessage] {
        try dump(RTNetlink.dumpRequest(type), call: call)
    }

    /// Sends `request` (flagged `NLM_F_DUMP`) and gathers the replies up to `NLMSG_DONE`.
    func dump(_ request: NetlinkMessage, call: String) throws(SyscallError) -> [NetlinkMessage] {
        let sequence = try send(request, call: call)
        var replies: [NetlinkMessage] = []
        while true {
            for reply in try receive(call: call) where reply.sequence == sequence {
                if reply.type == RTNetlink.messageDone { return replies }
                if let code = reply.errorCode, code != 0 { throw SyscallError(call: call, errno: code) }
                replies.append(reply)
            }
        }
    }

    private func send(_ message: NetlinkMessage, call: String) throws(SyscallError) -> UInt32 {
        sequence &+= 1
        var numbered = message
        numbered.sequence = sequence
        let bytes = numbered.encoded
        let sent = try retryingEINTR("send \(call)") { bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) } }
        guard sent == bytes.count else { throw SyscallError(call: "send \(call)", errno: EMSGSIZE) }
        return sequence
    }

    private func receive(call: String) throws(SyscallError) -> [NetlinkMessage] {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        // MSG_TRUNC makes recv return the datagram's real length, so a cut one is noticed.
        let count = try retryingEINTR("recv reply to \(call)") {
            buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_TRUNC)) }
        }
        guard count <= buffer.count, let messages = NetlinkMessage.decode(Array(buffer[..<count])) else {
            throw SyscallError(call: "recv reply to \(call)", errno: EMSGSIZE)
        }
        return messages
    }
}
#endif
