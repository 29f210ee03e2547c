#if os(Linux)
import Glibc

/// A route netlink socket (`socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)`): what `ip link`
/// and `ip addr` use underneath. It acts on the network namespace the calling process
/// was in when the socket was made, so a demo makes it in a fresh process that has
/// joined the namespace it means to change, never in the tutor itself (which stays
/// in the host's namespaces); the tutor only reads with it.
///
/// Every change waits for the kernel's acknowledgement; a refusal becomes a
/// ``SyscallError`` naming the request, as `RTNETLINK answers: …` does.
public final class Netlink {
    private let fd: Int32
    private var sequence: UInt32 = 0

    /// `NETLINK_ROUTE` from `linux/netlink.h`, which Glibc's module does not carry.
    private static let routeProtocol: Int32 = 0

    /// - Parameter timeout: how long any one reply may take before the call fails with `EAGAIN`.
    public init(timeout: Duration = .seconds(5)) throws(SyscallError) {
        fd = try retryingEINTR("socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)") {
            socket(AF_NETLINK, Int32(SOCK_RAW.rawValue | SOCK_CLOEXEC.rawValue), Self.routeProtocol)
        }
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            let code = errno
            close(fd)
            throw SyscallError(call: "setsockopt(SO_RCVTIMEO)", errno: code)
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
    private func perform(_ message: NetlinkMessage, call: String) throws(SyscallError) {
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
        let sequence = try send(RTNetlink.dumpRequest(type), call: call)
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
