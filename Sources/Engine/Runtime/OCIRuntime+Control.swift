import Foundation

#if os(Linux)
import CShim
import Glibc
#endif

extension OCIRuntime {
    /// The containers under `root`, with their status now.
    public static func list(root: RuntimeRoot) -> [OCIState] {
        root.ids().compactMap { try? root.ociState(of: $0) }
    }

    /// Sends `signal` to a created or running container's init, through a pidfd whose
    /// process is checked to be the recorded one (same start time).
    public static func kill(id: String, signal: Int32, root: RuntimeRoot) throws(RuntimeError) {
        let state = try root.load(id)
        let status = state.status(fifo: root.execFifo(of: id))
        guard status != .stopped else { throw .wrongState(id: id, status: status, wanted: "created or running") }
        try send(signal, to: state)
    }

    /// Removes a container: its cgroup (killing whatever is still in it) and its state
    /// directory. A running one only with `force` (`SIGKILL` first) — or when the shim
    /// that held it has died, since nothing else would ever reap or delete it.
    /// A created one is killed, as runc does.
    public static func delete(id: String, root: RuntimeRoot, force: Bool) throws(RuntimeError) {
        let state = try root.load(id)
        let status = state.status(fifo: root.execFifo(of: id))
        if status == .running && !force {
            guard let shim = root.shim(of: id), !shim.isAlive else {
                throw .wrongState(id: id, status: status, wanted: "stopped (stop it first, or delete --force)")
            }
        }
        if status != .stopped {
            try send(SIGKILL, to: state)
            guard LaunchedProcess.exits(state.pid, within: .seconds(5)) else {
                throw .failed("container \"\(id)\": PID \(state.pid) did not exit after SIGKILL")
            }
        }
        if !state.cgroupPaths.isEmpty {
            do {
                try ContainerCgroup.remove(directories: state.cgroupPaths)
            } catch {
                throw .failed("container \"\(id)\": cgroup: \(error.description)")
            }
        }
        do {
            try ContainerStore.removeTree(root.directory(of: id))
        } catch {
            throw .failed("container \"\(id)\": remove \(root.directory(of: id)): \(error)")
        }
    }

    private static func send(_ signal: Int32, to state: RuntimeState) throws(RuntimeError) {
        let fd = ctutor_pidfd_open(state.pid)
        guard fd >= 0 else {
            if errno == ESRCH { return }
            throw .failed(SyscallError(call: "pidfd_open \(state.pid)", errno: errno).description)
        }
        defer { close(fd) }
        // The pidfd pins the process: if the start time matches now, the signal reaches it.
        guard ProcessStart.of(state.pid) == state.pidStart else { return }
        guard ctutor_pidfd_send_signal(fd, signal) == 0 else {
            throw .failed(SyscallError(call: "pidfd_send_signal \(state.pid) \(signal)", errno: errno).description)
        }
    }
}
