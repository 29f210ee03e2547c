#if os(Linux)
import CShim
import Dispatch
import Foundation
import Glibc
import TutorCore

/// What a traced command asked of the kernel.
struct SyscallCount: Equatable {
    /// Every system-call entry, from the command's `execve` on.
    var total: Int
    /// Entries by system-call number.
    var byNumber: [Int: Int]
    /// How the command ended (its `waitpid` status).
    var status: Int32

    /// The count of the call named `name` on this architecture (0 when it has no such call).
    func count(_ name: String) -> Int {
        let number = ctutor_syscall_number(name)
        return number < 0 ? 0 : byNumber[number, default: 0]
    }

    /// The most frequent calls first, ties by number: (name, count).
    func top(_ limit: Int) -> [(name: String, count: Int)] {
        byNumber.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit).map {
            (SyscallCount.name(of: $0.key), $0.value)
        }
    }

    /// `openat`, or `syscall 451` for a number outside the table.
    static func name(of number: Int) -> String {
        ctutor_syscall_name(number).map { String(cString: $0) } ?? "syscall \(number)"
    }
}

/// Why the counter could not count.
enum SyscallCounterFailure: Error, Equatable {
    /// `ctutor_ptrace_syscall_number` does not know this architecture's registers.
    case unsupportedArchitecture(String)
    /// A call in the traced child (before its `execve`) failed.
    case child(SyscallError)
    /// The command did not finish in time and was killed.
    case timedOut(seconds: Int)
    /// The child ended before the tracer could take it over.
    case notStopped(status: Int32)
}

/// Counts the system calls one command makes, as `strace -c` does, with `ptrace(2)`
/// from this process.
///
/// The command starts as the hidden child program `traceme` (``TraceMe``): it asks to
/// be traced, stops itself, and then `execv`s the command. The parent, on the same
/// thread throughout (the kernel takes ptrace requests only from the tracer thread),
/// resumes it with `PTRACE_SYSCALL` and counts the syscall-entry stops by number.
/// Only the command's own process is traced, not children it might start.
struct SyscallCounter {
    /// The command: an absolute path, then its arguments.
    var command: [String]
    /// After this long the command is killed (`SIGKILL`) and the count abandoned.
    var timeout: Duration = .seconds(5)
    /// The ctutor binary that runs ``TraceMe``: this one, unless a test names the built `ctutor`.
    var childExecutable = ChildProgram.selfExecutable

    /// Runs the command with its standard output sent to `/dev/null`, and counts.
    ///
    /// The traced process is started, and reaped, through `processes`.
    func run(processes: DemoProcesses) throws -> SyscallCount {
        guard ctutor_ptrace_architecture() != nil else {
            throw SyscallCounterFailure.unsupportedArchitecture(MachineProbe.machineName())
        }
        let errors = try Spawn.pipe()
        let pid: Int32
        do {
            pid = try processes.spawn(
                childExecutable, arguments: ChildProgram.argv("traceme", command),
                fileActions: [
                    .open(fd: STDOUT_FILENO, path: "/dev/null", flags: O_WRONLY),
                    .duplicate(errors.write, to: TraceMe.errorFD),
                ], command: command.joined(separator: " "))
        } catch {
            close(errors.read)
            close(errors.write)
            throw error
        }
        close(errors.write)
        defer { close(errors.read) }

        let watchdog = Watchdog(pid: pid, timeout: timeout)
        var traced: (count: SyscallCount?, status: Int32)
        do {
            traced = try trace(pid)
        } catch {
            let fired = watchdog.stop()
            // The tracee may be stopped: SIGKILL still ends it, then it is reaped.
            processes.kill(pid)
            // A request to a tracee the watchdog just killed fails with ESRCH: the timeout is the cause.
            if fired { throw SyscallCounterFailure.timedOut(seconds: Int(timeout.components.seconds)) }
            throw error
        }
        let fired = watchdog.stop()
        processes.forget(pid, status: traced.status, killedAfter: fired ? timeout : nil)
        if let failure = TraceMe.failure(readingFrom: errors.read) { throw SyscallCounterFailure.child(failure) }
        if fired { throw SyscallCounterFailure.timedOut(seconds: Int(timeout.components.seconds)) }
        guard let count = traced.count else { throw SyscallCounterFailure.notStopped(status: traced.status) }
        return count
    }

