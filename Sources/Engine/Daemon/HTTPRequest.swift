import Foundation

/// One HTTP/1.1 request as the daemon reads it: the request line, the headers (names
/// lower-cased), the query decoded, and the whole body (`Content-Length` or chunked).
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// The path without the query, percent-decoded.
    public var path: String
    public var query: [String: String]
    public var headers: [String: String]
    public var body: Data

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The query's yes/no parameter as Docker reads one: `1`, `true`, `True` are yes.
    public func flag(_ name: String) -> Bool {
        guard let value = query[name] else { return false }
        return ["1", "true", "True", "yes"].contains(value)
    }

    /// Whether the client keeps the connection for another request.
    var keepsAlive: Bool { header("connection")?.lowercased() != "close" }
}

/// What can go wrong reading a request; answered with 400 (or the connection closed).
public enum HTTPReadError: Error, Equatable, Sendable {
    /// The peer closed the connection between requests: the normal end.
    case closed
    case malformed(String)
    case tooLarge
}

/// Reads requests from a connected socket through a buffer of its own.
final class HTTPReader {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    static let maxHeaderBytes = 64 * 1024
    static let maxBodyBytes = 16 * 1024 * 1024

    init(fd: Int32) {
        self.fd = fd
    }

    /// The next request; ``HTTPReadError/closed`` at the end of the stream before one begins.
    func next() throws(HTTPReadError) -> HTTPRequest {
        var requestLine = try line()
        // RFC 9112 §2.2: a server ignores empty lines before a request line.
        while requestLine.isEmpty { requestLine = try line() }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { throw .malformed("bad request line: \(requestLine.prefix(80))") }
        var headers: [String: String] = [:]
        var headerBytes = 0
        while true {
            let header = try line()
            if header.isEmpty { break }
            headerBytes += header.utf8.count
            guard headerBytes <= Self.maxHeaderBytes else { throw .tooLarge }
            guard let colon = header.firstIndex(of: ":") else { throw .malformed("bad header line: \(header.prefix(80))") }
            let name = header[..<colon].lowercased()
            let value = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        let target = String(parts[1])
        let (path, query) = Self.split(target: target)
        let body: Data
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try chunkedBody()
        } else if let length = headers["content-length"] {
            guard let count = Int(length), count >= 0 else { throw .malformed("bad Content-Length: \(length)") }
            guard count <= Self.maxBodyBytes else { throw .tooLarge }
            body = Data(try bytes(count))
        } else {
            body = Data()
        }
        return HTTPRequest(method: String(parts[0]), path: path, query: query, headers: headers, body: body)
    }

    /// A response's status and headers (the client's side of the same reading).
    func responseHead() throws(HTTPReadError) -> (status: Int, headers: [String: String]) {
        let statusLine = try line()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw .malformed("bad status line: \(statusLine.prefix(80))")
        }
        var headers: [String: String] = [:]
        while true {
            let header = try line()
            if header.isEmpty { return (status, headers) }
            guard let colon = header.firstIndex(of: ":") else { continue }
            headers[header[..<colon].lowercased()] = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }

    /// The next chunk of a chunked body; `nil` after the last.
    func nextChunk() throws(HTTPReadError) -> Data? {
        let sizeLine = try line()
        guard let size = Int(sizeLine.split(separator: ";").first.map(String.init) ?? "", radix: 16) else {
            throw .malformed("bad chunk size: \(sizeLine.prefix(40))")
        }
        if size == 0 {
            while try !line().isEmpty {}
            return nil
        }
        let data = Data(try bytes(size))
        _ = try line()
        return data
    }

    func exactly(_ count: Int) throws(HTTPReadError) -> Data { Data(try bytes(count)) }

    /// What is buffered or arrives next; `nil` at the end of the stream.
    func available() throws(HTTPReadError) -> Data? {
        if buffer.count == start {
            do {
                try fill(atStart: true)
            } catch .closed {
                return nil
            }
        }
        defer { start = buffer.count }
        return Data(buffer[start...])
    }

    /// `/a/b?x=1&y=%2F` → (`/a/b`, [x: 1, y: /]).
    static func split(target: String) -> (String, [String: String]) {
        let pieces = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(pieces[0]).removingPercentEncoding ?? String(pieces[0])
        var query: [String: String] = [:]
        if pieces.count == 2 {
            for pair in pieces[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decode(_ text: Substring) -> String {
                    String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
                }
                query[decode(keyValue[0])] = keyValue.count == 2 ? decode(keyValue[1]) : ""
            }
        }
        return (path, query)
    }

    private func chunkedBody() throws(HTTPReadError) -> Data {
        var body = Data()
        while true {
            let sizeLine = try line()
            let hex = sizeLine.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard let size = Int(hex, radix: 16), size >= 0 else { throw .malformed("bad chunk size: \(sizeLine.prefix(40))") }
            if size == 0 {
                while try !line().isEmpty {}  // trailers, ignored
                return body
            }
            guard body.count + size <= Self.maxBodyBytes else { throw .tooLarge }
            body.append(contentsOf: try bytes(size))
            guard try line().isEmpty else { throw .malformed("a chunk longer than its size") }
        }
    }

    /// One line without its CRLF (a bare LF is accepted too).
    private func line() throws(HTTPReadError) -> String {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let text = String(decoding: buffer[start..<end], as: UTF8.self)
                start = newline + 1
                return text
            }
            guard buffer.count - start <= Self.maxHeaderBytes else { throw .tooLarge }
            try fill(atStart: buffer.count == start)
        }
    }

    private func bytes(_ count: Int) throws(HTTPReadError) -> ArraySlice<UInt8> {
        while buffer.count - start < count { try fill(atStart: false) }
        defer { start += count }
        return buffer[start..<start + count]
    }

    /// Reads more; the end of the stream is ``HTTPReadError/closed`` between requests.
    private func fill(atStart: Bool) throws(HTTPReadError) {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count > 0 {
                buffer += chunk[0..<count]
                return
            }
            if count < 0 && errno == EINTR { continue }
            if count == 0 && atStart { throw .closed }
            throw count == 0 ? .malformed("the connection closed in the middle of a request") : .closed
        }
    }
}
