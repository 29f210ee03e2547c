#if os(Linux)
import Foundation
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
public enum CgroupGracePeriod {
    /// Starts the wait on a thread of its own and returns at once. As root only; a
    /// file that cannot be found or written costs nothing but the time saved.
    public static func startEarly() {
        guard geteuid() == 0 else { return }
        // Finding the file is on the thread too: the caller goes on at once.
        Thread.detachNewThread {
            guard let mounts, let cgroups = try? ProcFS.readFile("/proc/self/cgroup"),
                let procs = ownProcsFile(cgroups: cgroups, mounts: mounts)
            else { return }
            let fd = open(procs, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { return }
            // What the write returns does not matter: the wait has begun or passed.
            _ = write(fd, "0", 1)
            close(fd)
        }
    }

    /// Where the hierarchies are mounted, read once per process: parsing mountinfo
    /// was a millisecond, and the daemon starts the wait twice a container. The
    /// process's own cgroup is read each time (it may have been moved).
    private static let mounts: Mounts? = {
        guard let mountinfo = try? ProcFS.readFile("/proc/self/mountinfo") else { return nil }
        return Mounts(mountinfo: mountinfo)
    }()

    /// The mount points of the v1 hierarchy with the `pids` controller and of the v2 one.
    struct Mounts {
        var pids: String?
        var unified: String?

        init(mountinfo: String) {
            pids = CgroupV1Layout.hierarchies(mountinfo: mountinfo).first { $0.controllers.contains("pids") }?.mountPoint
            unified = MountInfoEntry.parse(mountinfo).first { $0.fsType == "cgroup2" }?.mountPoint
        }
    }

    /// The `cgroup.procs` file of the cgroup this process is in: in the v1 hierarchy
    /// with the `pids` controller (any hierarchy would do; pids is in every v1 layout
    /// ctutor uses), else in the v2 hierarchy. `cgroups` is `/proc/self/cgroup`.
    static func ownProcsFile(cgroups: String, mountinfo: String) -> String? {
        ownProcsFile(cgroups: cgroups, mounts: Mounts(mountinfo: mountinfo))
    }

    static func ownProcsFile(cgroups: String, mounts: Mounts) -> String? {
        let lines = cgroups.split(separator: "\n").map { $0.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false) }
        if let pids = lines.first(where: { $0.count == 3 && $0[1].split(separator: ",").contains("pids") }), let mount = mounts.pids {
            return path(mount, String(pids[2]))
        }
        if let unified = lines.first(where: { $0.count == 3 && $0[0] == "0" && $0[1].isEmpty }), let mount = mounts.unified {
            return path(mount, String(unified[2]))
        }
        return nil
    }

    private static func path(_ mountPoint: String, _ cgroup: String) -> String {
        (mountPoint + (cgroup == "/" ? "" : cgroup)) + "/cgroup.procs"
    }
}
#endif
