import Foundation

#if os(Linux)
import Glibc
#endif

/// Writes responses on one connection: whole ones (with `Content-Length`), streamed
/// ones (chunked), and the switch to a raw stream (`101 UPGRADED`) that `attach`
/// uses. Every response carries the Docker engine's identifying headers.
final class HTTPResponder {
    let fd: Int32
    let method: String
    /// Headers on every response (`Api-Version`, `OSType`, …).
    let common: [(String, String)]
    /// `false` once the peer is gone: a write failed.
    private(set) var isConnected = true

    init(fd: Int32, method: String, common: [(String, String)]) {
        self.fd = fd
        self.method = method
        self.common = common
    }

    static let reasons: [Int: String] = [
        101: "UPGRADED", 200: "OK", 201: "Created", 204: "No Content", 304: "Not Modified", 400: "Bad Request",
        404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 413: "Payload Too Large", 500: "Internal Server Error",
    ]

    private func head(_ status: Int, _ headers: [(String, String)]) -> String {
        var text = "HTTP/1.1 \(status) \(Self.reasons[status] ?? "Status")\r\n"
        for (name, value) in common + headers { text += "\(name): \(value)\r\n" }
        return text + "Date: \(Self.httpDate())\r\n\r\n"
    }

    /// A whole response; no body for `HEAD`, 204 and 304.
    func send(_ status: Int, body: Data = Data(), contentType: String? = nil) {
        var headers: [(String, String)] = []
        if let contentType { headers.append(("Content-Type", contentType)) }
        let hasBody = status != 204 && status != 304
        if hasBody { headers.append(("Content-Length", "\(body.count)")) }
        var bytes = Data(head(status, headers).utf8)
        if hasBody && method != "HEAD" { bytes.append(body) }
        write(bytes)
    }

    /// A JSON value (made with `JSONSerialization`), or Docker's error object for an error status.
    func send(_ status: Int, json: Any) {
        let body = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        send(status, body: body + Data("\n".utf8), contentType: "application/json")
    }

    func sendError(_ status: Int, _ message: String) {
        send(status, json: ["message": message])
    }

    /// Starts a chunked response: then ``chunk(_:)`` as often as needed and ``endChunks()``.
    func beginChunked(_ status: Int = 200, contentType: String) {
        write(Data(head(status, [("Content-Type", contentType), ("Transfer-Encoding", "chunked")]).utf8))
    }

    func chunk(_ data: Data) {
        guard !data.isEmpty else { return }
        write(Data(String(data.count, radix: 16).utf8) + Data("\r\n".utf8) + data + Data("\r\n".utf8))
    }

    func endChunks() {
        write(Data("0\r\n\r\n".utf8))
    }

    /// `101 UPGRADED` (or 200 when the client did not ask to upgrade): from here on the
    /// connection is a raw stream, closed by the daemon when it ends.
    func upgrade(_ request: HTTPRequest, contentType: String) {
        if request.header("upgrade") != nil {
            write(Data(head(101, [("Content-Type", contentType), ("Connection", "Upgrade"), ("Upgrade", "tcp")]).utf8))
        } else {
            write(Data(head(200, [("Content-Type", contentType)]).utf8))
        }
    }

    /// Raw bytes on the connection (after ``upgrade(_:contentType:)``).
    func write(_ data: Data) {
        guard isConnected else { return }
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    isConnected = false
                    return
                }
                offset += count
            }
        }
    }

    /// Whether the peer has closed the connection (a hijacked stream's client gone).
    /// Only a hang-up counts: the docker CLI shuts its writing half when it has no
    /// input to send, and still reads.
    func peerClosed() -> Bool {
        var entry = pollfd(fd: fd, events: 0, revents: 0)
        guard poll(&entry, 1, 0) > 0 else { return false }
        return entry.revents & Int16(POLLHUP | POLLERR) != 0
    }

    /// RFC 9110's IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(_ date: Date = Date()) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
