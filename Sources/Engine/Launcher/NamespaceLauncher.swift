import Foundation
import TutorCore

#if os(Linux)
import CShim
import Glibc
#endif

/// What the isolated process saw from inside, as it reported it over the sync socket.
public struct InsideView: Equatable, Sendable {
    /// `pid`, `ppid`, `uid`, `gid`, `hostname`, `domainname`, `release`.
    public var values: [String: String] = [:]
    /// Contents of the files the spec asked it to read, by path.
    public var files: [String: String] = [:]
    /// Targets of the links the spec asked it to read, by path.
    public var links: [String: String] = [:]
    /// The names in the directories the spec asked it to list, by path.
    public var directories: [String: [String]] = [:]
    /// `errno` of each file or link it could not read, by path.
    public var errors: [String: Int32] = [:]

    public var pid: Int32? { values["pid"].flatMap { Int32($0) } }
    public var uid: UInt32? { values["uid"].flatMap { UInt32($0) } }
    /// The queue it made (``LaunchSpec/messageQueueKey``), as its IPC namespace numbers it.
    public var messageQueueID: Int32? { values["msqid"].flatMap { Int32($0) } }

    /// A clock it read inside (`realtime`, `monotonic`, `boottime`), in seconds.
    public func clock(_ name: String) -> Double? { values[name].flatMap { Double($0) } }
    public var hostname: String? { values["hostname"] }
}

/// The one way the engine makes namespaces: a fresh copy of ctutor, run as the C
/// launcher before the Swift runtime starts (`ctutor_launcher.h`), sets up the
/// namespaces a ``LaunchSpec`` asks for and leaves one isolated process, a child
/// of ours, that either holds or runs a program.
public enum NamespaceLauncher {
    /// What the launcher runs as: `ctutor-launcher` beside this binary when it is
    /// there — a small program, much cheaper to start than the whole tutor — else this
    /// binary again (`/proc/self/exe`), whose constructor runs the same launcher code.
    /// `CTUTOR_LAUNCHER=self` forces the second way.
    public static let executable: String = {
        guard ProcessInfo.processInfo.environment["CTUTOR_LAUNCHER"] != "self" else { return "/proc/self/exe" }
        return OwnBinary.sibling("ctutor-launcher") ?? "/proc/self/exe"
    }()

    /// Launches the spec. On return the isolated process is set up, has reported,
    /// and is recorded in `record`; the caller must `finish()` (hold) or `wait()` (program).
    ///
    /// - Parameters:
    ///   - stdio: descriptors for the program's standard input, output and error (`-1`: `/dev/null`).
    /// - Throws: ``SyscallError`` for a call that failed here, ``ChildFailure`` for one
    ///   that failed in the launcher or the child, ``LaunchSpecError`` for a refused spec.
    ///   - beforeStart: called with the isolated process's host PID once its namespaces
    ///     exist and before it sets itself up (a container's network is plugged in here);
    ///     returns steps for the report. If it throws, the process is killed.
    public static func launch(
        _ spec: LaunchSpec, record: RunRecord?, stdio: (Int32, Int32, Int32) = (-1, -1, -1),
        timeout: Duration = .seconds(5), beforeStart: ((Int32) throws -> [Localized])? = nil
    ) throws -> LaunchedProcess {
        if let problem = spec.validate() { throw LaunchSpecError(problem: problem) }
        #if os(Linux)
        for (kind, pid) in spec.join where (try? ProcFS.namespace(kind, pid: pid)) == (try? ProcFS.namespace(kind)) {
            throw LaunchSpecError(problem: "process \(pid) is in the host's own \(kind.rawValue) namespace; joining it would act on the host")
        }
        return try Handshake(spec: spec, record: record, stdio: stdio, timeout: timeout, beforeStart: beforeStart).run()
        #else
        throw SyscallError(call: "clone", errno: ENOSYS)
        #endif
    }
}

/// A spec the engine will not run, because it would change the host.
public struct LaunchSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    public var problem: String
    public var description: String { "refused: \(problem)" }
}

#if os(Linux)
/// The parent's side of one launch, from spawn to the child's "ready".
private struct Handshake {
    let spec: LaunchSpec
    let record: RunRecord?
    let stdio: (Int32, Int32, Int32)
    let timeout: Duration
    let beforeStart: ((Int32) throws -> [Localized])?

