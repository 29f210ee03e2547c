import Foundation
import TutorCore

#if os(Linux)
import CShim
import Glibc
#endif

/// One running container: its init (PID 1 inside) is a child of ours, made by the
/// namespace launcher on an overlay of its image's layers, inside its cgroup and,
/// with `--net bridge`, plugged into the host's bridge. `wait` reaps it; `release`
/// takes down everything it had, and everything is in the run's ``RunRecord`` from
/// the moment it exists, so a killed `ctutor run` leaves nothing a sweep cannot find.
public final class Container: @unchecked Sendable {
    public private(set) var record: ContainerRecord
    public let store: ContainerStore
    /// The init's host PID.
    public var pid: Int32 { process.pid }
    /// What the start did, naming the calls.
    public let steps: [Localized]
    /// The OCI configuration it runs with.
    public let config: OCISpec
    public let cgroup: ContainerCgroup?
    public private(set) var attachment: BridgeAttachment?
    /// The image's layers, top first, as the overlay's lower directories.
    public let lowerDirectories: [String]
    public var directory: URL { store.directory(of: record.id) }

    let process: LaunchedProcess
    let runRecord: RunRecord
    private var released: [CleanupItem]?
    private var exit: ContainerExit?

    init(
        record: ContainerRecord, store: ContainerStore, process: LaunchedProcess, steps: [Localized], config: OCISpec,
        cgroup: ContainerCgroup?, attachment: BridgeAttachment?, lowerDirectories: [String], runRecord: RunRecord
    ) {
        self.record = record
        self.store = store
        self.process = process
        self.steps = steps
        self.config = config
        self.cgroup = cgroup
        self.attachment = attachment
        self.lowerDirectories = lowerDirectories
        self.runRecord = runRecord
    }

    /// Waits up to `timeout` for the init to exit (then kills it), reaps it and
    /// records how it ended.
    @discardableResult
    public func wait(timeout: Duration) -> ContainerExit {
        if let exit { return exit }
        let ended = process.wait(timeout: timeout)
        let oomKills = cgroup?.statistics().oomKills ?? 0
        let exit = ContainerExit(
            code: ended.exitCode ?? 255, oomKilled: ended.exitCode == 128 + SIGKILL && oomKills > 0, launch: ended)
        record.status = .exited
        record.exitCode = exit.code
        record.oomKilled = exit.oomKilled
        record.finishedAt = UTCTimestamp.string(Date())
        if !record.autoRemove { try? store.write(record) }
        self.exit = exit
        return exit
    }

    /// Sends `signal` to the init (through a pidfd, so never to a reused PID).
    public func kill(_ signal: Int32) {
        #if os(Linux)
        let fd = ctutor_pidfd_open(pid)
        guard fd >= 0 else { return }
        _ = ctutor_pidfd_send_signal(fd, signal)
        close(fd)
        #endif
    }

    /// Whether the init has exited (it may not be reaped yet).
    public func hasExited(within grace: Duration = .zero) -> Bool {
        LaunchedProcess.exits(pid, within: grace)
    }

    /// Kills what is left, reaps, and removes the cgroup, the network attachment and
    /// (with `--rm`) the container's directory. Idempotent.
    @discardableResult
    public func release() -> [CleanupItem] {
        if let released { return released }
        let exit = wait(timeout: .seconds(2))
        var items = [exit.launch.cleanup]
        if let cgroup {
            let removed = (try? cgroup.remove()) != nil
            if removed { runRecord.remove(.cgroup(paths: cgroup.directories)) }
            items.append(
                CleanupItem(
                    Localized(ko: "cgroup \(cgroup.directories.first ?? "")", en: "cgroup \(cgroup.directories.first ?? "")"),
                    released: removed))
        }
        if let attachment, let state = StateDirectory.current {
            let detached = (try? ContainerNetwork.detach(attachment, stateDirectory: state)) != nil
            if detached { runRecord.remove(.networkLease(containerID: record.id)) }
            items.append(
                CleanupItem(
                    Localized(
                        ko: "veth \(attachment.hostInterface), 주소 \(attachment.address)",
                        en: "veth \(attachment.hostInterface), address \(attachment.address)"),
                    released: detached))
        }
        if record.autoRemove {
            let path = directory.path
            let removed = (try? store.remove(record.id)) != nil || !FileManager.default.fileExists(atPath: path)
            if removed { runRecord.remove(.directory(path: path)) }
            items.append(
                CleanupItem(
                    Localized(ko: "컨테이너 디렉터리(upper, work) \(path)", en: "the container's directory (upper, work) \(path)"),
                    released: removed))
        }
        if items.allSatisfy(\.released) { runRecord.finish() }
        released = items
        return items
    }

    deinit {
        release()
    }
}

/// How a container's init ended.
public struct ContainerExit: Equatable, Sendable {
    /// As a shell shows it: the status, or 128 + the signal (137 for `SIGKILL`).
    public var code: Int32
    /// Killed by the kernel's OOM killer for its cgroup's memory limit.
    public var oomKilled: Bool
    public var launch: LaunchExit
}
