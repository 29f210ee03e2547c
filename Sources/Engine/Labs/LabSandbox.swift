import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// The isolated place where a learner does a lab: a busybox shell (PID 1 of its own
/// PID namespace) in new user, UTS, PID, mount, IPC, network and cgroup namespaces,
/// on an overlay of the base image with an upper directory of its own.
///
/// Always in a new user namespace, even for root: root inside holds every capability
/// over the namespaces it owns (so `unshare`, `mount`, `ip link add` work, as the labs
/// need), and none over the host. Unlike a Docker container it keeps those
/// capabilities and leaves `/proc` unmasked, since the labs make nested namespaces
/// and mount `proc` again. Its directory (`<state>/labs/<session>`) holds the
/// overlay's upper and work directories and the hook the shell talks to the tutor
/// through; the run's ``RunRecord`` names the directory and the shell, and
/// ``release()`` removes both.
public final class LabSandbox: @unchecked Sendable {
    /// The shell's host PID: the sandbox's PID 1.
    public var shellPID: Int32 { process.pid }
    /// Unique to this session, so learners on one server never share anything.
    public let session: String
    public let hostname: String
    /// `<state>/labs/<session>`.
    public let directory: String
    /// The hook: FIFOs the shell writes requests to and reads answers from (``LabConsole``).
    public var askPath: String { directory + "/hook/ask" }
    public var answerPath: String { directory + "/hook/say" }

    let process: LaunchedProcess
    let runRecord: RunRecord
    private var released: [CleanupItem]?

    private init(process: LaunchedProcess, session: String, hostname: String, directory: String, runRecord: RunRecord) {
        self.process = process
        self.session = session
        self.hostname = hostname
        self.directory = directory
        self.runRecord = runRecord
    }

    /// Where the shell finds the hook, its profile and the learner's home.
    static let hookMount = "/lab"

    /// Makes the sandbox and starts its shell on `terminal` (a pty replica), which
    /// also becomes its `/dev/console`.
    public static func start(terminal: Int32, images: ImageStore = .forCurrentUser()) throws -> LabSandbox {
        guard let state = StateDirectory.current else {
            throw ContainerError.failed("no private state directory for the lab's files (XDG_RUNTIME_DIR or /tmp/ctutor-\(getuid()))")
        }
        let image = try images.ensureBase()
        let session = "lab-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        let labs = state + "/labs"
        guard StateDirectory.ensurePrivateDirectory(labs) else { throw SyscallError(call: "mkdir \(labs)", errno: errno) }
        let directory = labs + "/" + session
        let hostname = "sandbox"
        let runRecord = RunRecord.begin(demo: "lab")
        // Recorded before it exists: a tutor killed from here on leaves nothing a sweep cannot find.
        runRecord.add(.directory(path: directory))
        do {
            let paths = try makeDirectories(directory)
            try LabShellProfile.write(to: paths.hook)
            var config = OCISpec.docker(
                args: ["/bin/sh"], env: LabShellProfile.environment(hostname: hostname, term: ProcessInfo.processInfo.environment["TERM"]), cwd: "/root", hostname: hostname,
                rootless: true, terminal: true, rootPath: paths.rootfs)
            config.process.capabilities = nil
            config.linux.maskedPaths = []
            config.linux.readonlyPaths = []
            config.mounts += [
                OCISpec.Mount(destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1777", "size=65536k"]),
                OCISpec.Mount(destination: hookMount, type: "bind", source: paths.hook, options: ["bind", "ro"]),
            ]
            if let console = try? ProcFS.readLink("/proc/self/fd/\(terminal)") {
                config.mounts.append(OCISpec.Mount(destination: "/dev/console", type: "bind", source: console, options: ["bind"]))
            }
            let overlay = LaunchSpec.Mount(
                type: "overlay", source: "overlay", target: paths.rootfs,
                data: "lowerdir=\(image.lowerDirectories.joined(separator: ":")),upperdir=\(paths.upper),workdir=\(paths.work),userxattr")
            var spec = try config.launchSpec(rootfs: paths.rootfs, rootfsMount: overlay)
            spec.name = "ctutor-lab"
            let process = try NamespaceLauncher.launch(spec, record: runRecord, stdio: (terminal, terminal, terminal))
            return LabSandbox(process: process, session: session, hostname: hostname, directory: directory, runRecord: runRecord)
        } catch {
            try? ContainerStore.removeTree(directory)
            if !FileManager.default.fileExists(atPath: directory) { runRecord.remove(.directory(path: directory)) }
            if runRecord.resources.isEmpty { runRecord.finish() }
            throw error
        }
    }

    /// `rootfs`, `upper` (with the mount points the image lacks), `work` and `hook`.
    private static func makeDirectories(_ directory: String) throws -> (rootfs: String, upper: String, work: String, hook: String) {
        let paths = (rootfs: directory + "/rootfs", upper: directory + "/upper", work: directory + "/work", hook: directory + "/hook")
        for path in [directory, paths.rootfs, paths.upper, paths.work, paths.hook, paths.upper + hookMount, paths.upper + "/mnt"] where mkdir(path, 0o700) != 0 {
            throw SyscallError(call: "mkdir \(path)", errno: errno)
        }
        for fifo in ["ask", "say"] where mkfifo(paths.hook + "/" + fifo, 0o600) != 0 {
            throw SyscallError(call: "mkfifo \(paths.hook)/\(fifo)", errno: errno)
        }
        return paths
    }

    /// Whether the shell has exited (it may not be reaped yet).
    public func hasExited(within grace: Duration = .zero) -> Bool {
        LaunchedProcess.exits(shellPID, within: grace)
    }

    /// Kills the shell — and with it, as PID 1, every process of the sandbox —
    /// reaps it and removes the sandbox's directory. Idempotent.
    @discardableResult
    public func release() -> [CleanupItem] {
        if let released { return released }
        if !hasExited() { kill(shellPID, SIGKILL) }
        var items = [process.wait(timeout: .seconds(2)).cleanup]
        let removed = (try? ContainerStore.removeTree(directory)) != nil || !FileManager.default.fileExists(atPath: directory)
        if removed { runRecord.remove(.directory(path: directory)) }
        items.append(CleanupItem(Localized(ko: "실습 디렉터리 \(directory)", en: "the lab's directory \(directory)"), released: removed))
        if items.allSatisfy(\.released) { runRecord.finish() }
        released = items
        return items
    }

    deinit {
        release()
    }
}
