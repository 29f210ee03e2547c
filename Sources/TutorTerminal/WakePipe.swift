import Foundation
import TutorUI

/// A self-pipe: a byte written to it wakes the terminal's `poll`. Workers write
/// through ``wake()`` from any thread; the quit signals' handler writes to
/// ``writeEnd`` directly (write is async-signal-safe).
///
/// The descriptors close only when the last holder lets go: a worker still
/// finishing after the terminal closed writes into this pipe, never into a
/// descriptor number the process has since reused.
final class WakePipe: TerminalWaker {
    let readEnd: Int32
    let writeEnd: Int32

    /// Nil when the pipe cannot be made; `errno` says why.
    init?() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        // Made before any other thread exists, so no child can inherit them unmarked.
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        Foundation.close(readEnd)
        Foundation.close(writeEnd)
    }

    /// A full pipe already holds a wake-up, so EAGAIN is as good as a write.
    func wake() {
        var byte: UInt8 = 1
        while write(writeEnd, &byte, 1) < 0 && errno == EINTR {}
    }

    /// Empties the pipe: one wake-up stands for every byte in it.
    func drain() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while true {
            let count = read(readEnd, &scratch, scratch.count)
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            return
        }
    }
}
