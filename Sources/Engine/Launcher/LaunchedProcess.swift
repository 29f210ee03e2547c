import Foundation
import TutorCore

#if os(Linux)
import CShim
import Glibc
#endif

/// The isolated process a launch left: alive in its namespaces, a child of ours,
/// recorded in the run's record. `finish()` lets a holding process go; `wait()`
/// waits for a program to end. Either reaps it and checks the host is unchanged.
public final class LaunchedProcess: @unchecked Sendable {
    /// Its PID on the host.
    public let pid: Int32
    /// What it reported from inside.
    public let inside: InsideView
    /// What the launch did, naming the calls.
    public let steps: [Localized]

    #if os(Linux)
    private var channel: SyncChannel?
    #endif
    /// The launcher that made it, exited; reaped with it.
    private let launcherPID: Int32
    private let record: RunRecord?
    private let host: HostState
    private var exit: LaunchExit?
    private var handedOver = false

    #if os(Linux)
    init(
        pid: Int32, launcherPID: Int32, inside: InsideView, steps: [Localized], channel: consuming SyncChannel,
        record: RunRecord?, host: HostState
    ) {
        self.pid = pid
        self.launcherPID = launcherPID
        self.inside = inside
        self.steps = steps
        self.channel = .some(channel)
        self.record = record
        self.host = host
    }
    #endif

    /// Lets a holding process exit (closing the sync socket is its cue) and reaps it;
    /// after `grace` it gets `SIGKILL`.
    @discardableResult
    public func finish(grace: Duration = .seconds(2)) -> LaunchExit {
        #if os(Linux)
        channel = nil
        #endif
        return end(within: grace)
    }

    /// Waits up to `timeout` for a program to exit on its own, then kills it; reaps it.
    @discardableResult
    public func wait(timeout: Duration) -> LaunchExit {
        let exit = end(within: timeout)
        #if os(Linux)
        channel = nil
        #endif
        return exit
    }

    /// Hands the running program to a caller that reaps it itself (``DemoProcesses``):
    /// the launcher is reaped now, and this object no longer waits for or kills it.
    public func handOver() -> Int32 {
        #if os(Linux)
        channel = nil
        var status: Int32 = 0
        while waitpid(launcherPID, &status, 0) == -1 && errno == EINTR {}
        #endif
        handedOver = true
        return pid
    }

    deinit {
        #if os(Linux)
        channel = nil
        #endif
        if !handedOver { end(within: .seconds(2)) }
    }

    @discardableResult
    private func end(within grace: Duration) -> LaunchExit {
        if let exit { return exit }
        #if os(Linux)
        var killedAfter: Duration?
        if !Self.exits(pid, within: grace) {
            Glibc.kill(pid, SIGKILL)
            killedAfter = grace
        }
        var status: Int32 = 0
        var reaped: Int32?
        while true {
            let result = waitpid(pid, &status, 0)
            if result == pid { reaped = status }
            if result == -1 && errno == EINTR { continue }
            break
        }
        while waitpid(launcherPID, &status, 0) == -1 && errno == EINTR {}
        let gone = !ProcFS.exists(pid: pid)
        if gone { record?.removeProcess(pid) }
        let exit = LaunchExit(pid: pid, status: reaped, killedAfter: killedAfter, gone: gone, hostChanges: host.changes())
        #else
        let exit = LaunchExit(pid: pid, status: nil, killedAfter: nil, gone: true, hostChanges: [])
        #endif
        self.exit = exit
        return exit
    }

    #if os(Linux)
    /// Whether `pid` exits within `grace`: a pidfd becomes readable when it does.
    static func exits(_ pid: Int32, within grace: Duration) -> Bool {
        let fd = ctutor_pidfd_open(pid)
        guard fd >= 0 else { return errno == ESRCH }
        defer { close(fd) }
        let deadline = ContinuousClock.now + grace
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return false }
            var pending = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pending, 1, Int32((left / .milliseconds(1)).rounded(.up)))
            if ready > 0 { return true }
            if ready == 0 { return false }
            if errno != EINTR { return false }
        }
    }

    /// Kills and reaps a child the launch gave up on.
    static func kill(_ pid: Int32, record: RunRecord?) {
        Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        if !ProcFS.exists(pid: pid) { record?.removeProcess(pid) }
    }
    #endif
}

/// How an isolated process ended.
public struct LaunchExit: Equatable, Sendable {
    public var pid: Int32
    /// The `waitpid` status; `nil` when another waiter reaped it first.
    public var status: Int32?
    /// The grace period it outstayed before it got `SIGKILL`, if it did.
    public var killedAfter: Duration?
    /// Whether `/proc/<pid>` is gone after reaping.
    public var gone: Bool
    /// Host state that changed while it ran (it must not).
    public var hostChanges: [String]

    /// The exit code a shell would show: the status, or 128 + the signal.
    public var exitCode: Int32? {
        #if os(Linux)
        guard let status else { return nil }
        return ctutor_exit_code(status)
        #else
        return nil
        #endif
    }

    /// What `waitpid` said, as a step.
    public var step: Localized {
        let killed =
            killedAfter.map { grace in
                Localized(
                    ko: "\(grace.components.seconds)초 안에 끝나지 않음: kill(\(pid), SIGKILL); ",
                    en: "no exit within \(grace.components.seconds) s: kill(\(pid), SIGKILL); ")
            } ?? Localized("")
        let result: Localized
        #if os(Linux)
        if let status, ctutor_wifsignaled(status) != 0 {
            result = Localized(
                ko: "시그널 \(ctutor_wtermsig(status))로 종료", en: "killed by signal \(ctutor_wtermsig(status))")
        } else if let status {
            result = Localized(
                ko: "종료 상태 \(ctutor_wexitstatus(status))", en: "exited with status \(ctutor_wexitstatus(status))")
        } else {
            result = Localized(ko: "ECHILD: 다른 곳에서 이미 회수함", en: "ECHILD: already reaped elsewhere")
        }
        #else
        result = Localized("-")
        #endif
        return Localized(
            ko: "\(killed.ko)waitpid(\(pid)) → \(result.ko)", en: "\(killed.en)waitpid(\(pid)) → \(result.en)")
    }

    /// The process and its namespaces, released or not.
    public var cleanup: CleanupItem {
        CleanupItem(
            Localized(
                ko: "프로세스 \(KoreanParticle.gwaWa.attached(to: "\(pid)")) 그 네임스페이스 (/proc/\(pid) \(gone ? "사라짐" : "남아 있음"))",
                en: "process \(pid) and its namespaces (/proc/\(pid) \(gone ? "gone" : "still there"))"),
            released: gone)
    }
}
