import Foundation

#if os(Linux)
import CShim
import Glibc
#endif

/// Starting this binary again as another role: the shim's serving half (from the
/// daemon), and a runtime command run by a process that cannot fork one (``RuntimeStep``:
/// the shim's own steps).
enum ShimSpawn {
    /// This binary (`/proc/self/exe` resolved when the process started).
    static var binary: String { OwnBinary.path ?? "/proc/self/exe" }

    /// Starts `binary arguments…` (`ctutor_role_spawn.h`): `stdio` as descriptors 0–2
    /// (`-1`: `/dev/null`), `passed` as 3; with `newSession`, in a session of its own.
    static func start(
        _ arguments: [String], stdio: (Int32, Int32, Int32), passed: Int32? = nil, newSession: Bool = false
    ) throws(SyscallError) -> pid_t {
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let envp = environment.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = ctutor_role_spawn(binary, argv, envp, stdio.0, stdio.1, stdio.2, passed ?? -1, newSession ? 1 : 0, &pid)
        guard result == 0 else { throw SyscallError(call: "posix_spawn \(binary)", errno: result) }
        return pid
    }

    /// Runs `ctutor runtime --root ROOT --log /dev/fd/3 arguments…` to its end, its
    /// standard output and error `stdio` (the container's, for `create`) or `/dev/null`;
    /// its exit status, and the errors it logged (to a pipe on descriptor 3).
    static func runtime(_ arguments: [String], root: RuntimeRoot, stdio: (Int32, Int32)? = nil) throws(SyscallError) -> (
        status: Int32, errors: String
    ) {
        let errors = try Spawn.pipe()
        let pid: pid_t
        do {
            pid = try start(
                ["runtime", "--root", root.path, "--log", "/dev/fd/3"] + arguments, stdio: (-1, stdio?.0 ?? -1, stdio?.1 ?? -1),
                passed: errors.write)
        } catch {
            close(errors.read)
            close(errors.write)
            throw error
        }
        close(errors.write)
        let text = PipeReading.text(until: errors.read)
        close(errors.read)
        return (exitStatus(of: pid), text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Waits for the child `pid`: its exit status as a shell shows it (128+N when killed by signal N).
    static func exitStatus(of pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return ctutor_exit_code(status)
    }
}
