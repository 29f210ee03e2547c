import Foundation
import TutorCore

#if os(Linux)
import CShim
import Glibc
#endif

/// The OCI runtime (`ctutor runtime`, runc's role) on top of the engine's one runtime:
/// a bundle's `config.json` becomes the same ``LaunchSpec`` `ctutor run` launches,
/// with two differences runc has too: the container outlives the `create` that made it,
/// and its init waits before `execve` until `start` opens its exec FIFO.
public enum OCIRuntime {
    /// Sets up the container and leaves its init blocked before `execve`; returns
    /// (and `create` exits) while the init waits for ``start(id:root:)``. As root the
    /// container always gets a cgroup (`…/ctutor/<id>`), which `delete` empties and
    /// removes; without root only when `config.json` asks for limits.
    ///
    /// - Parameters:
    ///   - stdio: the init's standard input, output and error.
    ///   - outlivesCaller: `false` gives the init a parent-death signal: it is killed if
    ///     this process dies (`run` in the foreground, so a killed `run` leaves no container running).
    public static func create(
        id: String, bundle path: String, root: RuntimeRoot, pidFile: String? = nil, stdio: (Int32, Int32, Int32) = (0, 1, 2),
        outlivesCaller: Bool = true
    ) throws(RuntimeError) -> RuntimeState {
        guard RuntimeRoot.isValidID(id) else { throw .invalid("\"\(id)\" is not a container id: 1 to 64 of A-Z a-z 0-9 _ . -") }
        // As root the container always gets a cgroup: start the grace period its
        // migration will wait for now, while the bundle is read.
        CgroupGracePeriod.startEarly()
        let bundle = try RuntimeBundle.load(path)
        var launch: LaunchSpec
        do {
            launch = try bundle.config.launchSpec(rootfs: bundle.rootfs)
        } catch {
            throw .invalid(error.description)
        }
        try root.ensureExists()
        let directory = root.directory(of: id)
        guard mkdir(directory, 0o711) == 0 else {
            if errno == EEXIST { throw .exists(id: id) }
            throw .failed(SyscallError(call: "mkdir \(directory)", errno: errno).description)
        }
        // Until state.json names them, what this create made is a run's, for a sweep.
        let runRecord = RunRecord.begin(demo: "runtime")
        runRecord.add(.directory(path: directory))
        var cgroup: ContainerCgroup?
        var launchedPID: Int32?
        do {
            let fifo = root.execFifo(of: id)
            guard mkfifo(fifo, 0o600) == 0 else {
                throw RuntimeError.failed(SyscallError(call: "mkfifo \(fifo)", errno: errno).description)
            }
            // Writable by the init after it has become the config's user.
            guard chmod(fifo, 0o622) == 0 else { throw RuntimeError.failed(SyscallError(call: "chmod \(fifo)", errno: errno).description) }
            launch.detached = outlivesCaller
            launch.execFifo = fifo
            if geteuid() == 0 || !bundle.limits.isEmpty {
                cgroup = try makeCgroup(id: id, limits: bundle.limits, runRecord: runRecord)
                launch.cgroupProcsFiles = cgroup?.procsFiles ?? []
            }
            let pid = try launchInit(launch, runRecord: runRecord, stdio: stdio)
            launchedPID = pid
            let state = RuntimeState(
                id: id, bundle: bundle.path, rootfs: bundle.rootfs, pid: pid, pidStart: ProcessStart.of(pid) ?? 0,
                created: UTCTimestamp.string(Date()), cgroupPaths: cgroup?.directories ?? [],
                annotations: bundle.config.annotations, owner: geteuid())
            try root.write(state, to: root.stateFile(of: id))
            if let pidFile {
                do {
                    try StateDirectory.writeAtomically(Data("\(pid)".utf8), to: URL(fileURLWithPath: pidFile))
                } catch {
                    throw RuntimeError.failed(error.description)
                }
            }
            runRecord.finish()
            return state
        } catch {
            if let launchedPID { _ = LeftoverSweep.kill(pid: launchedPID, start: ProcessStart.of(launchedPID) ?? 0) }
            if let cgroup, (try? cgroup.remove()) != nil { runRecord.remove(.cgroup(paths: cgroup.directories)) }
            if (try? ContainerStore.removeTree(directory)) != nil { runRecord.remove(.directory(path: directory)) }
            if runRecord.resources.isEmpty { runRecord.finish() }
            throw error as? RuntimeError ?? .failed("\(error)")
        }
    }

