#if os(Linux)
import CShim
import Glibc

/// Moving a process into a cgroup (a write to `cgroup.procs`) first takes a kernel
/// lock, `cgroup_threadgroup_rwsem`, for writing; its first writer waits for an RCU
/// grace period — 9 to 15 ms on the machine ctutor is developed on, most of an OCI
/// `create` (`perf record -e sched:sched_switch -g` showed the container's launcher
/// asleep in `synchronize_rcu` under `cgroup_procs_write_start`). A writer that comes
/// while that wait is under way, or just after it, does not wait again.
///
/// So the runtime starts that wait as its `create` begins, by rewriting this process's
/// own cgroup (nothing moves), and reads the bundle and makes the container's cgroup
/// meanwhile; the launcher's real migration then shares the grace period. The daemon
/// starts it earlier still, as a container is created and again as it is started,
/// before it mounts the snapshot and starts the shim: a write that finds the lock's
/// grace period passed, or under way, does not wait for another, and keeps it passed
/// for one more grace period after it.
///
/// The write is made on a C thread (`ctutor_cgroup_grace_start`): a runtime step is a
/// process forked from the shim, and Swift code on a second thread there can spin for
/// ever on a runtime lock (see the header).
public enum CgroupGracePeriod {
    /// Starts the wait on a thread of its own and returns at once. As root only; a
    /// file that cannot be found or written costs nothing but the time saved.
    public static func startEarly() {
        guard geteuid() == 0 else { return }
        _ = ctutor_cgroup_grace_start()
    }

    /// The `cgroup.procs` file of the cgroup this process is in: in the v1 hierarchy
    /// with the `pids` controller (any hierarchy would do; pids is in every v1 layout
    /// ctutor uses), else in the v2 hierarchy. `cgroups` is `/proc/self/cgroup`.
    static func ownProcsFile(cgroups: String, mountinfo: String) -> String? {
        var path = [CChar](repeating: 0, count: 4096)
        guard ctutor_cgroup_own_procs(cgroups, mountinfo, &path, path.count) == 0 else { return nil }
        return String(decoding: path.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
#endif
