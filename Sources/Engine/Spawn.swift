#if os(Linux)
import CShim
import Glibc

/// What a spawned program's file descriptors become before it starts.
enum SpawnFileAction: Equatable {
    /// `open(path, flags)` as descriptor `fd` (`/dev/null` for standard output).
    case open(fd: Int32, path: String, flags: Int32)
    /// `dup2(source, target)`: a pipe end on a fixed descriptor number.
    case duplicate(Int32, to: Int32)
}

/// Starts programs with `posix_spawn(3)`.
///
/// A multithreaded Swift process must not run Swift in a `fork()`ed child; glibc's
/// `posix_spawn` clones with `CLONE_VM|CLONE_VFORK` and runs only its own C code in
/// the child until `execve`, so it is safe here.
enum Spawn {
    /// Starts `path` with `arguments` (`argv[0]` first) and this process's environment.
    ///
    /// The child starts with no blocked signals and every signal at its default action,
    /// so `SIGTERM` ends a `sleep` even when the caller's thread blocks or ignores it.
    /// - Returns: the child's PID.
    static func start(_ path: String, arguments: [String], fileActions: [SpawnFileAction] = [])
        throws(SyscallError) -> Int32
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for action in fileActions {
            let result: Int32
            switch action {
            case .open(let fd, let target, let flags):
                result = posix_spawn_file_actions_addopen(&actions, fd, target, flags, 0)
            case .duplicate(let source, let target):
                result = posix_spawn_file_actions_adddup2(&actions, source, target)
            }
            guard result == 0 else { throw SyscallError(call: "posix_spawn_file_actions", errno: result) }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        // posix_spawn returns the error number; it does not set errno.
        let result = posix_spawn(&pid, path, &actions, &attributes, &argv, environ)
        guard result == 0 else { throw SyscallError(call: "posix_spawn \(path)", errno: result) }
        return pid
    }

    /// `pipe2(O_CLOEXEC)`: (read end, write end).
    static func pipe() throws(SyscallError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        try retryingEINTR("pipe2") { ctutor_pipe_cloexec(&ends) }
        return (ends[0], ends[1])
    }
}
#endif
