import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// A container's task (containerd's word for its running process): started through
/// one shim per container, signalled and waited for through the shim's socket.
extension Containerd {
    /// The status now: from the record once it has exited, else from the runtime's
    /// state and whether its shim is alive.
    public func status(of container: ManagedContainer) -> ContainerStatus {
        var status = ContainerStatus(
            phase: .created, pid: 0, shimPID: 0, exitCode: container.exitCode ?? 0, startedAt: container.startedAt,
            finishedAt: container.finishedAt)
        if container.exitCode != nil {
            status.phase = .exited
            return status
        }
        guard container.startedAt != nil else { return status }
        if let shim = runtimeRoot.shim(of: container.id), shim.isAlive, runtimeRoot.exit(of: container.id) == nil,
            let state = try? runtimeRoot.load(container.id)
        {
            status.phase = .running
            status.pid = state.pid
            status.shimPID = shim.pid
            return status
        }
        status.phase = .exited
        if let exit = runtimeRoot.exit(of: container.id) {
            status.exitCode = exit.exitStatus
            status.finishedAt = exit.exitedAt
        }
        return status
    }

    /// Mounts the snapshot and starts a shim for the container; returns once its
    /// program runs. ``ContainerdError/notModified`` when it runs already.
    public func start(_ reference: String) throws(ContainerdError) {
        var container = try lookup(reference)
        // The runtime will move the container's init into a cgroup, which waits for an
        // RCU grace period: start that wait now, beside the mount and the shim's start.
        CgroupGracePeriod.startEarly()
        lock.lock()
        defer { lock.unlock() }
        guard !status(of: container).isRunning else { throw .notModified }
        try mountSnapshot(of: container)
        // A container started again: its old runtime state is the exited one's.
        if access(runtimeRoot.directory(of: container.id), F_OK) == 0 { releaseTask(of: container.id) }
        let options = ShimOptions(
            id: container.id, bundle: bundle(of: container.id), log: logFile(of: container.id), runtimeRoot: runtimeRoot,
            multiplexedLog: true)
        let started: ShimStarted
        do {
            started = try Shim.start(options)
        } catch {
            unmountSnapshot(of: container.id)
            // As dockerd does: an auto-removed container that cannot start is removed,
            // so a client waiting for its removal is answered.
            if container.autoRemove {
                try? ContainerStore.removeTree(directory(of: container.id))
                lock.broadcast()
            }
            throw .failed("failed to start container \(container.id): \(error)")
        }
        shimChildren.insert(started.shimPID)
        container.startedAt = UTCTimestamp.string(Date())
        container.finishedAt = nil
        container.exitCode = nil
        try? write(container)
        lock.broadcast()
        watch(container.id, socket: started.socket)
    }

    /// Sends `signal` (`TERM`, `SIGKILL`, `9`) to the container's init through its shim.
    public func kill(_ reference: String, signal: String = "KILL") throws(ContainerdError) {
        let container = try lookup(reference)
        guard RuntimeSignal.parse(signal) != nil else { throw .invalid("Invalid signal: \(signal)") }
        guard status(of: container).isRunning else { throw .conflict("Container \(container.id) is not running") }
        do {
            _ = try ShimClient.send(.kill(signal: signal), socket: runtimeRoot.shimSocket(of: container.id))
        } catch {
            throw .failed("kill \(container.id): \(error)")
        }
    }

    /// `TERM`, then `KILL` after `timeout` if it still runs; returns once it has exited.
    public func stop(_ reference: String, timeout: Duration = .seconds(10)) throws(ContainerdError) {
        let container = try lookup(reference)
        guard status(of: container).isRunning else { throw .notModified }
        try? kill(container.id, signal: "TERM")
        if !waitUntil(container.id, deadline: .now + timeout, { !($0.map { self.status(of: $0).isRunning } ?? false) }) {
            try? kill(container.id, signal: "KILL")
            _ = waitUntil(container.id, deadline: .now + .seconds(10)) { !($0.map { self.status(of: $0).isRunning } ?? false) }
        }
    }

    /// Docker's wait conditions: `not-running` (returns at once for a container that
    /// does not run), `next-exit`, `removed`. The exit status it waited for.
    public func wait(_ reference: String, condition: String) throws(ContainerdError) -> Int32 {
        try waiter(lookup(reference), condition: condition)()
    }

    /// The wait, its starting point taken now (a `next-exit` is the exit after this
    /// call, even if the container starts and ends before the returned function runs).
    public func waiter(_ container: ManagedContainer, condition: String) throws(ContainerdError) -> @Sendable () -> Int32 {
        let id = container.id
        let finishedBefore = container.exitCode == nil ? nil : container.finishedAt
        let done: @Sendable (ManagedContainer?) -> Bool
        switch condition {
        case "", "not-running":
            done = { [self] record in record.map { !self.status(of: $0).isRunning } ?? true }
        case "next-exit":
            done = { record in record.map { $0.exitCode != nil && $0.finishedAt != finishedBefore } ?? true }
        case "removed":
            done = { $0 == nil }
        default:
            throw .invalid("invalid condition: \"\(condition)\"")
        }
        return { [self] in
            _ = waitUntil(id, deadline: nil, done)
            lock.lock()
            defer { lock.unlock() }
            return read(id)?.exitCode ?? lastExits[id] ?? status(of: container).exitCode
        }
    }

