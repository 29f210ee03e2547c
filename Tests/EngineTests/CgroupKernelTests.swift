import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import CShim
import Glibc
#endif

/// ContainerCgroup on the real kernel, as root: limits the kernel's own files read
/// back, a process placed from inside and seen from outside, forks refused, a memory
/// hog OOM-killed, a fork bomb removed. Serialized: the hog and the bomb are heavy.
@Suite(.serialized)
struct CgroupKernelTests {
    @Test("v1: the kernel's files read back the limits", .enabled(if: CgroupWitness.v1Ready, CgroupWitness.v1Reason))
    func v1LimitsReadBack() throws {
        let name = CgroupWitness.uniqueName("limits")
        let cgroup = try ContainerCgroup.create(
            name: name, limits: ResourceLimits(memoryBytes: 32 << 20, pidsMax: 10, cpus: 0.5))
        defer { try? cgroup.remove() }
        #expect(cgroup.version == .v1)
        #expect(try CgroupWitness.file("memory.limit_in_bytes", name: name) == "33554432")
        if FileManager.default.fileExists(atPath: CgroupWitness.directory("memory", name: name) + "/memory.memsw.limit_in_bytes") {
            #expect(try CgroupWitness.file("memory.memsw.limit_in_bytes", name: name) == "33554432", "swap capped with memory")
        } else {
            #expect(try CgroupWitness.file("memory.swappiness", name: name) == "0")
        }
        #expect(try CgroupWitness.value("oom_kill_disable", in: "memory.oom_control", name: name) == 0)
        #expect(try CgroupWitness.file("pids.max", name: name) == "10")
        #expect(try CgroupWitness.file("cpu.cfs_quota_us", name: name) == "50000")
        #expect(try CgroupWitness.file("cpu.cfs_period_us", name: name) == "100000")
        let expected = CgroupWitness.joinedControllers.map { CgroupWitness.directory($0, name: name) }
        #expect(Set(cgroup.directories) == Set(expected))
        try expectStatisticsMatchLimits(cgroup)
        try expectRemoved(cgroup)
    }

