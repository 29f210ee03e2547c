import Foundation

#if os(Linux)
import CShim
import Glibc
#endif

/// One runtime command the shim runs as its child, as containerd-shim runs runc once
/// per step: the child runs the code `ctutor runtime create|start|kill|delete` runs
/// and exits; a created container's init is left behind, reparented to the shim (a
/// subreaper).
///
/// The child is forked from the shim, not a new `ctutor runtime` exec'd: the shim is
/// single-threaded, so a fork is safe, and it saves starting the 90 MB binary again —
/// about 8 ms of CPU per step (loading, relocations, the Swift runtime's first
/// lookups), three steps per container (measured with `perf record -a` on
/// `docker run --rm busybox true`, where it was a third of all the CPU the run took).
enum RuntimeStep {
    /// `create --bundle DIR ID`, the container's standard output and error the pipes given.
    case create(bundle: String, stdout: Int32, stderr: Int32)
    /// `start ID`.
    case start
    /// `kill ID SIGNAL`.
    case kill(Int32)
    /// `delete [--force] ID`.
    case delete(force: Bool)

    /// The words `ctutor runtime` would be given for this step.
    func words(id: String) -> String {
        switch self {
        case .create(let bundle, _, _): "create --bundle \(bundle) \(id)"
        case .start: "start \(id)"
        case .kill(let signal): "kill \(id) \(signal)"
        case .delete(let force): "delete\(force ? " --force" : "") \(id)"
        }
    }

    /// Runs the step in a child of this process and waits for it: its exit status (0
    /// done, 1 refused or failed) and what it said went wrong, as the runtime's
    /// `--log` would hold it.
    func run(id: String, root: RuntimeRoot) -> (status: Int32, errors: String) {
        let errors: (read: Int32, write: Int32)
        do {
            errors = try Spawn.pipe()
        } catch {
            return (1, "ctutor runtime \(words(id: id)): \(error)")
        }
        let pid = ctutor_fork_step()
        if pid == 0 {
            close(errors.read)
            Glibc._exit(perform(id: id, root: root, errors: errors.write))
        }
        close(errors.write)
        guard pid > 0 else {
            close(errors.read)
            return (1, "ctutor runtime \(words(id: id)): \(SyscallError(call: "fork", errno: errno))")
        }
        let text = PipeReading.text(until: errors.read)
        close(errors.read)
        return (ShimSpawn.exitStatus(of: pid), text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The child's half: the step, its failure written to `errors`; the exit status.
    private func perform(id: String, root: RuntimeRoot, errors: Int32) -> Int32 {
        do {
            switch self {
            case .create(let bundle, let stdout, let stderr):
                _ = try OCIRuntime.create(id: id, bundle: bundle, root: root, stdio: (-1, stdout, stderr))
            case .start:
                try OCIRuntime.start(id: id, root: root)
            case .kill(let signal):
                try OCIRuntime.kill(id: id, signal: signal, root: root)
            case .delete(let force):
                try OCIRuntime.delete(id: id, root: root, force: force)
            }
            return 0
        } catch {
            let line = Array("ctutor runtime: \(error)\n".utf8)
            _ = write(errors, line, line.count)
            return 1
        }
    }
}