    /// Waits (without the lock) until `done` holds for the record (`nil`: removed);
    /// `false` at the deadline.
    func waitUntil(_ id: String, deadline: ContinuousClock.Instant?, _ done: (ManagedContainer?) -> Bool) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        while !done(read(id)) {
            if let deadline, ContinuousClock.now >= deadline { return false }
            // Woken by a change this process made; the timeout notices any other.
            lock.wait(until: Date().addingTimeInterval(0.5))
        }
        return true
    }

    /// Removes the container: its task (a running one only with `force`, killed
    /// first), its snapshot, its directory.
    public func remove(_ reference: String, force: Bool) throws(ContainerdError) {
        let container = try lookup(reference)
        if status(of: container).isRunning {
            guard force else {
                throw .conflict(
                    "You cannot remove a running container \(container.id). Stop the container before attempting removal or force remove")
            }
            try? kill(container.id, signal: "KILL")
            _ = waitUntil(container.id, deadline: .now + .seconds(10)) { $0?.exitCode != nil || $0 == nil }
        }
        lock.lock()
        defer { lock.unlock() }
        guard read(container.id) != nil else { return }
        releaseTask(of: container.id)
        unmountSnapshot(of: container.id)
        do {
            try discard(container.id)
        } catch {
            throw .failed("remove \(container.id): \(error)")
        }
        lock.broadcast()
    }

    /// Watches a running container from a thread of its own: blocks on the shim's
    /// `wait`, then records the exit and releases the task.
    func watch(_ id: String, socket: String) {
        Thread.detachNewThread { [self] in
            let answer = try? ShimClient.send(.wait, socket: socket, timeout: .seconds(Int64(Int32.max)))
            let exit = answer.flatMap { try? ExitRecord(jsonBytes: Array($0.utf8)) }
            lock.lock()
            defer { lock.unlock() }
            finish(id, exit: exit ?? runtimeRoot.exit(of: id))
        }
    }

    /// Records how the container ended, deletes its task (the shim runs the runtime's
    /// delete and exits), unmounts its snapshot; with auto-remove, removes it. Holds the lock.
    func finish(_ id: String, exit: ExitRecord?) {
        guard var container = read(id), container.exitCode == nil else { return }
        container.exitCode = exit?.exitStatus ?? 255
        container.finishedAt = exit?.exitedAt ?? UTCTimestamp.string(Date())
        lastExits[id] = container.exitCode
        try? write(container)
        // The init has exited, and with it every process of its PID namespace: the
        // snapshot is unmounted while the shim deletes the task, not after.
        let unmounted = DispatchSemaphore(value: 0)
        Thread.detachNewThread { [self] in
            unmountSnapshot(of: id)
            unmounted.signal()
        }
        releaseTask(of: id)
        unmounted.wait()
        if container.autoRemove { try? discard(id) }
        lock.broadcast()
    }

    /// Deletes an exited container's runtime state: through its shim when it is alive
    /// (which then exits, reaped here if this process started it), else by the runtime.
    func releaseTask(of id: String) {
        if let shim = runtimeRoot.shim(of: id), shim.isAlive, (try? ShimClient.send(.delete, socket: shim.socket)) != nil {
            if shimChildren.remove(shim.pid) != nil {
                var status: Int32 = 0
                while waitpid(shim.pid, &status, 0) == -1 && errno == EINTR {}
            } else if ProcessStart.of(shim.pid) == shim.pidStart {
                // Not this process's child (a shim found again after a restart): wait
                // until it has exited, so whoever removed the container finds nothing
                // of it running once the removal is answered.
                _ = LaunchedProcess.exits(shim.pid, within: .seconds(5))
            }
            return
        }
        if access(runtimeRoot.directory(of: id), F_OK) == 0 {
            _ = try? ShimSpawn.runtime(["delete", "--force", id], root: runtimeRoot)
        }
    }

    /// After a restart: every container that was started and has not been seen to
    /// exit is found again from its shim: still running (watched again) or exited
    /// meanwhile (its `exit.json` recorded). Lines saying what was found.
    @discardableResult
    public func rediscover() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        var found: [String] = []
        for container in unlockedList() where container.startedAt != nil && container.exitCode == nil {
            let shim = runtimeRoot.shim(of: container.id)
            if let shim, shim.isAlive, runtimeRoot.exit(of: container.id) == nil {
                found.append("\(container.shortID) \(container.name): running under shim \(shim.pid)")
                watch(container.id, socket: shim.socket)
            } else {
                let exit = runtimeRoot.exit(of: container.id)
                found.append("\(container.shortID) \(container.name): exited (\(exit.map { "\($0.exitStatus)" } ?? "shim gone"))")
                finish(container.id, exit: exit)
            }
        }
        return found
    }
}