    /// Traces `pid` until it is reaped: the count (`nil` if it never stopped for us)
    /// and its final `waitpid` status.
    private func trace(_ pid: Int32) throws(SyscallError) -> (count: SyscallCount?, status: Int32) {
        var status = try wait(pid)
        // The child's raise(SIGSTOP) after PTRACE_TRACEME; anything else means it failed first.
        guard ctutor_wifstopped(status) != 0, ctutor_wstopsig(status) == SIGSTOP else { return (nil, status) }
        try retryingEINTR("ptrace(PTRACE_SETOPTIONS)") {
            ctutor_ptrace_set_options(
                pid, CTUTOR_PTRACE_O_TRACESYSGOOD | CTUTOR_PTRACE_O_TRACEEXEC | CTUTOR_PTRACE_O_EXITKILL)
        }
        let execve = ctutor_syscall_number("execve")
        let syscallStop = SIGTRAP | 0x80
        var counting = false
        var inSyscall = false
        var byNumber: [Int: Int] = [:]
        var total = 0
        var signal: Int32 = 0
        while true {
            try retryingEINTR("ptrace(PTRACE_SYSCALL)") { ctutor_ptrace_resume_to_syscall(pid, signal) }
            signal = 0
            status = try wait(pid)
            guard ctutor_wifstopped(status) != 0 else { break }
            let stop = ctutor_wstopsig(status)
            if stop == syscallStop {
                // Entry and exit stops alternate; only entries are counted.
                inSyscall.toggle()
                guard inSyscall else { continue }
                var number = -1
                try retryingEINTR("ptrace(PTRACE_GETREGS)") { ctutor_ptrace_syscall_number(pid, &number) }
                // The child's own calls before its execve are not the command's.
                if number == execve { counting = true }
                if counting {
                    byNumber[number, default: 0] += 1
                    total += 1
                }
            } else if ctutor_ptrace_event(status) == 0 {
                // A signal for the tracee: deliver it on resuming.
                signal = stop
            }
        }
        return (SyscallCount(total: total, byNumber: byNumber, status: status), status)
    }

    private func wait(_ pid: Int32) throws(SyscallError) -> Int32 {
        var status: Int32 = 0
        try retryingEINTR("waitpid") { waitpid(pid, &status, 0) }
        return status
    }
}

/// Kills the tracee with `SIGKILL` if the trace outlasts its timeout, from a thread
/// of its own (the tracer thread is blocked in `waitpid`). It signals through a pidfd,
/// so it cannot hit another process that reused the PID after the tracee was reaped.
private final class Watchdog: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var fired = false
    private let pidfd: Int32

    init(pid: Int32, timeout: Duration) {
        pidfd = ctutor_pidfd_open(pid)
        let deadline = DispatchTime.now() + .milliseconds(Int(timeout / .milliseconds(1)))
        Thread.detachNewThread { [self] in
            if finished.wait(timeout: deadline) == .timedOut {
                lock.withLock { fired = true }
                // Without pidfds (Linux < 5.3) the PID is still ours: the tracer reaps
                // it only after this kill has made it exit.
                if pidfd >= 0 { _ = ctutor_pidfd_send_signal(pidfd, SIGKILL) } else { Glibc.kill(pid, SIGKILL) }
            }
            done.signal()
        }
    }

    /// Stops the watchdog and waits for its thread; whether it had killed the tracee.
    @discardableResult
    func stop() -> Bool {
        finished.signal()
        done.wait()
        if pidfd >= 0 { close(pidfd) }
        return lock.withLock { fired }
    }
}

/// The hidden child program `traceme`: `ctutor __traceme PATH ARGS…`.
///
/// It asks to be traced by its parent (`PTRACE_TRACEME`), stops itself with
/// `raise(SIGSTOP)` so the parent can set its options, then `execv`s `PATH`. A failed
/// call is reported on descriptor 3 as `ERR <call> <errno>` before it exits with 127.
enum TraceMe {
    /// Where the child reports a failure before its execv: its standard error, a pipe
    /// the tracer reads once the child is reaped.
    static let errorFD: Int32 = STDERR_FILENO

    static func main(_ arguments: [String]) -> Int32 {
        guard let path = arguments.first else { return fail("argv", EINVAL) }
        // Everything execv needs is ready before the tracer takes over, so the
        // first call it sees after the stop is the execve.
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        guard ctutor_ptrace_traceme() == 0 else { return fail("ptrace(PTRACE_TRACEME)", errno) }
        guard raise(SIGSTOP) == 0 else { return fail("raise(SIGSTOP)", errno) }
        execv(path, argv)
        return fail("execv", errno)
    }

    private static func fail(_ call: String, _ code: Int32) -> Int32 {
        let line = Array("ERR \(call) \(code)\n".utf8)
        _ = line.withUnsafeBytes { write(errorFD, $0.baseAddress, $0.count) }
        return 127
    }

    /// The failure the child reported on the error pipe, if any; reads to end-of-file.
    static func failure(readingFrom fd: Int32) -> SyscallError? {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            received += chunk[..<count]
        }
        let words = String(decoding: received, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard words.count == 3, words[0] == "ERR", let code = Int32(words[2]) else { return nil }
        return SyscallError(call: String(words[1]), errno: code)
    }
}
#endif
