import Foundation

/// Lines from standard input, read with `read(2)` and waited for with `poll(2)`, so
/// an exam's clock can end the wait for an answer that never comes.
struct StdinLines {
    enum Next: Equatable {
        case line(String)
        case endOfInput
        case timedOut
    }

    private var buffer: [UInt8] = []
    private var ended = false

    /// The next line without its newline; waits at most until `deadline` when one is given.
    mutating func next(before deadline: Date?) -> Next {
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .line(line.hasSuffix("\r") ? String(line.dropLast()) : line)
            }
            if ended {
                guard !buffer.isEmpty else { return .endOfInput }
                let line = String(decoding: buffer, as: UTF8.self)
                buffer = []
                return .line(line)
            }
            if let deadline {
                let milliseconds = Int32(max(0, min(deadline.timeIntervalSinceNow * 1000, Double(Int32.max))).rounded(.up))
                var request = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
                let ready = poll(&request, 1, milliseconds)
                if ready == 0 { return .timedOut }
                if ready < 0 && errno == EINTR { continue }
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = read(STDIN_FILENO, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                ended = true
            } else {
                buffer += chunk[..<count]
            }
        }
    }
}
