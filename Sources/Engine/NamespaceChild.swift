import TutorCore

#if os(Linux)
import CShim
import Glibc
#endif

/// A demo's child process while it lives in its new namespaces, blocked, so that it
/// can be looked at from outside (`/proc/<pid>/…`, `nsenter -t <pid>`).
public struct NamespaceChild: Equatable, Sendable {
    /// The child's PID in the host's PID namespace.
    public var pid: Int32
    /// Other processes of the same demo that are alive too (a second namespace, the
    /// other copies of a program), by host PID.
    public var others: [Int32]

    public init(pid: Int32, others: [Int32] = []) {
        self.pid = pid
        self.others = others
    }
}

#if os(Linux)
/// The child cloned by `ctutor_ns_child_spawn` (see `ctutor_clone.h` for its life).
/// Noncopyable, so exactly one owner reaps it; if that owner forgets, `deinit` does.
struct ClonedChild: ~Copyable {
    let pid: Int32
    private let goFD: Int32
    private let reportFD: Int32

    /// Clones the child into the namespaces in `flags` (`CTUTOR_CLONE_NEW*`).
    init(namespaces flags: Int32, hostname: String) throws(SyscallError) {
        var child = ctutor_ns_child()
        let (result, code) = hostname.withCString { name in
            (ctutor_ns_child_spawn(flags, name, &child), errno)
        }
        guard result == 0 else { throw SyscallError(call: String(cString: child.failed_call), errno: code) }
        pid = child.pid
        goFD = child.go_fd
        reportFD = child.report_fd
    }

    /// Lets the child go on to `sethostname` and its report.
    func sendGo() throws(SyscallError) {
        var byte = UInt8(ascii: "g")
        try retryingEINTR("send") { send(goFD, &byte, 1, Int32(MSG_NOSIGNAL)) }
    }

    /// Waits up to `timeout` for the child's report line.
    /// - Throws: ``ChildFailure``, or ``SyscallError`` if `poll` or `read` fails here.
    func readReport(timeout: Duration) throws -> ChildReport {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: Int(CTUTOR_NS_CHILD_REPORT_MAX))
        while true {
            if let newline = received.firstIndex(of: UInt8(ascii: "\n")) {
                return try ChildReport(line: String(decoding: received[..<newline], as: UTF8.self))
            }
            let left = clock.now.duration(to: deadline)
            var pending = pollfd(fd: reportFD, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32((max(left, .zero) / .milliseconds(1)).rounded(.up))
            guard try retryingEINTR("poll", { poll(&pending, 1, milliseconds) }) > 0 else {
                throw ChildFailure.silent(seconds: Int(timeout.components.seconds))
            }
            let count = try retryingEINTR("read") {
                chunk.withUnsafeMutableBytes { read(reportFD, $0.baseAddress, $0.count) }
            }
            guard count > 0 else {
                if received.isEmpty { throw ChildFailure.vanished }
                throw ChildFailure.malformedReport(String(decoding: received, as: UTF8.self))
            }
            received += chunk[..<count]
        }
    }

    /// Lets the child exit and reaps it: closing the sync socket is its cue to
    /// `_exit(0)`; if it has not exited after `grace`, it is killed with `SIGKILL`.
    consuming func finish(grace: Duration = .seconds(2)) -> ChildExit {
        let exit = Self.reap(pid: pid, goFD: goFD, reportFD: reportFD, grace: grace)
        discard self
        return exit
    }

    deinit {
        _ = Self.reap(pid: pid, goFD: goFD, reportFD: reportFD, grace: .seconds(2))
    }

    private static func reap(pid: Int32, goFD: Int32, reportFD: Int32, grace: Duration) -> ChildExit {
        close(goFD)
        // The child holds the report pipe's write end until it exits, so end-of-file
        // there is its exit: no sleeping poll loop on waitpid.
        let exited = waitForEndOfFile(reportFD, within: grace)
        close(reportFD)
        var killedAfter: Duration?
        if !exited {
            kill(pid, SIGKILL)
            killedAfter = grace
        }
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, 0)
            if result == pid {
                return ChildExit(pid: pid, status: status, killedAfter: killedAfter, gone: !ProcFS.exists(pid: pid))
            }
            if result == -1 && errno == EINTR { continue }
            // ECHILD: something else reaped it (a SIGCHLD handler waiting for any child).
            return ChildExit(pid: pid, status: nil, killedAfter: killedAfter, gone: !ProcFS.exists(pid: pid))
        }
    }

    /// Reads and drops whatever arrives on `fd` until end-of-file; false on timeout.
    private static func waitForEndOfFile(_ fd: Int32, within grace: Duration) -> Bool {
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
}

/// How the child ended, for the report's last steps and its `cleanup`.
struct ChildExit: Equatable {
    var pid: Int32
    /// The `waitpid` status; `nil` when another waiter reaped the child first.
    var status: Int32?
    /// The grace period it outstayed before it got `SIGKILL`, if it did.
    var killedAfter: Duration?
    /// Whether `/proc/<pid>` is gone after reaping.
    var gone: Bool

    /// What `waitpid` said, as a step.
    var step: Localized {
        let killed =
            killedAfter.map { grace in
                Localized(
                    ko: "\(grace.components.seconds)초 안에 끝나지 않음: kill(\(pid), SIGKILL); ",
                    en: "no exit within \(grace.components.seconds) s: kill(\(pid), SIGKILL); ")
            } ?? Localized("")
        let result: Localized
        if let status, ctutor_wifsignaled(status) != 0 {
            result = Localized(
                ko: "시그널 \(ctutor_wtermsig(status))로 종료", en: "killed by signal \(ctutor_wtermsig(status))")
        } else if let status {
            result = Localized(
                ko: "종료 상태 \(ctutor_wexitstatus(status))", en: "exited with status \(ctutor_wexitstatus(status))")
        } else {
            result = Localized(ko: "ECHILD: 다른 곳에서 이미 회수함", en: "ECHILD: already reaped elsewhere")
        }
        return Localized(
            ko: "\(killed.ko)waitpid(\(pid)) → \(result.ko)", en: "\(killed.en)waitpid(\(pid)) → \(result.en)")
    }

    /// `ok`, or what was left behind.
    var cleanup: CleanupItem {
        CleanupItem(
            Localized(ko: "자식 프로세스 \(pid)와 그 네임스페이스", en: "child process \(pid) and its namespaces"),
            released: gone)
    }
}
#endif
