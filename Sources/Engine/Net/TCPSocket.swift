#if os(Linux)
import Glibc

/// A blocking IPv4 TCP socket in the network namespace of the process that made it,
/// every wait bounded: `SO_RCVTIMEO` and `SO_SNDTIMEO` (which bound `connect` too),
/// and `poll` before `accept`.
final class TCPSocket {
    private let fd: Int32
    private let timeout: Int32

    /// `socket(AF_INET, SOCK_STREAM)`; each wait ends after `timeoutMilliseconds`.
    init(timeoutMilliseconds: Int32) throws(SyscallError) {
        let fd = try retryingEINTR("socket(AF_INET, SOCK_STREAM)") {
            socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        }
        self.fd = fd
        self.timeout = timeoutMilliseconds
        try setTimeouts()
    }

    private init(accepted fd: Int32, timeout: Int32) throws(SyscallError) {
        self.fd = fd
        self.timeout = timeout
        try setTimeouts()
    }

    deinit { close(fd) }

    private func setTimeouts() throws(SyscallError) {
        var limit = timeval(tv_sec: Int(timeout / 1000), tv_usec: Int(timeout % 1000) * 1000)
        for (option, name) in [(SO_RCVTIMEO, "SO_RCVTIMEO"), (SO_SNDTIMEO, "SO_SNDTIMEO")] {
            try retryingEINTR("setsockopt(\(name))") { setsockopt(fd, SOL_SOCKET, option, &limit, socklen_t(MemoryLayout<timeval>.size)) }
        }
    }

    func bind(_ address: IPv4Address, port: UInt16) throws(SyscallError) {
        var reuse: Int32 = 1
        try retryingEINTR("setsockopt(SO_REUSEADDR)") {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        }
        var socketAddress = Self.socketAddress(address, port: port)
        try retryingEINTR("bind(\(address):\(port))") {
            withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }

    func listen() throws(SyscallError) {
        try retryingEINTR("listen") { Glibc.listen(fd, 1) }
    }

    /// The next connection, or `ETIMEDOUT` when none comes in time.
    func accept() throws(SyscallError) -> TCPSocket {
        var pending = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard try retryingEINTR("poll(accept)", { poll(&pending, 1, timeout) }) > 0 else {
            throw SyscallError(call: "accept", errno: ETIMEDOUT)
        }
        // This program never execs, so the connection needs no close-on-exec.
        let connection = try retryingEINTR("accept") { Glibc.accept(fd, nil, nil) }
        return try TCPSocket(accepted: connection, timeout: timeout)
    }

    /// A `connect` that does not finish within the timeout fails with `EINPROGRESS`.
    func connect(_ address: IPv4Address, port: UInt16) throws(SyscallError) {
        var socketAddress = Self.socketAddress(address, port: port)
        try retryingEINTR("connect(\(address):\(port))") {
            withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }

    func send(_ bytes: [UInt8]) throws(SyscallError) {
        var rest = bytes[...]
        while !rest.isEmpty {
            let sent = try retryingEINTR("send") { rest.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
            rest = rest.dropFirst(sent)
        }
    }

    /// `shutdown(SHUT_WR)`: the other side reads end of file after the last byte.
    func shutdownSending() throws(SyscallError) {
        try retryingEINTR("shutdown(SHUT_WR)") { shutdown(fd, Int32(SHUT_WR)) }
    }

    /// Every byte until the other side shuts down, at most ``EchoChild/limit``.
    func receiveAll() throws(SyscallError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: EchoChild.limit)
        while bytes.count < EchoChild.limit {
            let count = try retryingEINTR("recv") {
                chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, EchoChild.limit - bytes.count, 0) }
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return bytes
    }

    /// `getsockname`, as `10.200.0.1:40312`.
    func localEndpoint() throws(SyscallError) -> String {
        try endpoint("getsockname") { getsockname(fd, $0, $1) }
    }

    /// `getpeername`, as `10.200.0.2:7`.
    func remoteEndpoint() throws(SyscallError) -> String {
        try endpoint("getpeername") { getpeername(fd, $0, $1) }
    }

    private func endpoint(
        _ call: String, _ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
    ) throws(SyscallError) -> String {
        var socketAddress = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try retryingEINTR(call) {
            withUnsafeMutablePointer(to: &socketAddress) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, &length) } }
        }
        let address = IPv4Address(UInt32(bigEndian: socketAddress.sin_addr.s_addr))
        return "\(address):\(UInt16(bigEndian: socketAddress.sin_port))"
    }

    private static func socketAddress(_ address: IPv4Address, port: UInt16) -> sockaddr_in {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        socketAddress.sin_addr = in_addr(s_addr: address.value.bigEndian)
        return socketAddress
    }
}
#endif
