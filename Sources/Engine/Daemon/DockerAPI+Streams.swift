import Foundation

#if os(Linux)
import Glibc
#endif

/// `logs` and `attach`: the container's output from the shim's log, which keeps each
/// chunk behind Docker's 8-byte header (stream type, three zeros, size big-endian),
/// sent on in that same format, only the streams asked for.
extension DockerAPI {
    static let streamType = "application/vnd.docker.raw-stream"

    /// `GET /containers/{id}/logs?stdout=1&stderr=1[&follow=1]`, as a chunked response.
    func logs(_ request: HTTPRequest, _ reference: String, _ responder: HTTPResponder) throws {
        let container = try containerd.lookup(reference)
        guard request.flag("stdout") || request.flag("stderr") else {
            throw ContainerdError.invalid("Bad parameters: you must choose at least one stream")
        }
        for key in ["since", "until"] where !["", "0"].contains(request.query[key] ?? "") {
            throw ContainerdError.invalid("ctutor daemon does not support logs --\(key)")
        }
        if let tail = request.query["tail"], !["", "all"].contains(tail) {
            throw ContainerdError.invalid("ctutor daemon does not support logs --tail \(tail)")
        }
        let reader = try LogFrameReader(
            path: containerd.logFile(of: container.id), stdout: request.flag("stdout"), stderr: request.flag("stderr"))
        defer { reader.close() }
        responder.beginChunked(contentType: Self.streamType)
        if request.flag("follow") {
            let finishedBefore = container.exitCode == nil ? nil : container.finishedAt
            follow(
                reader,
                until: { record in
                    record.map { $0.exitCode != nil && ($0.finishedAt != finishedBefore || !self.containerd.status(of: $0).isRunning) }
                        ?? true
                }, of: container.id, responder: responder, send: responder.chunk)
        } else {
            responder.chunk(reader.next())
        }
        responder.endChunks()
    }

    /// `POST /containers/{id}/attach?stream=1&stdout=1&stderr=1`: the connection is taken
    /// over (101) and carries the output from now on (from the start with `logs=1`)
    /// until the container exits; `docker run` attaches before it starts the container.
    /// Standard input is not carried: the container's is /dev/null.
    func attach(_ request: HTTPRequest, _ reference: String, _ responder: HTTPResponder) throws {
        let container = try containerd.lookup(reference)
        let wantsOutput = request.flag("stdout") || request.flag("stderr")
        let reader = try LogFrameReader(
            path: containerd.logFile(of: container.id), stdout: request.flag("stdout"), stderr: request.flag("stderr"))
        defer { reader.close() }
        if !request.flag("logs") { reader.skipToEnd() }
        let finishedBefore = container.exitCode == nil ? nil : container.finishedAt
        responder.upgrade(request, contentType: Self.streamType)
        guard wantsOutput, request.flag("stream") || request.flag("logs") else { return }
        guard request.flag("stream") else { return responder.write(reader.next()) }
        follow(
            reader, until: { record in record.map { $0.exitCode != nil && $0.finishedAt != finishedBefore } ?? true },
            of: container.id, responder: responder, send: responder.write)
    }

    /// Sends what the log gains until `ended` holds for the container's record (`nil`:
    /// removed) — then what is left, which the shim wrote before it recorded the exit —
    /// or until the client goes away. Woken by changes in the container's directory
    /// (without inotify, it looks every 5 ms).
    private func follow(
        _ reader: LogFrameReader, until ended: (ManagedContainer?) -> Bool, of id: String, responder: HTTPResponder,
        send: (Data) -> Void
    ) {
        let changes = DirectoryChanges(directory: containerd.directory(of: id))
        while responder.isConnected {
            let done = ended(containerd.read(id))
            send(reader.next())
            if done { return }
            if let changes {
                // The second is for what no event announces: a shim that died.
                if changes.wait(orHangUpOf: responder.fd, milliseconds: 1000) == .hungUp { return }
            } else {
                if responder.peerClosed() { return }
                usleep(5_000)
            }
        }
    }
}

/// Reads the shim's multiplexed log as it grows: whole frames only, the streams asked for.
final class LogFrameReader {
    private let fd: Int32
    private let wanted: Set<UInt8>
    private var pending: [UInt8] = []

    init(path: String, stdout: Bool, stderr: Bool) throws {
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw SyscallError(call: "open \(path)", errno: errno) }
        wanted = Set((stdout ? [1] : []) + (stderr ? [2] : []))
    }

    func close() { _ = Glibc.close(fd) }

    /// From the log's current end on: what was there before is not sent.
    func skipToEnd() { lseek(fd, 0, SEEK_END) }

    /// The frames written since the last call, whole, of the wanted streams.
    func next() -> Data {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            pending += buffer[0..<count]
        }
        var out = Data()
        var offset = 0
        while pending.count - offset >= 8 {
            let size = pending[(offset + 4)..<(offset + 8)].reduce(0) { $0 << 8 | Int($1) }
            guard pending.count - offset - 8 >= size else { break }
            if wanted.contains(pending[offset]) { out.append(contentsOf: pending[offset..<(offset + 8 + size)]) }
            offset += 8 + size
        }
        pending.removeFirst(offset)
        return out
    }
}
