#if os(Linux)
import CShim
import Foundation
import Glibc

/// A foreground container's input and output, as `ctutor run` attaches to it: its
/// output to ours (and to its `log`, unless `--rm`), our input to it with `-i`, and
/// with `-t` a pseudo-terminal: our terminal raw while attached, its window size
/// followed, Ctrl-C a byte the container's own terminal turns into SIGINT.
public struct ContainerConsole {
    public var interactive = false
    /// Told to the learner on standard error (a killed PID 1, a second Ctrl-C).
    public var notice: (String) -> Void = { FileHandle.standardError.write(Data(("ctutor: " + $0 + "\n").utf8)) }

    public init(interactive: Bool) {
        self.interactive = interactive
    }

    /// Starts the container wired to this process's standard descriptors, relays
    /// until it exits and returns how it ended; releasing it is the caller's.
    public func run(
        _ request: ContainerRequest, start: (ContainerRequest, (Int32, Int32, Int32)) throws -> Container
    ) throws -> (Container, ContainerExit) {
        let signals = try ConsoleSignals()
        defer { signals.restore() }

        if request.terminal {
            let (primary, replica) = try ConsoleSignals.openPseudoTerminal()
            defer { close(primary) }
            var request = request
            request.consolePath = try? ProcFS.readLink("/proc/self/fd/\(replica)")
            let container: Container
            do {
                container = try start(request, (replica, replica, replica))
                close(replica)
            } catch {
                close(replica)
                throw error
            }
            let raw = isatty(0) == 1 && ctutor_console_raw(0) == 0
            defer { if raw { ctutor_console_restore() } }
            let exit = relay(
                container, outputs: [(primary, 1)], input: interactive ? (0, primary) : nil, wake: signals.readEnd, terminal: primary,
                log: logFile(container))
            return (container, exit)
        }
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        try retryingEINTR("pipe2") { ctutor_pipe_cloexec(&out) }
        try retryingEINTR("pipe2") { ctutor_pipe_cloexec(&err) }
        defer { [out[0], err[0]].forEach { close($0) } }
        let container: Container
        do {
            container = try start(request, (interactive ? 0 : -1, out[1], err[1]))
            close(out[1])
            close(err[1])
        } catch {
            close(out[1])
            close(err[1])
            throw error
        }
        let exit = relay(container, outputs: [(out[0], 1), (err[0], 2)], input: nil, wake: signals.readEnd, terminal: nil, log: logFile(container))
        return (container, exit)
    }

    private func logFile(_ container: Container) -> Int32? {
        guard !container.record.autoRemove else { return nil }
        let fd = open(container.directory.appendingPathComponent("log").path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
        return fd >= 0 ? fd : nil
    }

    /// The poll loop: output out, input in, signals handled, until the init has
    /// exited and its output is drained.
    private func relay(
        _ container: Container, outputs: [(from: Int32, to: Int32)], input: (from: Int32, to: Int32)?, wake: Int32,
        terminal: Int32?, log: Int32?
    ) -> ContainerExit {
        defer { if let log { close(log) } }
        let pidfd = ctutor_pidfd_open(container.pid)
        defer { if pidfd >= 0 { close(pidfd) } }
        var open = outputs
        var exited = pidfd < 0
        var interrupts = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        var inputOpen = input != nil
        while !open.isEmpty || !exited {
            var fds = open.map { pollfd(fd: $0.from, events: Int16(POLLIN), revents: 0) }
            fds.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0))
            fds.append(pollfd(fd: exited ? -1 : pidfd, events: Int16(POLLIN), revents: 0))
            fds.append(pollfd(fd: inputOpen ? input!.from : -1, events: Int16(POLLIN), revents: 0))
            // Once the init is gone, the output left is drained without waiting for more.
            let ready = poll(&fds, nfds_t(fds.count), exited ? 100 : -1)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 && exited { break }
            for (index, stream) in open.enumerated().reversed() where fds[index].revents != 0 {
                let count = read(stream.from, &buffer, buffer.count)
                if count > 0 {
                    ConsoleSignals.writeAll(stream.to, buffer[0..<count])
                    if let log { ConsoleSignals.writeAll(log, buffer[0..<count]) }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    open.remove(at: index)  // EIO from a pty primary: every replica is closed
                }
            }
            let wakeIndex = fds.count - 3
            if fds[wakeIndex].revents != 0 {
                var signals = [UInt8](repeating: 0, count: 16)
                let count = read(wake, &signals, signals.count)
                for signal in signals.prefix(max(0, count)).map(Int32.init) {
                    handle(signal, container: container, terminal: terminal, interrupts: &interrupts)
                }
            }
            if !exited && fds[wakeIndex + 1].revents != 0 { exited = true }
            if inputOpen, let input, fds[wakeIndex + 2].revents != 0 {
                let count = read(input.from, &buffer, buffer.count)
                if count > 0 { ConsoleSignals.writeAll(input.to, buffer[0..<count]) } else { inputOpen = false }
            }
        }
        return container.wait(timeout: .seconds(5))
    }

    private func handle(_ signal: Int32, container: Container, terminal: Int32?, interrupts: inout Int) {
        switch signal {
        case SIGWINCH:
            if let terminal { _ = ctutor_console_copy_winsize(0, terminal) }
        case SIGHUP:
            // The learner's terminal is gone: so is the container.
            container.kill(SIGKILL)
        default:
            interrupts += 1
            if interrupts >= 2 {
                notice("killing the container (SIGKILL)")
                container.kill(SIGKILL)
                return
            }
            container.kill(signal)
            if !container.hasExited(within: .seconds(1)) {
                let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
                notice(
                    "\(name) sent to the container's PID 1, which ignores it: PID 1 of a PID namespace gets only the "
                        + "signals it has a handler for. Press Ctrl-C again to kill it (SIGKILL).")
            }
        }
    }
}
#endif