    /// Lets the created container's init exec its program: opens the exec FIFO for
    /// reading (which unblocks the init's open for writing), reads its "0", and returns
    /// at the FIFO's end of file, when the init has exec'd (the FIFO is close-on-exec).
    public static func start(id: String, root: RuntimeRoot, timeout: Duration = .seconds(10)) throws(RuntimeError) {
        let state = try root.load(id)
        let fifo = root.execFifo(of: id)
        let status = state.status(fifo: fifo)
        guard status == .created else { throw .wrongState(id: id, status: status, wanted: "created") }
        // Non-blocking: a blocking open would wait forever for an init that died.
        let fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw .failed(SyscallError(call: "open \(fifo)", errno: errno).description) }
        defer { close(fd) }
        let pidfd = ctutor_pidfd_open(state.pid)
        guard pidfd >= 0 else { throw .failed(SyscallError(call: "pidfd_open \(state.pid)", errno: errno).description) }
        defer { close(pidfd) }
        let bytes = try readUntilExec(fifo: fd, pidfd: pidfd, deadline: .now + timeout)
        unlink(fifo)
        guard bytes.first == UInt8(ascii: "0") else {
            throw .failed("container \"\(id)\": its init exited before it could start")
        }
        if bytes.count >= 5 {
            let code = bytes.dropFirst().withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
            let call = String(decoding: bytes.dropFirst(5), as: UTF8.self)
            throw .failed("container \"\(id)\": \(SyscallError(call: call, errno: code))")
        }
    }

    /// `create`, `start`, and unless `detach`, wait for the init (this process's child)
    /// and delete the container; the init's exit status as a shell shows it.
    public static func run(
        id: String, bundle: String, root: RuntimeRoot, detach: Bool, pidFile: String? = nil
    ) throws(RuntimeError) -> Int32 {
        let state = try create(id: id, bundle: bundle, root: root, pidFile: pidFile, outlivesCaller: detach)
        do {
            try start(id: id, root: root)
        } catch {
            try? delete(id: id, root: root, force: true)
            throw error
        }
        guard !detach else { return 0 }
        var status: Int32 = 0
        while waitpid(state.pid, &status, 0) == -1 && errno == EINTR {}
        try delete(id: id, root: root, force: true)
        return ctutor_exit_code(status)
    }

    private static func makeCgroup(id: String, limits: ResourceLimits, runRecord: RunRecord) throws(RuntimeError) -> ContainerCgroup {
        var planned: [String] = []
        do {
            return try ContainerCgroup.create(name: id, limits: limits) { directories in
                planned = directories
                runRecord.add(.cgroup(paths: directories))
            }
        } catch {
            runRecord.remove(.cgroup(paths: planned))  // create took back what it made
            if case .refused(let reason, let remedy) = error { throw .refused(reason: reason.en, remedy: remedy.en) }
            throw .failed("cgroup: \(error.description)")
        }
    }

    /// The launch, its init handed over: not killed when this process ends.
    private static func launchInit(_ spec: LaunchSpec, runRecord: RunRecord, stdio: (Int32, Int32, Int32)) throws(RuntimeError) -> Int32 {
        do {
            return try NamespaceLauncher.launch(spec, record: runRecord, stdio: stdio).handOver()
        } catch let error as ChildFailure {
            switch error {
            case .syscall(let failure): throw .failed(failure.description)
            case .vanished: throw .failed("the container's init died while it was set up")
            case .silent(let seconds): throw .failed("the container's init did not answer within \(seconds) s")
            case .malformedReport(let what): throw .failed("the launcher sent \(what)")
            }
        } catch {
            throw .failed("\(error)")
        }
    }

    /// The FIFO's bytes up to its end of file; the init dying first ends it too.
    private static func readUntilExec(fifo: Int32, pidfd: Int32, deadline: ContinuousClock.Instant) throws(RuntimeError) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { throw .failed("the container's init did not exec within the time allowed") }
            var fds = [pollfd(fd: fifo, events: Int16(POLLIN), revents: 0), pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, Int32((left / .milliseconds(1)).rounded(.up)))
            if ready < 0 && errno == EINTR { continue }
            if fds[0].revents != 0 {
                let count = read(fifo, &buffer, buffer.count)
                if count > 0 {
                    bytes += buffer[0..<count]
                    continue
                }
                // End of file once the writer has been there; before, no writer yet.
                if count == 0 && !bytes.isEmpty { return bytes }
                if count < 0 && errno != EAGAIN && errno != EINTR {
                    throw .failed(SyscallError(call: "read exec fifo", errno: errno).description)
                }
            }
            if fds[1].revents != 0 {
                // The init is gone: what it wrote before it died is all there is.
                while case let count = read(fifo, &buffer, buffer.count), count > 0 { bytes += buffer[0..<count] }
                return bytes
            }
        }
    }
}
