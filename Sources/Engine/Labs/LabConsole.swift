#if os(Linux)
import CShim
import Foundation
import Glibc
import TutorCore

/// The learner's terminal attached to a lab sandbox's shell, as `ctutor run -it`
/// attaches a container: a pseudo-terminal, our terminal raw while attached (and
/// restored after), its window size followed. Beside it, the poll loop serves the
/// shell's hook (``LabShellProfile``): each request line gets the answer `respond`
/// gives, written to the answer FIFO before the shell draws its prompt.
public struct LabConsole {
    /// Answers a request from the shell (`prompt`, `check`, `hint`, `step`, …) of
    /// the sandbox whose shell has this host PID.
    public var respond: (_ request: String, _ shellPID: Int32) -> String

    public init(respond: @escaping (_ request: String, _ shellPID: Int32) -> String) {
        self.respond = respond
    }

    /// Makes the sandbox on a new pty, relays until its shell exits, then releases it.
    /// Returns what the release did.
    public func run(images: ImageStore = .forCurrentUser()) throws -> [CleanupItem] {
        let signals = try ConsoleSignals()
        defer { signals.restore() }
        let (primary, replica) = try ConsoleSignals.openPseudoTerminal()
        defer { close(primary) }
        let sandbox: LabSandbox
        do {
            sandbox = try LabSandbox.start(terminal: replica, images: images)
            close(replica)
        } catch {
            close(replica)
            throw error
        }
        let ask = open(sandbox.askPath, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        defer { if ask >= 0 { close(ask) } }
        let raw = isatty(0) == 1 && ctutor_console_raw(0) == 0
        relay(sandbox, primary: primary, ask: ask, wake: signals.readEnd)
        if raw { ctutor_console_restore() }
        return sandbox.release()
    }

    private func relay(_ sandbox: LabSandbox, primary: Int32, ask: Int32, wake: Int32) {
        let pidfd = ctutor_pidfd_open(sandbox.shellPID)
        defer { if pidfd >= 0 { close(pidfd) } }
        var exited = pidfd < 0
        var outputOpen = true
        var inputOpen = true
        var pending = ""
        var buffer = [UInt8](repeating: 0, count: 65536)
        while outputOpen {
            var fds = [
                pollfd(fd: primary, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
                pollfd(fd: exited ? -1 : pidfd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: inputOpen ? 0 : -1, events: Int16(POLLIN), revents: 0), pollfd(fd: ask, events: Int16(POLLIN), revents: 0),
            ]
            // Once the shell is gone, what it wrote last is drained without waiting for more.
            let ready = poll(&fds, nfds_t(fds.count), exited ? 100 : -1)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 && exited { break }
            if fds[0].revents != 0 {
                let count = read(primary, &buffer, buffer.count)
                if count > 0 { ConsoleSignals.writeAll(1, buffer[0..<count]) } else if count == 0 || (errno != EINTR && errno != EAGAIN) { outputOpen = false }
            }
            if fds[1].revents != 0 {
                var signals = [UInt8](repeating: 0, count: 16)
                let count = read(wake, &signals, signals.count)
                for signal in signals.prefix(max(0, count)).map(Int32.init) {
                    if signal == SIGWINCH { _ = ctutor_console_copy_winsize(0, primary) } else { kill(sandbox.shellPID, SIGKILL) }
                }
            }
            if fds[2].revents != 0 { exited = true }
            if inputOpen, fds[3].revents != 0 {
                let count = read(0, &buffer, buffer.count)
                if count > 0 {
                    ConsoleSignals.writeAll(primary, buffer[0..<count])
                } else if count == 0 || errno != EINTR {
                    // No more input ever (a pipe or /dev/null ran out): the shell would wait forever.
                    inputOpen = false
                    kill(sandbox.shellPID, SIGKILL)
                }
            }
            if fds[4].revents != 0 {
                let count = read(ask, &buffer, buffer.count)
                if count > 0 { pending += String(decoding: buffer[0..<count], as: UTF8.self) }
                while let newline = pending.firstIndex(of: "\n") {
                    let request = String(pending[..<newline]).trimmingCharacters(in: .whitespaces)
                    pending = String(pending[pending.index(after: newline)...])
                    answer(respond(request, sandbox.shellPID), to: sandbox.answerPath)
                }
            }
        }
    }

    /// Writes the answer for the shell's `cat`, which opens the FIFO just after its
    /// request: waited for a short while, so a shell interrupted in between
    /// (Ctrl-C) cannot hang the tutor.
    private func answer(_ text: String, to path: String) {
        let deadline = ContinuousClock.now + .seconds(2)
        var fd: Int32 = -1
        while fd < 0 {
            fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 || errno != ENXIO || ContinuousClock.now > deadline { break }
            usleep(5000)
        }
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, 0)
        ConsoleSignals.writeAll(fd, Array(text.utf8)[...])
    }
}
#endif
