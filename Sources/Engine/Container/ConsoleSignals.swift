#if os(Linux)
import CShim
import Glibc

/// What a console attached to the learner's terminal (`ctutor run -it`, a lab's
/// sandbox shell) needs around its poll loop: the signals that would end or resize
/// it (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH) turned into bytes on a pipe the
/// loop reads (``readEnd``), and a pseudo-terminal sized like ours.
final class ConsoleSignals {
    let readEnd: Int32
    private let writeEnd: Int32

    /// Installs the handlers; ``restore()`` puts the defaults back.
    init() throws {
        var ends: [Int32] = [-1, -1]
        try retryingEINTR("pipe2") { ctutor_pipe_cloexec(&ends) }
        _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
        readEnd = ends[0]
        writeEnd = ends[1]
        let installed = ctutor_console_signals(writeEnd)
        if installed != 0 {
            restore()
            throw SyscallError(call: "sigaction", errno: installed)
        }
    }

    func restore() {
        ctutor_console_signals_default()
        close(readEnd)
        close(writeEnd)
    }

    /// A new pseudo-terminal with our terminal's window size: the primary side is the
    /// caller's (close-on-exec), the replica the console's process's.
    static func openPseudoTerminal() throws -> (primary: Int32, replica: Int32) {
        var primary: Int32 = -1
        var replica: Int32 = -1
        let opened = ctutor_console_openpty(&primary, &replica)
        if opened != 0 { throw SyscallError(call: "posix_openpt", errno: opened) }
        _ = ctutor_console_copy_winsize(0, primary)
        return (primary, replica)
    }

    /// Writes all of `bytes` to `fd`, again after EINTR; stops quietly when the other
    /// end is gone (the learner's terminal or the console's process closed it).
    static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) {
        var rest = bytes
        while !rest.isEmpty {
            let count = rest.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            rest = rest.dropFirst(count)
        }
    }
}
#endif
