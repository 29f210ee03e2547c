import Foundation

#if os(Linux)
import CShim
import Glibc
#endif

/// What a second terminal does to a container another `ctutor run` holds: stop it,
/// remove it, read its log. Signals go through a pidfd whose process is checked to be
/// the recorded init (by start time), never to a PID the kernel has since reused.
public enum ContainerControl {
    /// SIGTERM, then SIGKILL after `grace`; returns when the init is gone. The `ctutor
    /// run` that holds it records how it ended.
    public static func stop(_ record: ContainerRecord, store: ContainerStore, grace: Duration) throws {
        guard record.isRunning, let pid = record.pid, let start = record.pidStart else { return }
        #if os(Linux)
        let fd = ctutor_pidfd_open(pid)
        guard fd >= 0 else { return }
        defer { close(fd) }
        guard ProcessStart.of(pid) == start else { return }
        _ = ctutor_pidfd_send_signal(fd, SIGTERM)
        if !LaunchedProcess.exits(pid, within: grace) {
            _ = ctutor_pidfd_send_signal(fd, SIGKILL)
            guard LaunchedProcess.exits(pid, within: .seconds(5)) else {
                throw ContainerError.failed("container \(record.name) (PID \(pid)) did not exit after SIGKILL")
            }
        }
        // Its `ctutor run` writes the exit; give it a moment so `ps -a` right after is true.
        for _ in 0..<50 where (try? store.read(record.id))?.status == .running {
            usleep(20_000)
        }
        #endif
    }

    /// Removes an exited container's directory; a running one only with `force` (killed first).
    public static func remove(_ record: ContainerRecord, store: ContainerStore, force: Bool) throws {
        if record.isRunning {
            guard force else {
                throw ContainerError.invalid("container \(record.name) is running: stop it first (ctutor stop \(record.name)) or use rm -f")
            }
            try stop(record, store: store, grace: .zero)
        }
        try store.remove(record.id)
    }

    /// Prints the log to standard output; with `follow`, until the container exits.
    public static func printLogs(_ record: ContainerRecord, store: ContainerStore, follow: Bool) throws {
        let path = store.directory(of: record.id).appendingPathComponent("log").path
        guard !record.autoRemove else {
            throw ContainerError.invalid("container \(record.name) runs with --rm, which keeps no log")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ENOENT { return }
            throw SyscallError(call: "open \(path)", errno: errno)
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count > 0 {
                FileHandle.standardOutput.write(Data(buffer[0..<count]))
                continue
            }
            if count < 0 && errno == EINTR { continue }
            guard follow, (try? store.read(record.id))?.isRunning == true else { return }
            usleep(100_000)
        }
    }
}