    func run() throws -> LaunchedProcess {
        let host = HostState.capture(mountTargets: spec.mounts.map(\.target))
        var pair: [Int32] = [-1, -1]
        try retryingEINTR("socketpair") { socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0, &pair) }
        let channel = SyncChannel(fd: pair[0])
        var specPipe: [Int32] = [-1, -1]
        do {
            try retryingEINTR("pipe2") { ctutor_pipe_cloexec(&specPipe) }
        } catch {
            close(pair[1])
            throw error
        }
        var launcherPID: pid_t = 0
        let spawned = ctutor_launcher_spawn(
            NamespaceLauncher.executable, specPipe[0], pair[1], stdio.0, stdio.1, stdio.2, &launcherPID)
        close(specPipe[0])
        close(pair[1])
        guard spawned == 0 else {
            close(specPipe[1])
            throw SyscallError(call: "posix_spawn \(NamespaceLauncher.executable)", errno: spawned)
        }
        // The launcher is not recorded: it lives for a millisecond and dies with us
        // (PR_SET_PDEATHSIG). The isolated process it leaves is. It is reaped when
        // that process is (tearing down its address space takes a while; no need to wait now).

        let written = writeSpec(to: specPipe[1])
        close(specPipe[1])
        let shown = NamespaceLauncher.executable.hasPrefix("/proc/") ? NamespaceLauncher.executable : "ctutor-launcher"
        var steps = [
            Localized(
                ko: "posix_spawn(\(shown)): 런처 PID \(launcherPID) — C로만 도는 스레드 하나짜리 프로세스",
                en: "posix_spawn(\(shown)): launcher PID \(launcherPID) — a single-threaded process running only C")
        ]
        let deadline = ContinuousClock.now + timeout
        var childPID: Int32?
        var inside = InsideView()
        do {
            try written.get()
            loop: while true {
                guard let message = try channel.receive(until: deadline) else {
                    throw ChildFailure.vanished
                }
                switch ctutor_sync_tag(rawValue: message.tag) {
                case CTUTOR_SYNC_USERNS:
                    steps.append(try writeMaps(for: launcherPID))
                    try channel.send(CTUTOR_SYNC_MAPPED)
                case CTUTOR_SYNC_PID:
                    guard message.bytes.count == 4 else { throw ChildFailure.malformedReport("PID record") }
                    let pid = message.bytes.withUnsafeBytes { $0.load(as: Int32.self) }
                    childPID = pid
                    record?.addProcess(pid)
                    steps += unshareSteps(child: pid)
                    if let beforeStart { steps += try beforeStart(pid) }
                    try channel.send(CTUTOR_SYNC_GO)
                case CTUTOR_SYNC_VALUE:
                    inside.take(message.bytes)
                case CTUTOR_SYNC_READY:
                    guard spec.program != nil else { break loop }
                    // The socket is close-on-exec: end of file means execve worked;
                    // a record means it failed, and says why.
                    guard let after = try channel.receive(until: deadline) else { break loop }
                    guard after.tag == CTUTOR_SYNC_ERROR.rawValue else {
                        throw ChildFailure.malformedReport("record tag \(after.tag) after ready")
                    }
                    throw ChildFailure.syscall(namedError(after.bytes))
                case CTUTOR_SYNC_ERROR:
                    throw ChildFailure.syscall(namedError(message.bytes))
                default:
                    throw ChildFailure.malformedReport("record tag \(message.tag)")
                }
            }
        } catch {
            if let childPID { LaunchedProcess.kill(childPID, record: record) }
            reap(launcherPID)
            if error is LauncherTimeout { throw ChildFailure.silent(seconds: Int(timeout.components.seconds)) }
            throw error
        }
        guard let childPID else {
            reap(launcherPID)
            throw ChildFailure.vanished
        }
        steps += setupSteps(inside: inside)
        return LaunchedProcess(
            pid: childPID, launcherPID: launcherPID, inside: inside, steps: steps, channel: channel, record: record, host: host)
    }

    /// The spec as records; the pipe holds it all (a spec is a few hundred bytes),
    /// or the launcher reads while we write.
    private func writeSpec(to fd: Int32) -> Result<Void, SyscallError> {
        var bytes: [UInt8] = []
        func add(_ tag: ctutor_spec_tag, _ payload: [UInt8]) {
            withUnsafeBytes(of: tag.rawValue) { bytes += $0 }
            withUnsafeBytes(of: UInt32(payload.count)) { bytes += $0 }
            bytes += payload
        }
        func string(_ text: String) -> [UInt8] { Array(text.utf8) + [0] }
        let mask = spec.namespaces.reduce(UInt32(0)) { $0 | $1.cloneFlag }
        add(CTUTOR_SPEC_NAMESPACES, withUnsafeBytes(of: mask) { Array($0) })
        add(CTUTOR_SPEC_PARENT_PID, withUnsafeBytes(of: getpid()) { Array($0) })
        add(CTUTOR_SPEC_NAME, string(spec.name))
        for path in spec.joinPaths { add(CTUTOR_SPEC_JOIN, string(path)) }
        if let hostname = spec.hostname { add(CTUTOR_SPEC_HOSTNAME, Array(hostname.utf8)) }
        if let domainname = spec.domainname { add(CTUTOR_SPEC_DOMAINNAME, Array(domainname.utf8)) }
        if spec.privateMounts { add(CTUTOR_SPEC_PRIVATE, []) }
        for mount in spec.mounts {
            add(
                CTUTOR_SPEC_MOUNT,
                withUnsafeBytes(of: mount.flags) { Array($0) } + string(mount.type) + string(mount.source)
                    + string(mount.target) + string(mount.data))
        }
        if let offsets = spec.clockOffsets {
            add(
                CTUTOR_SPEC_TIME,
                withUnsafeBytes(of: offsets.monotonic) { Array($0) } + withUnsafeBytes(of: offsets.boottime) { Array($0) })
        }
        if spec.loopbackUp { add(CTUTOR_SPEC_LOOPBACK_UP, []) }
        for path in spec.readLinks { add(CTUTOR_SPEC_READ_LINK, string(path)) }
        for path in spec.readFiles { add(CTUTOR_SPEC_READ_FILE, string(path)) }
        for path in spec.readDirectories { add(CTUTOR_SPEC_READ_DIR, string(path)) }
        if let key = spec.messageQueueKey { add(CTUTOR_SPEC_MSG_QUEUE, withUnsafeBytes(of: key) { Array($0) }) }
        for path in spec.cgroupProcsFiles { add(CTUTOR_SPEC_CGROUP_PROCS, string(path)) }
        if let container = spec.container {
            add(CTUTOR_SPEC_ROOTFS, string(container.rootfs))
            for mount in container.mounts {
                add(
                    CTUTOR_SPEC_ROOTFS_MOUNT,
                    withUnsafeBytes(of: mount.flags) { Array($0) } + string(mount.type) + string(mount.source)
                        + string(mount.target) + string(mount.data))
            }
            for link in container.symlinks { add(CTUTOR_SPEC_SYMLINK, string(link.target) + string(link.path)) }
            for path in container.maskedPaths { add(CTUTOR_SPEC_MASK, string(path)) }
            for path in container.readonlyPaths { add(CTUTOR_SPEC_READONLY, string(path)) }
            if container.readonlyRoot { add(CTUTOR_SPEC_READONLY_ROOT, []) }
            if let caps = container.capabilities { add(CTUTOR_SPEC_CAPS, withUnsafeBytes(of: caps) { Array($0) }) }
            if container.noNewPrivileges { add(CTUTOR_SPEC_NO_NEW_PRIVS, []) }
            if let user = container.user {
                let ids = [user.uid, user.gid] + user.additionalGids
                add(CTUTOR_SPEC_USER, ids.flatMap { id in withUnsafeBytes(of: id) { Array($0) } })
            }
            for limit in container.rlimits {
                add(
                    CTUTOR_SPEC_RLIMIT,
                    withUnsafeBytes(of: UInt32(limit.resource)) { Array($0) } + withUnsafeBytes(of: limit.soft) { Array($0) }
                        + withUnsafeBytes(of: limit.hard) { Array($0) })
            }
            if container.terminal { add(CTUTOR_SPEC_TERMINAL, []) }
        }
        if let program = spec.program {
            for argument in [program.path] + program.arguments.dropFirst() { add(CTUTOR_SPEC_EXEC_ARG, string(argument)) }
            for variable in program.environment { add(CTUTOR_SPEC_EXEC_ENV, string(variable)) }
            if let directory = program.workingDirectory { add(CTUTOR_SPEC_EXEC_CWD, string(directory)) }
        }
        if spec.detached { add(CTUTOR_SPEC_DETACH, []) }
        if let fifo = spec.execFifo { add(CTUTOR_SPEC_EXEC_FIFO, string(fifo)) }
        var rest = bytes[...]
        while !rest.isEmpty {
            let count = rest.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                // EPIPE: the launcher died; its reason (if any) comes over the sync socket.
                return errno == EPIPE ? .success(()) : .failure(SyscallError(call: "write spec", errno: errno))
            }
            rest = rest.dropFirst(count)
        }
        return .success(())
    }

    /// Maps root inside the new user namespace to the caller outside, as
    /// `unshare --map-root-user` does (or the spec's own maps).
    private func writeMaps(for pid: Int32) throws(SyscallError) -> Localized {
        let uidMap = spec.uidMap.isEmpty ? [LaunchSpec.IDMapping(inside: 0, outside: geteuid())] : spec.uidMap
        let gidMap = spec.gidMap.isEmpty ? [LaunchSpec.IDMapping(inside: 0, outside: getegid())] : spec.gidMap
        let uidText = uidMap.map(\.line).joined()
        let gidText = gidMap.map(\.line).joined()
        // An unprivileged writer must give up setgroups before it may write gid_map.
        try ProcFS.writeFile("deny", to: "/proc/\(pid)/setgroups")
        try ProcFS.writeFile(uidText, to: "/proc/\(pid)/uid_map")
        try ProcFS.writeFile(gidText, to: "/proc/\(pid)/gid_map")
        let rootOutside = uidMap.first { $0.inside == 0 }.map { "\($0.outside)" } ?? "?"
        let uids = uidText.trimmingCharacters(in: .newlines)
        let gids = gidText.trimmingCharacters(in: .newlines)
        return Localized(
            ko: "런처: unshare(CLONE_NEWUSER). 부모가 /proc/\(pid)/setgroups에 \"deny\", uid_map에 \"\(uids)\", "
                + "gid_map에 \"\(gids)\" 기록, 런처는 setresuid(0, 0, 0): 안쪽의 root(UID 0)는 바깥의 UID \(rootOutside)",
            en: "launcher: unshare(CLONE_NEWUSER). The parent writes \"deny\" to /proc/\(pid)/setgroups, "
                + "\"\(uids)\" to uid_map, \"\(gids)\" to gid_map; the launcher calls setresuid(0, 0, 0): "
                + "root (UID 0) inside is UID \(rootOutside) outside")
    }

    private func unshareSteps(child: Int32) -> [Localized] {
        var steps: [Localized] = []
        for path in spec.joinPaths {
            steps.append(Localized(ko: "런처: setns(\(path))로 들어감", en: "launcher: setns(\(path)) to enter it"))
        }
        let rest = spec.namespaces.subtracting([.user])
        if !rest.isEmpty {
            let flags = NamespaceKind.flagNames(rest)
            steps.append(Localized(ko: "런처: unshare(\(flags))", en: "launcher: unshare(\(flags))"))
        }
        if let offsets = spec.clockOffsets {
            steps.append(
                Localized(
                    ko: "런처: /proc/self/timens_offsets에 \"monotonic \(offsets.monotonic) 0\", \"boottime \(offsets.boottime) 0\" 기록",
                    en: "launcher: write \"monotonic \(offsets.monotonic) 0\" and \"boottime \(offsets.boottime) 0\" to /proc/self/timens_offsets"))
        }
        steps.append(
            Localized(
                ko: "런처: clone(CLONE_PARENT) → 호스트 PID \(child) (ctutor의 자식). 런처는 종료",
                en: "launcher: clone(CLONE_PARENT) → host PID \(child), a child of ctutor; the launcher exits"))
        return steps
    }

    private func setupSteps(inside: InsideView) -> [Localized] {
        var steps: [Localized] = []
        if let hostname = spec.hostname {
            steps.append(Localized(ko: "자식: sethostname(\"\(hostname)\")", en: "child: sethostname(\"\(hostname)\")"))
        }
        if let domainname = spec.domainname {
            steps.append(Localized(ko: "자식: setdomainname(\"\(domainname)\")", en: "child: setdomainname(\"\(domainname)\")"))
        }
        if spec.privateMounts {
            steps.append(
                Localized(
                    ko: "자식: mount(\"/\", MS_REC|MS_PRIVATE) — 안에서 한 마운트가 호스트로 퍼지지 않음",
                    en: "child: mount(\"/\", MS_REC|MS_PRIVATE) — no mount made inside propagates to the host"))
        }
        for mount in spec.mounts {
            steps.append(
                Localized(ko: "자식: mount(\"\(mount.source)\", \"\(mount.target)\", \"\(mount.type)\")", en: "child: mount(\"\(mount.source)\", \"\(mount.target)\", \"\(mount.type)\")"))
        }
        if spec.loopbackUp {
            steps.append(Localized(ko: "자식: ioctl(SIOCSIFFLAGS, lo, IFF_UP)", en: "child: ioctl(SIOCSIFFLAGS, lo, IFF_UP)"))
        }
        if let container = spec.container { steps += containerSteps(container) }
        if let key = spec.messageQueueKey, let id = inside.messageQueueID {
            let call = "msgget(\(MessageQueue.hex(key)), IPC_CREAT|IPC_EXCL|0600) → msqid \(id)"
            steps.append(Localized(ko: "자식: \(call)", en: "child: \(call)"))
        }
        if let pid = inside.pid {
            steps.append(
                Localized(
                    ko: "자식이 안에서 본 것을 보고: getpid() = \(pid), getuid() = \(inside.uid.map(String.init) ?? "?")",
                    en: "the child reports what it sees inside: getpid() = \(pid), getuid() = \(inside.uid.map(String.init) ?? "?")"))
        }
        if let program = spec.program {
            steps.append(Localized(ko: "자식: execve(\"\(program.path)\")", en: "child: execve(\"\(program.path)\")"))
        }
        return steps
    }

    /// What stage 2 did for a container, after its mounts (`ctutor_container.h`).
    private func containerSteps(_ container: ContainerSetup) -> [Localized] {
        var steps: [Localized] = []
        let targets = container.mounts.map(\.target).joined(separator: " ")
        steps.append(
            Localized(
                ko: "자식: 새 루트 안에 마운트 \(container.mounts.count)개(openat2 RESOLVE_IN_ROOT로 경로 확인): \(targets)",
                en: "child: \(container.mounts.count) mounts inside the new root (paths resolved with openat2 RESOLVE_IN_ROOT): \(targets)"))
        steps.append(
            Localized(
                ko: "자식: pivot_root(\".\", \".\") 뒤 umount2(\".\", MNT_DETACH) — 옛 루트(호스트의 /)를 떼어 냄",
                en: "child: pivot_root(\".\", \".\"), then umount2(\".\", MNT_DETACH) — the old root (the host's /) detached"))
        if !container.maskedPaths.isEmpty || !container.readonlyPaths.isEmpty {
            steps.append(
                Localized(
                    ko: "자식: 경로 \(container.maskedPaths.count)개를 가림(/dev/null 또는 빈 tmpfs), \(container.readonlyPaths.count)개를 읽기 전용으로",
                    en: "child: \(container.maskedPaths.count) paths masked (/dev/null or an empty tmpfs), \(container.readonlyPaths.count) made read-only"))
        }
        if let caps = container.capabilities {
            steps.append(
                Localized(
                    ko: "자식: capability \(caps.nonzeroBitCount)개만 남김 (PR_CAPBSET_DROP, capset)",
                    en: "child: keeps \(caps.nonzeroBitCount) capabilities (PR_CAPBSET_DROP, capset)"))
        }
        if container.noNewPrivileges {
            steps.append(Localized(ko: "자식: prctl(PR_SET_NO_NEW_PRIVS, 1)", en: "child: prctl(PR_SET_NO_NEW_PRIVS, 1)"))
        }
        if container.terminal {
            steps.append(Localized(ko: "자식: setsid(), ioctl(0, TIOCSCTTY)", en: "child: setsid(), ioctl(0, TIOCSCTTY)"))
        }
        return steps
    }

    /// A failure the launcher or child reported; `unshare(0x…)` gets its flags' names.
    private func namedError(_ bytes: [UInt8]) -> SyscallError {
        guard bytes.count >= 4 else { return SyscallError(call: "launcher", errno: EPROTO) }
        let code = bytes.withUnsafeBytes { $0.load(as: Int32.self) }
        var call = String(decoding: bytes.dropFirst(4), as: UTF8.self)
        if call.hasPrefix("unshare(0x") {
            call = "unshare(\(NamespaceKind.flagNames(spec.namespaces.subtracting([.user]))))"
        }
        return SyscallError(call: call, errno: code)
    }

    /// The launcher exits right after it reports stage 2 (or fails); reap it.
    func reap(_ pid: Int32) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }
}

extension InsideView {
    /// Takes one `key\0value` record.
    mutating func take(_ bytes: [UInt8]) {
        guard let zero = bytes.firstIndex(of: 0) else { return }
        let key = String(decoding: bytes[..<zero], as: UTF8.self)
        let value = String(decoding: bytes[(zero + 1)...], as: UTF8.self)
        if key.hasPrefix("file:") {
            files[String(key.dropFirst(5))] = value
        } else if key.hasPrefix("link:") {
            links[String(key.dropFirst(5))] = value
        } else if key.hasPrefix("dir:") {
            directories[String(key.dropFirst(4))] = value.split(separator: "\n").map(String.init)
        } else if key.hasPrefix("error:") {
            errors[String(key.dropFirst(6))] = Int32(value) ?? 0
        } else {
            values[key] = value
        }
    }
}
#endif
