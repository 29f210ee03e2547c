#if os(Linux)
import CShim
import Foundation
import Glibc
import TutorCore

/// The processes one demo run starts, none of them in a namespace of its own: each is
/// written to the run's ``RunRecord`` as soon as it exists, and each is ended and
/// reaped before the run returns, so a learner's machine keeps nothing.
///
/// Not thread-safe: one demo's `run` owns it, on one thread.
final class DemoProcesses {
    private let record: RunRecord
    /// Started and not yet reaped, in the order they started.
    private(set) var live: [Int32] = []
    /// How each reaped process ended, in the order they were reaped.
    private(set) var exits: [LaunchExit] = []
    /// Each process's command as the learner should read it, by PID.
    private var commands: [Int32: String] = [:]

    init(demo: String) {
        record = RunRecord.begin(demo: demo)
    }

    /// Starts a program through the namespace launcher with no new namespace — the one
    /// way the engine starts processes — so that it dies with the tutor
    /// (`PR_SET_PDEATHSIG`) even if the tutor is killed, and records it.
    /// - Parameters:
    ///   - fileActions: what its standard input, output and error are (descriptors 0–2 only);
    ///     the rest are `/dev/null`.
    ///   - command: how the cleanup list names it; `path` and the arguments after `argv[0]` by default.
    func spawn(
        _ path: String, arguments: [String], fileActions: [SpawnFileAction] = [], command: String? = nil
    ) throws(SyscallError) -> Int32 {
        var stdio: [Int32] = [-1, -1, -1]
        var opened: [Int32] = []
        defer { opened.forEach { close($0) } }
        for action in fileActions {
            switch action {
            case .open(let fd, let target, let flags):
                precondition((0...2).contains(fd), "only standard descriptors can be given to a launched program")
                let opening = open(target, flags | O_CLOEXEC)
                guard opening >= 0 else { throw SyscallError(call: "open \(target)", errno: errno) }
                opened.append(opening)
                stdio[Int(fd)] = opening
            case .duplicate(let source, let target):
                precondition((0...2).contains(target), "only standard descriptors can be given to a launched program")
                stdio[Int(target)] = source
            }
        }
        var spec = LaunchSpec(namespaces: [])
        spec.program = LaunchSpec.Program(
            path: path, arguments: arguments,
            environment: ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" })
        let pid: Int32
        do {
            pid = try NamespaceLauncher.launch(spec, record: nil, stdio: (stdio[0], stdio[1], stdio[2])).handOver()
        } catch let failure as ChildFailure {
            if case .syscall(let error) = failure { throw error }
            throw SyscallError(call: "launch \(path)", errno: EPROTO)
        } catch let error as SyscallError {
            throw error
        } catch {
            throw SyscallError(call: "launch \(path)", errno: EINVAL)
        }
        record.addProcess(pid)
        live.append(pid)
        commands[pid] = command ?? ([path] + arguments.dropFirst()).joined(separator: " ")
        return pid
    }

    /// `kill(pid, SIGKILL)` and reap it. A child not yet reaped keeps its PID, so the
    /// signal cannot reach another process.
    /// - Parameter grace: how long it was given to exit by itself first, for the step.
    @discardableResult
    func kill(_ pid: Int32, after grace: Duration? = nil) -> LaunchExit {
        precondition(live.contains(pid), "process \(pid) is not a live process of this run")
        Glibc.kill(pid, SIGKILL)
        return reap(pid, killedAfter: grace)
    }

    /// Waits for `pid` to exit by itself and reaps it.
    @discardableResult
    func reap(_ pid: Int32, killedAfter: Duration? = nil) -> LaunchExit {
        precondition(live.contains(pid), "process \(pid) is not a live process of this run")
        var status: Int32 = 0
        var reaped: Int32?
        while true {
            let result = waitpid(pid, &status, 0)
            if result == pid {
                reaped = status
                break
            }
            if result == -1 && errno == EINTR { continue }
            // ECHILD: another waiter (a SIGCHLD handler waiting for any child) was first.
            break
        }
        return forget(pid, status: reaped, killedAfter: killedAfter)
    }

    /// Records that `pid` was reaped elsewhere (by the tracer's own `waitpid`).
    @discardableResult
    func forget(_ pid: Int32, status: Int32?, killedAfter: Duration? = nil) -> LaunchExit {
        let exit = LaunchExit(pid: pid, status: status, killedAfter: killedAfter, gone: !ProcFS.exists(pid: pid), hostChanges: [])
        live.removeAll { $0 == pid }
        record.removeProcess(pid)
        exits.append(exit)
        return exit
    }

    /// Waits until `pid` is blocked in one of `calls` (`clock_nanosleep`): the first
    /// field of `/proc/<pid>/syscall` is the number of the call a blocked process waits
    /// in. Where that file cannot be read, the state `S (sleeping)` in
    /// `/proc/<pid>/status` has to do.
    /// - Returns: the call's name, or the state when only that could be read.
    func waitUntilBlocked(_ pid: Int32, in calls: [String], timeout: Duration = .seconds(2)) throws -> String {
        let numbers = Dictionary(uniqueKeysWithValues: calls.map { (ctutor_syscall_number($0), $0) })
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let text = try? ProcFS.readFile("/proc/\(pid)/syscall") {
                if let first = text.split(separator: " ").first, let number = Int(first), let name = numbers[number] {
                    return name
                }
            } else if let state = try ProcFS.status(pid: pid).fields["State"], state.hasPrefix("S") {
                return state
            }
            usleep(1000)
        }
        throw EvidenceMismatch(
            detail: Localized(
                ko: "프로세스 \(KoreanParticle.iGa.attached(to: "\(pid)")) \(timeout.components.seconds)초 안에 \(calls.joined(separator: "/"))에서 멈추지 않았습니다",
                en: "process \(pid) did not block in \(calls.joined(separator: "/")) within \(timeout.components.seconds) s"))
    }

    /// Kills and reaps whatever still lives, in the order it started; a step for each:
    /// `kill(4211, SIGKILL); waitpid(4211) → killed by signal 9`.
    func killRemaining() -> [Localized] {
        live.map { pid in
            let step = kill(pid).step
            return Localized(ko: "kill(\(pid), SIGKILL); \(step.ko)", en: "kill(\(pid), SIGKILL); \(step.en)")
        }
    }

    /// `/proc/<pid>` of each reaped process that is gone, for the report's last step.
    var gone: [String] { exits.filter(\.gone).map { "/proc/\($0.pid)" } }

    /// Kills and reaps whatever still lives, then ends the run's record.
    func finish() {
        for pid in live { kill(pid) }
        record.finish()
    }

    /// Each reaped process as a cleanup item, `process 4211 (/bin/sleep 30)`: released
    /// when `/proc/<pid>` is gone.
    var cleanup: [CleanupItem] {
        exits.map { exit in
            let command = commands[exit.pid].map { " (\($0))" } ?? ""
            return CleanupItem(
                Localized(ko: "프로세스 \(exit.pid)\(command)", en: "process \(exit.pid)\(command)"), released: exit.gone)
        }
    }
}
#endif
