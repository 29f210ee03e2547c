import Foundation

#if os(Linux)
import Glibc
#endif

/// A Docker Engine API client that speaks only HTTP/1.1 over the daemon's Unix socket:
/// one connection per request, closed by the daemon after the answer. `ctutor docker`
/// and the docker-chain demo use it.
public struct DockerClient: Sendable {
    public let socket: String

    public init(socket: String) {
        self.socket = socket
    }

    /// `unix:///path` (from `DOCKER_HOST` or `--host`) → the path.
    public static func socketPath(host: String) -> String? {
        host.hasPrefix("unix://") ? String(host.dropFirst("unix://".count)) : host.hasPrefix("/") ? host : nil
    }

    public struct Response: Sendable {
        public var status: Int
        public var body: Data
        public var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        public var object: [String: Any] { json as? [String: Any] ?? [:] }
        /// Docker's `{"message": …}`, or the body as text.
        public var message: String { object["message"] as? String ?? String(decoding: body, as: UTF8.self) }
    }

    /// One request; `onHead` is called once the status and headers are in (a wait or
    /// an attach is then in place), `onBody` (when given) gets the body as it arrives.
    public func request(
        _ method: String, _ path: String, json: Any? = nil, upgrade: Bool = false, onHead: (() -> Void)? = nil,
        onBody: ((Data) -> Void)? = nil
    ) throws -> Response {
        let fd = try connect()
        defer { close(fd) }
        let body = try json.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        var head = "\(method) /v\(DockerAPI.apiVersion)\(path) HTTP/1.1\r\nHost: docker\r\nUser-Agent: ctutor-docker/0.1.0\r\n"
        head += upgrade ? "Connection: Upgrade\r\nUpgrade: tcp\r\n" : "Connection: close\r\n"
        if json != nil { head += "Content-Type: application/json\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        let responder = HTTPResponder(fd: fd, method: method, common: [])
        responder.write(Data(head.utf8) + body)
        return try Self.readResponse(fd, onHead: onHead, onBody: onBody)
    }

    private func connect() throws -> Int32 {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SyscallError(call: "socket", errno: errno) }
        let connected = try UnixAddress(socket).withSockaddr { Glibc.connect(fd, $0, $1) }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw SyscallError(call: "connect \(socket) (is ctutor daemon running?)", errno: code)
        }
        return fd
    }

    /// The status line and headers, then the body: by length, chunked, or to the close.
    static func readResponse(_ fd: Int32, onHead: (() -> Void)?, onBody: ((Data) -> Void)?) throws -> Response {
        let reader = HTTPReader(fd: fd)
        let head = try reader.responseHead()
        onHead?()
        let status = head.status
        var body = Data()
        func deliver(_ data: Data) {
            if let onBody { onBody(data) } else { body.append(data) }
        }
        if status == 204 || status == 304 { return Response(status: status, body: body) }
        if head.headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            while let chunk = try reader.nextChunk() { deliver(chunk) }
        } else if let length = head.headers["content-length"].flatMap(Int.init) {
            deliver(try reader.exactly(length))
        } else {
            while let data = try reader.available() { deliver(data) }
        }
        return Response(status: status, body: body)
    }
}
