import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's HTTP/1.1 reading and writing over a real socket pair, and the reader of
/// the shim's multiplexed log: requests split anywhere, chunked bodies, keep-alive, and
/// frames written halfway.
@Suite("Daemon HTTP")
struct DaemonHTTPTests {
    /// A connected pair: what is written on `.0` is read on `.1`.
    func pair() throws -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        return (fds[0], fds[1])
    }

    func send(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        #expect(write(fd, bytes, bytes.count) == bytes.count)
    }

    @Test("a versioned path is split into its API version and the rest; anything else is left as it is")
    func versionedPaths() {
        let split = DockerAPI.versioned("/v1.41/containers/json")
        #expect(split?.major == 1 && split?.minor == 41 && split?.rest == "/containers/json")
        #expect(DockerAPI.versioned("/v1.24/_ping")?.rest == "/_ping")
        for path in ["/version", "/volumes/x", "/v1.41", "/v1/x", "/v1.x/y", "/v.41/y", "/v1.41.0/y", "/_ping", "/v１.41/y"] {
            #expect(DockerAPI.versioned(path) == nil, "\(path)")
        }
    }

    @Test("times in the API: the daemon's own UTC timestamps by arithmetic, other RFC 3339 forms still read")
    func unixSeconds() {
        #expect(DockerJSON.unixSeconds("2026-11-30T07:20:59Z") == 1_796_023_259)
        #expect(DockerJSON.unixSeconds("2026-11-30T16:20:59+09:00") == 1_796_023_259)
        #expect(DockerJSON.unixSeconds(DockerJSON.zeroTime) == -62_135_596_800)
        #expect(DockerJSON.unixSeconds(nil) == 0)
        #expect(DockerJSON.unixSeconds("yesterday") == 0)
    }

    @Test("two requests on one connection: a query decoded, a Content-Length body, a chunked body; then the end")
    func keepAlive() throws {
        let (client, server) = try pair()
        defer { [client, server].forEach { close($0) } }
        send(client, "\r\nPOST /v1.41/containers/create?name=a%20b&all=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd")
        send(client, "POST /x HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\n")
        shutdown(client, Int32(SHUT_WR))
        let reader = HTTPReader(fd: server)
        let first = try reader.next()
        #expect(first.method == "POST" && first.path == "/v1.41/containers/create" && first.query == ["name": "a b", "all": "1"])
        #expect(first.header("HOST") == "x" && first.body == Data("abcd".utf8) && first.flag("all") && first.keepsAlive)
        let second = try reader.next()
        #expect(second.path == "/x" && second.body == Data("abcde".utf8))
        #expect(throws: HTTPReadError.closed) { try reader.next() }
    }

    @Test("malformed: a bad request line, a bad chunk size, a body cut short")
    func malformed() throws {
        for text in [
            "GARBAGE\r\n\r\n", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
        ] {
            let (client, server) = try pair()
            send(client, text)
            shutdown(client, Int32(SHUT_WR))
            #expect(throws: HTTPReadError.self) { try HTTPReader(fd: server).next() }
            [client, server].forEach { close($0) }
        }
    }

    @Test("a response: 304 has no body; HEAD has the length but no body; chunks end with 0")
    func responses() throws {
        let (client, server) = try pair()
        defer { close(client) }
        HTTPResponder(fd: server, method: "GET", common: DockerAPI.commonHeaders).send(304)
        HTTPResponder(fd: server, method: "HEAD", common: []).send(200, body: Data("OK".utf8), contentType: "text/plain")
        let stream = HTTPResponder(fd: server, method: "GET", common: [])
        stream.beginChunked(contentType: "application/json")
        stream.chunk(Data("{}".utf8))
        stream.endChunks()
        close(server)
        var received = [UInt8](repeating: 0, count: 4096)
        var text = ""
        while case let count = read(client, &received, received.count), count > 0 {
            text += String(decoding: received[0..<count], as: UTF8.self)
        }
        let responses = text.components(separatedBy: "HTTP/1.1 ").dropFirst()
        #expect(responses.count == 3)
        let notModified = try #require(responses.first)
        #expect(notModified.hasPrefix("304 Not Modified") && notModified.contains("Api-Version: 1.41") && notModified.hasSuffix("\r\n\r\n"))
        #expect(!notModified.contains("Content-Length"))
        #expect(
            responses.dropFirst().first?.contains("Content-Length: 2") == true && responses.dropFirst().first?.hasSuffix("\r\n\r\n") == true
        )
        #expect(responses.last?.hasSuffix("\r\n\r\n2\r\n{}\r\n0\r\n\r\n") == true)
    }

    @Test("the log's frames: only whole ones, only the streams asked for, the rest on the next read")
    func logFrames() throws {
        let path = NSTemporaryDirectory() + "ctutor-frames-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(path) }
        let frame = { (stream: UInt8, text: String) -> [UInt8] in
            let bytes = Array(text.utf8)
            return [stream, 0, 0, 0, 0, 0, 0, UInt8(bytes.count)] + bytes
        }
        let whole = frame(1, "out\n") + frame(2, "err\n") + frame(1, "more\n")
        FileManager.default.createFile(atPath: path, contents: Data(whole.prefix(20)))
        let stdoutOnly = try LogFrameReader(path: path, stdout: true, stderr: false)
        defer { stdoutOnly.close() }
        #expect(stdoutOnly.next() == Data(frame(1, "out\n")))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(whole.dropFirst(20)))
        try handle.close()
        #expect(stdoutOnly.next() == Data(frame(1, "more\n")))
        let both = try LogFrameReader(path: path, stdout: true, stderr: true)
        defer { both.close() }
        #expect(both.next() == Data(whole))
    }
}
