import Foundation

#if os(Linux)
import Glibc
#endif

/// The shim's control channel: a Unix stream socket, `shim.sock` in the container's
/// runtime directory. One request per connection: the client writes one line, the
/// shim answers with one line and closes.
///
/// | request        | answer |
/// |----------------|--------|
/// | `state`        | the OCI state as one line of JSON (`ctutor runtime state`'s object) |
/// | `kill SIGNAL`  | `ok`, after `ctutor runtime kill ID SIGNAL` (`TERM`, `SIGKILL`, `9`) |
/// | `wait`         | `{"exitStatus":N,"exitedAt":"…"}` once the container has exited (held open until then) |
/// | `delete`       | `ok`, after `ctutor runtime delete ID`, and the shim exits; refused while it runs |
///
/// Anything wrong is answered `error MESSAGE`.
public enum ShimRequest: Equatable, Sendable {
    case state
    case kill(signal: String)
    case wait
    case delete

    /// Reads one request line; the error names what is understood.
    public static func parse(_ line: String) -> Result<ShimRequest, ShimProtocolError> {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch (words.first, words.count) {
        case ("state", 1): return .success(.state)
        case ("wait", 1): return .success(.wait)
        case ("delete", 1): return .success(.delete)
        case ("kill", 2) where RuntimeSignal.parse(words[1]) != nil: return .success(.kill(signal: words[1]))
        case ("kill", 2): return .failure(ShimProtocolError(message: "\(words[1]) is not a signal"))
        default:
            return .failure(ShimProtocolError(message: "unknown request \"\(line)\": state, kill SIGNAL, wait, delete"))
        }
    }

    /// The request as its line.
    public var line: String {
        switch self {
        case .state: "state"
        case .kill(let signal): "kill \(signal)"
        case .wait: "wait"
        case .delete: "delete"
        }
    }
}

/// A request the shim did not understand or could not carry out: the `error …` line.
public struct ShimProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Talks to a shim over its socket (a test, or the daemon finding its containers again).
public enum ShimClient {
    /// Sends `request` and returns the answer line; an `error …` answer is thrown.
    public static func send(_ request: ShimRequest, socket path: String, timeout: Duration = .seconds(10)) throws -> String {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SyscallError(call: "socket", errno: errno) }
        defer { close(fd) }
        var seconds = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        let connected = try UnixAddress(path).withSockaddr { connect(fd, $0, $1) }
        guard connected == 0 else { throw SyscallError(call: "connect \(path)", errno: errno) }
        let line = Array((request.line + "\n").utf8)
        guard Glibc.send(fd, line, line.count, Int32(MSG_NOSIGNAL)) == line.count else { throw SyscallError(call: "send", errno: errno) }
        let answer = try ShimLine.read(fd)
        if answer.hasPrefix("error ") { throw ShimProtocolError(message: String(answer.dropFirst(6))) }
        return answer
    }
}

/// A `sockaddr_un` for a path (at most 107 bytes).
struct UnixAddress {
    private var storage = sockaddr_un()

    init(_ path: String) throws(SyscallError) {
        storage.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: storage.sun_path) else {
            throw SyscallError(call: "bind \(path)", errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
    }

    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }
}

enum ShimLine {
    /// One line (without its newline), at most 64 KiB; end of file ends it too.
    static func read(_ fd: Int32) throws(SyscallError) -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while bytes.count < 65536 {
            let count = Glibc.read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw SyscallError(call: "read", errno: errno) }
            if count == 0 || byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
