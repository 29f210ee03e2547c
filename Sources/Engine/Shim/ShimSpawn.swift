import Foundation

#if os(Linux)
import CShim
import Glibc
#endif

/// Starting this binary again as another role: the shim's daemon half, and the
/// runtime commands the shim runs as children (as containerd-shim runs runc).
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
        var text = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(errors.read, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            text.append(contentsOf: buffer[0..<count])
        }
        close(errors.read)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let code = ctutor_wifsignaled(status) != 0 ? 128 + ctutor_wtermsig(status) : ctutor_wexitstatus(status)
        return (code, String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
