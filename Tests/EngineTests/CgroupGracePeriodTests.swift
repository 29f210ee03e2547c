import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// The cgroup file the runtime rewrites to start the grace period early: always one
/// this process is in already, so that nothing moves.
@Suite("Cgroup grace period")
struct CgroupGracePeriodTests {
    let v1Mounts = """
        30 25 0:26 / /sys/fs/cgroup/memory rw,nosuid shared:9 - cgroup cgroup rw,memory
        31 25 0:27 / /sys/fs/cgroup/pids rw,nosuid shared:10 - cgroup cgroup rw,pids
        32 25 0:28 / /sys/fs/cgroup/unified rw,nosuid shared:11 - cgroup2 cgroup2 rw
        """

    @Test("v1 (and hybrid): the process's own cgroup in the pids hierarchy")
    func v1() {
        let cgroups = "8:pids:/user.slice/session-3.scope\n4:memory:/user.slice\n0::/user.slice/session-3.scope\n"
        #expect(
            CgroupGracePeriod.ownProcsFile(cgroups: cgroups, mountinfo: v1Mounts)
                == "/sys/fs/cgroup/pids/user.slice/session-3.scope/cgroup.procs")
        #expect(CgroupGracePeriod.ownProcsFile(cgroups: "8:pids:/\n", mountinfo: v1Mounts) == "/sys/fs/cgroup/pids/cgroup.procs")
        // Controllers mounted together, a mount point with a space (written \\040).
        let joined = "40 25 0:30 / /cg/cpu\\040and\\040pids rw - cgroup cgroup rw,cpu,pids,cpuacct\n"
        #expect(CgroupGracePeriod.ownProcsFile(cgroups: "3:cpu,pids,cpuacct:/a\n", mountinfo: joined) == "/cg/cpu and pids/a/cgroup.procs")
        // A line naming pidsx is not the pids hierarchy.
        #expect(CgroupGracePeriod.ownProcsFile(cgroups: "3:pidsx:/a\n", mountinfo: v1Mounts) == nil)
    }

    @Test("v2: the process's own cgroup in the unified hierarchy; nothing known, nothing written")
    func v2() {
        let mounts = "25 20 0:23 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"
        #expect(
            CgroupGracePeriod.ownProcsFile(cgroups: "0::/user.slice/app.scope\n", mountinfo: mounts)
                == "/sys/fs/cgroup/user.slice/app.scope/cgroup.procs")
        #expect(CgroupGracePeriod.ownProcsFile(cgroups: "0::/x\n", mountinfo: "") == nil)
        #expect(CgroupGracePeriod.ownProcsFile(cgroups: "", mountinfo: mounts) == nil)
    }

    @Test("on this machine, the file found lists this very process", .enabled(if: Witness.isLinux, "needs Linux"))
    func thisMachine() throws {
        let procs = try #require(
            CgroupGracePeriod.ownProcsFile(
                cgroups: try Witness.text("/proc/self/cgroup"), mountinfo: try Witness.text("/proc/self/mountinfo")))
        let members = try Witness.text(procs).split(separator: "\n")
        #expect(members.contains("\(getpid())"[...]), "\(procs) does not list PID \(getpid())")
    }
}
