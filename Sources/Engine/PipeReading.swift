#if os(Linux)
import Glibc

/// Reading a child's pipe with a deadline, so a child that hangs cannot hang a demo.
enum PipeReading {
    /// The first line on `fd` (without its newline), waiting up to `timeout`.
    /// - Throws: ``ChildFailure/vanished`` at end-of-file before any byte,
    ///   ``ChildFailure/malformedReport(_:)`` at end-of-file mid-line,
    ///   ``ChildFailure/silent(seconds:)`` when the time is up.
    static func line(from fd: Int32, timeout: Duration) throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        while true {
            if let newline = received.firstIndex(of: UInt8(ascii: "\n")) {
                return String(decoding: received[..<newline], as: UTF8.self)
            }
            let left = clock.now.duration(to: deadline)
            var pending = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32((max(left, .zero) / .milliseconds(1)).rounded(.up))
            guard try retryingEINTR("poll", { poll(&pending, 1, milliseconds) }) > 0 else {
                throw ChildFailure.silent(seconds: Int(timeout.components.seconds))
            }
            let count = try retryingEINTR("read") {
                chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            }
            guard count > 0 else {
                if received.isEmpty { throw ChildFailure.vanished }
                throw ChildFailure.malformedReport(String(decoding: received, as: UTF8.self))
            }
            received += chunk[..<count]
        }
    }

    /// Reads and drops what arrives on `fd` until end-of-file — the writer, a child
    /// holding the pipe until it exits, is gone; false when `grace` runs out first.
    static func waitForEndOfFile(_ fd: Int32, within grace: Duration) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        var scratch = [UInt8](repeating: 0, count: 256)
        while true {
            let left = clock.now.duration(to: deadline)
            guard left > .zero else { return false }
            var pending = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pending, 1, Int32((left / .milliseconds(1)).rounded(.up)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return false }
            let count = scratch.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return true }
            if count < 0 && errno != EINTR && errno != EAGAIN { return true }
        }
    }

    /// Everything on `fd` up to its end of file, as text (a child's error messages:
    /// short, and the child exits after writing them).
    static func text(until fd: Int32) -> String {
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            text += buffer[0..<count]
        }
        return String(decoding: text, as: UTF8.self)
    }
}
#endif
