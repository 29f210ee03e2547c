import Foundation
import Testing

/// A `ctutor daemon` of its own (socket and state in a fresh directory), started as
/// the built binary, and a plain HTTP/1.1 client for its socket. `finish()` removes
/// every container through the API, stops the daemon and checks that nothing of it
/// is left: processes rooted in its directory, shims, mounts, cgroups, state.
final class DaemonUnderTest: @unchecked Sendable {
    let directory = "/tmp/ctd-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    var socket: String { directory + "/d.sock" }
    var root: String { directory + "/root" }
    private(set) var pid: pid_t = 0

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try start()
    }

    /// Starts the daemon and waits until its socket answers.
    func start() throws {
        let out = directory + "/daemon.out"
        pid = try spawn(
            Binary.path!, ["daemon", "--socket", socket, "--root", root], stdout: out, stderr: out, truncate: false,
            environment: ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" })
        for _ in 0..<200 {
            if (try? http("GET", "/_ping"))?.status == 200 { return }
            usleep(25_000)
        }
        throw HarnessError("the daemon did not answer on \(socket): \(output)")
    }

    var output: String { (try? String(contentsOfFile: directory + "/daemon.out", encoding: .utf8)) ?? "" }

    /// SIGTERM, and reaps it; its exit status.
    @discardableResult
    func stop() -> Int32 {
        guard pid > 0 else { return 0 }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        pid = 0
        return (status >> 8) & 0xff
    }

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    /// One request on a new connection (`Connection: close`), the reply read whole.
    func http(_ method: String, _ path: String, json: Any? = nil, headers: [String] = []) throws -> Reply {
        let body = try json.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        var head = "\(method) \(path) HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
        for header in headers { head += header + "\r\n" }
        if json != nil { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        return try Self.parse(try exchange(Data((head + "\r\n").utf8) + body))
    }

    /// Sends `bytes` and reads until the daemon closes the connection.
    func exchange(_ bytes: Data, timeout: Int = 20) throws -> Data {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(socket.utf8))
            raw[socket.utf8.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw HarnessError("connect \(socket): errno \(errno)") }
        var seconds = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count < 0 {
                throw HarnessError("no answer within \(timeout) s (errno \(errno)): \(String(decoding: received, as: UTF8.self))")
            }
            if count == 0 { return received }
            received.append(contentsOf: buffer[0..<count])
        }
    }

    /// A whole HTTP response: status, headers (lower-cased), the body de-chunked.
    static func parse(_ data: Data) throws -> Reply {
        guard let end = data.range(of: Data("\r\n\r\n".utf8)) else {
            throw HarnessError("no header end in \(String(decoding: data, as: UTF8.self))")
        }
        let lines = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        var body = Data(data[end.upperBound...])
        if headers["transfer-encoding"] == "chunked" {
            var plain = Data()
            var rest = body[...]
            while let lineEnd = rest.range(of: Data("\r\n".utf8)),
                let size = Int(String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self), radix: 16), size > 0
            {
                plain.append(rest[lineEnd.upperBound..<(lineEnd.upperBound + size)])
                rest = rest[(lineEnd.upperBound + size + 2)...]
            }
            body = plain
        }
        return Reply(status: status, headers: headers, body: body)
    }

    /// Docker's 8-byte frames: (stream, payload) in order.
    static func frames(_ data: Data) -> [(UInt8, String)] {
        var bytes = [UInt8](data)[...]
        var frames: [(UInt8, String)] = []
        while bytes.count >= 8 {
            let header = Array(bytes.prefix(8))
            let size = header[4..<8].reduce(0) { $0 << 8 | Int($1) }
            #expect(header[1...3] == [0, 0, 0] && [1, 2].contains(header[0]), "a frame header: \(header)")
            guard bytes.count >= 8 + size else { break }
            frames.append((header[0], String(decoding: bytes.dropFirst(8).prefix(size), as: UTF8.self)))
            bytes = bytes.dropFirst(8 + size)
        }
        return frames
    }

    /// `(state, parent)` of `/proc/<pid>/stat`, and its command line.
    static func process(_ pid: Int32) -> (state: String, parent: Int32, cmdline: String)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return nil
        }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        let cmdline =
            (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))).map {
                String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
            } ?? ""
        return (String(fields[0]), Int32(fields[1]) ?? 0, cmdline)
    }

    /// Every process (zombies aside) whose command line or root names this directory.
    func processes() -> [String] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        return pids.filter { pid in
            guard let process = Self.process(pid), process.state != "Z" else { return false }
            let root = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/root")) ?? ""
            return process.cmdline.contains(directory) || root.hasPrefix(directory)
        }.map { "\($0) \(Self.process($0)?.cmdline ?? "")" }
    }

    /// Removes every container, stops the daemon, and checks the census is empty.
    func finish() {
        var ids: [String] = []
        if pid > 0, let list = try? http("GET", "/containers/json?all=1").json as? [[String: Any]] {
            ids = list.compactMap { $0["Id"] as? String }
            for id in ids { _ = try? http("DELETE", "/containers/\(id)?force=1") }
        }
        // Removed containers are emptied behind the answer, from the trash.
        var trash = (try? FileManager.default.contentsOfDirectory(atPath: root + "/trash")) ?? []
        for _ in 0..<100 where !trash.isEmpty {
            usleep(50_000)
            trash = (try? FileManager.default.contentsOfDirectory(atPath: root + "/trash")) ?? []
        }
        #expect(trash.isEmpty, "removed containers not emptied: \(trash)")
        stop()
        var left = processes()
        for _ in 0..<50 where !left.isEmpty {
            usleep(100_000)
            left = processes()
        }
        #expect(left.isEmpty, "processes left: \(left)")
        let mounts = ((try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "").split(separator: "\n")
        #expect(!mounts.contains { $0.contains(directory) }, "mounts left under \(directory)")
        let containers = (try? FileManager.default.contentsOfDirectory(atPath: root + "/containers")) ?? []
        let runtime = (try? FileManager.default.contentsOfDirectory(atPath: root + "/rt")) ?? []
        #expect(containers.isEmpty && runtime.isEmpty, "state left: \(containers) \(runtime)")
        #expect(access(socket, F_OK) != 0, "the socket is left")
        let hierarchies = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []
        let cgroups = ids.flatMap { id -> [String] in
            let candidates: [String] = ["/sys/fs/cgroup/ctutor/\(id)"] + hierarchies.map { "/sys/fs/cgroup/\($0)/ctutor/\(id)" }
            return candidates.filter { FileManager.default.fileExists(atPath: $0) }
        }
        #expect(cgroups.isEmpty, "cgroups left: \(cgroups)")
        try? FileManager.default.removeItem(atPath: directory)
    }
}
