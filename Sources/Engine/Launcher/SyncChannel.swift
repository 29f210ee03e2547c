#if os(Linux)
import CShim
import Glibc

/// The parent's end of the launcher's sync socket: records of a 4-byte tag, a
/// 4-byte length and the bytes (`ctutor_launcher.h`), read with a deadline.
struct SyncChannel: ~Copyable {
    let fd: Int32

    struct Record {
        var tag: UInt32
        var bytes: [UInt8]
    }

    init(fd: Int32) {
        self.fd = fd
    }

    deinit { close(fd) }

    func send(_ tag: ctutor_sync_tag) throws(SyscallError) {
        var header: (UInt32, UInt32) = (tag.rawValue, 0)
        _ = try retryingEINTR("send") { Glibc.send(fd, &header, 8, Int32(MSG_NOSIGNAL)) }
    }

    /// The next record; `nil` at end of file (the other side exited or exec'd).
    func receive(until deadline: ContinuousClock.Instant) throws -> Record? {
        guard let header = try readExactly(8, until: deadline) else { return nil }
        let tag = header.withUnsafeBytes { $0.load(fromByteOffset: 0, as: UInt32.self) }
        let length = header.withUnsafeBytes { $0.load(fromByteOffset: 4, as: UInt32.self) }
        guard length <= 1 << 20 else { throw SyscallError(call: "sync record of \(length) bytes", errno: EPROTO) }
        guard let bytes = try readExactly(Int(length), until: deadline) else {
            throw SyscallError(call: "sync record cut short", errno: EPROTO)
        }
        return Record(tag: tag, bytes: bytes)
    }

    private func readExactly(_ count: Int, until deadline: ContinuousClock.Instant) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        guard count > 0 else { return bytes }
        var chunk = [UInt8](repeating: 0, count: count)
        while bytes.count < count {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { throw LauncherTimeout() }
            var pending = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32((left / .milliseconds(1)).rounded(.up))
            guard try retryingEINTR("poll", { poll(&pending, 1, milliseconds) }) > 0 else { throw LauncherTimeout() }
            let want = count - bytes.count
            let got = try retryingEINTR("read") { chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, want) } }
            if got == 0 { return bytes.isEmpty ? nil : bytes }
            bytes += chunk[..<got]
        }
        return bytes
    }
}

/// The launcher did not answer in time.
struct LauncherTimeout: Error {}
#endif