    @Test("v2: the kernel's files read back the limits", .enabled(if: CgroupWitness.v2Ready, CgroupWitness.v2Reason))
    func v2LimitsReadBack() throws {
        let name = CgroupWitness.uniqueName("limits")
        let cgroup = try ContainerCgroup.create(
            name: name, limits: ResourceLimits(memoryBytes: 32 << 20, pidsMax: 10, cpus: 0.5))
        defer { try? cgroup.remove() }
        #expect(cgroup.version == .v2)
        #expect(cgroup.directories == ["/sys/fs/cgroup/ctutor/\(name)"])
        #expect(try CgroupWitness.file("memory.max", name: name) == "33554432")
        if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/ctutor/\(name)/memory.swap.max") {
            #expect(try CgroupWitness.file("memory.swap.max", name: name) == "0", "no swap")
        }
        #expect(try CgroupWitness.file("pids.max", name: name) == "10")
        #expect(try CgroupWitness.file("cpu.max", name: name) == "50000 100000")
        try expectStatisticsMatchLimits(cgroup)
        try expectRemoved(cgroup)
    }

    @Test(
        "a process that writes its PID into procsFiles is in every hierarchy, seen from outside; remove() kills it",
        .enabled(if: CgroupWitness.kernelReady, CgroupWitness.kernelReason))
    func processPlacedAndKilled() throws {
        let name = CgroupWitness.uniqueName("member")
        let cgroup = try ContainerCgroup.create(name: name, limits: ResourceLimits(pidsMax: 16))
        defer { try? cgroup.remove() }
        let processes = DemoProcesses(demo: "cgroup-test")
        defer { processes.finish() }
        let before = try Witness.text("/proc/self/cgroup")
        let pid = try processes.spawn("/bin/sh", arguments: CgroupWitness.joinedShell("exec sleep 30", cgroup: cgroup))
        #expect(CgroupWitness.waitUntilJoined(pid, name: name), "\(CgroupWitness.memberships(pid))")
        for file in cgroup.procsFiles {
            #expect(try Witness.text(file).split(separator: "\n").contains("\(pid)"), "\(file) lists \(pid)")
        }
        #expect(cgroup.statistics().pidsCurrent == 1)
        #expect(try Witness.text("/proc/self/cgroup") == before, "the test process stays where it was")

        try cgroup.remove()
        let exit = processes.reap(pid)
        #expect(exit.exitCode == 128 + SIGKILL, "sleep was killed by SIGKILL: \(exit.step.en)")
        try expectRemoved(cgroup)
        try cgroup.remove()  // idempotent
    }

    @Test("pids.max 10 refuses the 11th fork", .enabled(if: CgroupWitness.kernelReady, CgroupWitness.kernelReason))
    func pidsLimitRefusesForks() throws {
        let name = CgroupWitness.uniqueName("pids")
        let cgroup = try ContainerCgroup.create(name: name, limits: ResourceLimits(pidsMax: 10))
        defer { try? cgroup.remove() }
        let processes = DemoProcesses(demo: "cgroup-test")
        defer { processes.finish() }
        // The shell is one process; nine sleeps fill the limit, and the next fork fails.
        let pid = try processes.spawn(
            "/bin/sh", arguments: CgroupWitness.joinedShell("for i in $(seq 20); do sleep 5 & done; wait", cgroup: cgroup))
        _ = processes.reap(pid)
        let refused = try #require(try CgroupWitness.value("max", in: "pids.events", name: name))
        #expect(refused > 0, "pids.events max counts refused forks")
        let statistics = cgroup.statistics()
        #expect(statistics.forksRefused == refused)
        #expect(statistics.pidsLimit == .value(10))
        #expect((statistics.pidsCurrent ?? 99) <= 10)
        if let peak = statistics.pidsPeak { #expect(peak == 10, "it reached the limit and no further") }
        try cgroup.remove()
        try expectRemoved(cgroup)
    }

    @Test(
        "a 32M memory limit OOM-kills the hog by SIGKILL; the test process is unaffected",
        .enabled(if: CgroupWitness.kernelReady, CgroupWitness.kernelReason))
    func memoryHogIsOOMKilled() throws {
        let name = CgroupWitness.uniqueName("oom")
        let cgroup = try ContainerCgroup.create(name: name, limits: ResourceLimits(memoryBytes: 32 << 20))
        defer { try? cgroup.remove() }
        let processes = DemoProcesses(demo: "cgroup-test")
        defer { processes.finish() }
        let ownCgroups = try Witness.text("/proc/self/cgroup")
        // The shell keeps 80 MB of text in a variable: far over the limit.
        let hog = "x=$(head -c 80000000 /dev/zero | tr '\\0' a); echo ${#x}"
        let pid = try processes.spawn("/bin/sh", arguments: CgroupWitness.joinedShell(hog, cgroup: cgroup))
        let exit = processes.reap(pid)
        #expect(exit.exitCode == 128 + SIGKILL, "the hog was killed by SIGKILL: \(exit.step.en)")
        let statistics = cgroup.statistics()
        #expect((statistics.oomKills ?? 0) >= 1, "the OOM killer ran in the cgroup")
        #expect(statistics.memoryLimit == .value(32 << 20))
        #expect(statistics.swapLimit == nil || statistics.swapLimit == .value(0))
        if let peak = statistics.memoryPeakBytes { #expect(peak <= 32 << 20) }
        #expect(try Witness.text("/proc/self/cgroup") == ownCgroups)
        try cgroup.remove()
        try expectRemoved(cgroup)
    }

    @Test(
        "remove() leaves nothing with a fork bomb running inside (pids.max 50, 0.2 CPUs)",
        .enabled(if: CgroupWitness.kernelReady, CgroupWitness.kernelReason),
        .enabled(if: Witness.isInstalled("perl"), "perl is not installed"))
    func forkBombRemoved() throws {
        let name = CgroupWitness.uniqueName("bomb")
        let cgroup = try ContainerCgroup.create(name: name, limits: ResourceLimits(pidsMax: 50, cpus: 0.2))
        defer { try? cgroup.remove() }
        let processes = DemoProcesses(demo: "cgroup-test")
        defer { processes.finish() }
        // Every copy forks for ever and shrugs off a refused fork, so the bomb keeps the
        // cgroup full. (A shell bomb is no test: dash exits when a fork fails, and once
        // all its copies hit the limit together, it dies out by itself.)
        let pid = try processes.spawn(
            "/bin/sh", arguments: CgroupWitness.joinedShell("exec perl -e 'fork while 1'", cgroup: cgroup))
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while clock.now < deadline && (cgroup.statistics().pidsCurrent ?? 0) < 50 { usleep(20_000) }
        usleep(200_000)
        let statistics = cgroup.statistics()
        #expect((statistics.forksRefused ?? 0) > 0, "the bomb hit pids.max")
        #expect(statistics.pidsCurrent == 50, "the bomb is still running, and fills the cgroup")

        let started = clock.now
        try cgroup.remove()
        #expect(clock.now - started < .seconds(10))
        _ = processes.reap(pid)
        try expectRemoved(cgroup)
        #expect(CgroupWitness.members(name: name).isEmpty, "no process is left in /ctutor/\(name)")
    }

    @Test(
        "remove(directories:) as a sweep: a recorded cgroup with a process in it is emptied and removed",
        .enabled(if: CgroupWitness.kernelReady, CgroupWitness.kernelReason))
    func sweepRemovesRecordedDirectories() throws {
        let name = CgroupWitness.uniqueName("sweep")
        let cgroup = try ContainerCgroup.create(name: name, limits: ResourceLimits(memoryBytes: 64 << 20))
        defer { try? cgroup.remove() }
        let processes = DemoProcesses(demo: "cgroup-test")
        defer { processes.finish() }
        let pid = try processes.spawn("/bin/sh", arguments: CgroupWitness.joinedShell("exec sleep 30", cgroup: cgroup))
        #expect(CgroupWitness.waitUntilJoined(pid, name: name))
        let recorded = cgroup.directories
        try ContainerCgroup.remove(directories: recorded)
        #expect(processes.reap(pid).exitCode == 128 + SIGKILL)
        try expectRemoved(cgroup)
        try ContainerCgroup.remove(directories: recorded)  // missing directories are fine
    }

    @Test(
        "v2 on the real cgroup2 tree of a hybrid machine, without controllers: join, cpu.stat, cgroup.kill, rmdir",
        .enabled(
            if: Witness.isRoot && CgroupWitness.machine == .hybrid,
            "needs root on a hybrid machine, whose /sys/fs/cgroup/unified is a real cgroup2 tree"))
    func v2MechanicsOnUnifiedTree() throws {
        let name = CgroupWitness.uniqueName("unified")
        let base = "/sys/fs/cgroup/unified"
        #expect(throws: CgroupError.self, "a limit needs a controller this tree lacks") {
            try CgroupV2Layout(base: base).plan(name: name, limits: ResourceLimits(memoryBytes: 32 << 20))
        }
        let plan = try CgroupV2Layout(base: base).plan(name: name, limits: ResourceLimits())
        try plan.apply()
        let cgroup = ContainerCgroup(name: name, plan: plan)
        defer { try? cgroup.remove() }
        let leaf = "\(base)/ctutor/\(name)"
        #expect(cgroup.directories == [leaf])
        #expect(FileManager.default.fileExists(atPath: leaf + "/cgroup.kill"))
        let processes = DemoProcesses(demo: "cgroup-test")
        defer { processes.finish() }
        let pid = try processes.spawn("/bin/sh", arguments: CgroupWitness.joinedShell("while :; do :; done", cgroup: cgroup))
        #expect(CgroupWitness.waitUntilJoined(pid, name: name, controllers: [""]), "0::/ctutor/\(name) in /proc/\(pid)/cgroup")
        usleep(100_000)
        #expect((cgroup.statistics().cpuUsageMicroseconds ?? 0) > 0, "cpu.stat usage_usec is there without the cpu controller")
        try cgroup.remove()
        #expect(processes.reap(pid).exitCode == 128 + SIGKILL, "cgroup.kill killed the spinning shell")
        #expect(!FileManager.default.fileExists(atPath: leaf))
        #expect(CgroupWitness.parentNotLeftEmpty(leaf))
    }

    /// statistics() reports the limits the kernel holds.
    private func expectStatisticsMatchLimits(_ cgroup: ContainerCgroup) throws {
        let statistics = cgroup.statistics()
        #expect(statistics.version == cgroup.version)
        #expect(statistics.memoryLimit == .value(32 << 20))
        #expect(statistics.pidsLimit == .value(10))
        #expect(statistics.cpuQuotaMicroseconds == .value(50_000))
        #expect(statistics.cpuPeriodMicroseconds == 100_000)
        #expect(statistics.swapLimit == nil || statistics.swapLimit == .value(0))
        #expect(statistics.pidsCurrent == 0)
        #expect(statistics.oomKills == 0)
        #expect(statistics.forksRefused == 0)
        #expect(statistics.cpuUsageMicroseconds != nil)
    }

    /// remove() left no directory, not even an empty shared parent.
    private func expectRemoved(_ cgroup: ContainerCgroup, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try cgroup.remove()
        for directory in cgroup.directories {
            #expect(!FileManager.default.fileExists(atPath: directory), "\(directory) is left", sourceLocation: sourceLocation)
            #expect(CgroupWitness.parentNotLeftEmpty(directory), "empty parent of \(directory) is left", sourceLocation: sourceLocation)
        }
    }
}
