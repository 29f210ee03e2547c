import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// The layout code against temporary directory trees shaped like cgroupfs, whose
/// files (`cgroup.controllers`, `memory.memsw.limit_in_bytes`, …) the test writes.
/// These are NOT kernel tests: they check which directories a layout would make,
/// what it would write where and what it refuses, for layouts this machine's kernel
/// cannot show (cgroup v2 with controllers, delegation). CgroupKernelTests runs the
/// real thing.
struct CgroupLayoutTests {
    /// A temporary tree, removed by `remove()`.
    struct FakeTree {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cgroup-fake-\(UUID().uuidString)").path

        func directory(_ path: String) throws {
            try FileManager.default.createDirectory(atPath: root + "/" + path, withIntermediateDirectories: true)
        }

        func file(_ path: String, _ text: String = "") throws {
            try directory((path as NSString).deletingLastPathComponent)
            try text.write(toFile: root + "/" + path, atomically: false, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    private static func mountinfo(_ tree: FakeTree, _ hierarchies: [(String, String)]) -> String {
        hierarchies.enumerated().map { index, hierarchy in
            "\(40 + index) 31 0:\(30 + index) / \(tree.root)/\(hierarchy.0) rw,relatime - cgroup cgroup rw,\(hierarchy.1)"
        }.joined(separator: "\n")
            + "\n60 31 0:50 / \(tree.root)/unified rw,relatime - cgroup2 cgroup2 rw"
            + "\n61 31 0:51 / \(tree.root)/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd"
            // The memory hierarchy mounted a second time: it is still one hierarchy.
            + "\n62 31 0:33 / /elsewhere/memory rw,relatime - cgroup cgroup rw,memory\n"
    }

    @Test("v1 layout on a fake tree (not the kernel): cpu,cpuacct mounted together get one directory; memsw caps swap")
    func v1Layout() throws {
        let tree = FakeTree()
        defer { tree.remove() }
        try tree.file("memory/memory.memsw.limit_in_bytes", "9223372036854771712\n")
        let text = Self.mountinfo(tree, [("cpu,cpuacct", "cpu,cpuacct"), ("memory", "memory"), ("pids", "pids"), ("freezer", "freezer")])
        let hierarchies = CgroupV1Layout.hierarchies(mountinfo: text)
        #expect(hierarchies.map(\.mountPoint) == ["cpu,cpuacct", "memory", "pids", "freezer", "systemd"].map { "\(tree.root)/\($0)" })
        let plan = try CgroupV1Layout(hierarchies: hierarchies)
            .plan(name: "c1", limits: ResourceLimits(memoryBytes: 32 << 20, pidsMax: 10, cpus: 0.5))
        let leaves = ["memory", "pids", "cpu,cpuacct", "freezer"].map { "\(tree.root)/\($0)/ctutor/c1" }
        let (memory, pids, cpu, freezer) = (leaves[0], leaves[1], leaves[2], leaves[3])
        #expect(plan.version == .v1)
        #expect(plan.directories == [memory, pids, cpu, freezer])
        #expect(plan.filesByPrefix == ["memory": memory, "pids": pids, "cpu": cpu, "cpuacct": cpu, "freezer": freezer])
        let parents: [CgroupStep] = [memory, pids, cpu, freezer].flatMap { leaf in
            [.makeDirectory((leaf as NSString).deletingLastPathComponent, shared: true), .makeDirectory(leaf, shared: false)]
        }
        #expect(
            plan.steps == parents + [
                .write("33554432", to: memory + "/memory.limit_in_bytes"),
                .write("33554432", to: memory + "/memory.memsw.limit_in_bytes"),
                .enableOOMKiller(in: memory),
                .write("10", to: pids + "/pids.max"),
                .write("100000", to: cpu + "/cpu.cfs_period_us"),
                .write("50000", to: cpu + "/cpu.cfs_quota_us"),
            ])
    }

    @Test("v1 layout on a fake tree (not the kernel): without swap accounting, swappiness 0 keeps pages out of swap")
    func v1LayoutWithoutSwapAccounting() throws {
        let tree = FakeTree()
        defer { tree.remove() }
        try tree.directory("memory")
        let layout = CgroupV1Layout(hierarchies: CgroupV1Layout.hierarchies(mountinfo: Self.mountinfo(tree, [("memory", "memory")])))
        let plan = try layout.plan(name: "c1", limits: ResourceLimits(memoryBytes: 64 << 20))
        let memory = "\(tree.root)/memory/ctutor/c1"
        #expect(plan.steps.contains(.write("0", to: memory + "/memory.swappiness")))
        #expect(!plan.steps.contains(.write("67108864", to: memory + "/memory.memsw.limit_in_bytes")))
    }

    @Test("v1 layout on a fake tree (not the kernel): a limit no mounted hierarchy can hold is refused, naming it")
    func v1LayoutRefusesMissingController() throws {
        let tree = FakeTree()
        defer { tree.remove() }
        let layout = CgroupV1Layout(hierarchies: CgroupV1Layout.hierarchies(mountinfo: Self.mountinfo(tree, [("memory", "memory")])))
        do {
            _ = try layout.plan(name: "c1", limits: ResourceLimits(pidsMax: 10))
            Issue.record("a pids limit without a pids hierarchy was accepted")
        } catch {
            guard case .refused(let reason, let remedy) = error else { throw error }
            #expect(reason.en.contains("pids"))
            #expect(remedy.en.contains("mount -t cgroup -o pids"))
        }
        #expect(try layout.plan(name: "c1", limits: ResourceLimits()).directories == ["\(tree.root)/memory/ctutor/c1"])
    }

    @Test("v2 layout on a fake tree (not the kernel): controllers enabled on the way down, limits in the leaf")
    func v2Layout() throws {
        let tree = FakeTree()
        defer { tree.remove() }
        try tree.file("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n")
        let plan = try CgroupV2Layout(base: tree.root).plan(
            name: "c2", limits: ResourceLimits(memoryBytes: 32 << 20, pidsMax: 10, cpus: 0.5))
        let leaf = "\(tree.root)/ctutor/c2"
        #expect(plan.version == .v2)
        #expect(plan.directories == [leaf])
        #expect(
            plan.steps == [
                .enableControllers([.memory, .pids, .cpu], in: tree.root),
                .makeDirectory("\(tree.root)/ctutor", shared: true),
                .enableControllers([.memory, .pids, .cpu], in: "\(tree.root)/ctutor"),
                .makeDirectory(leaf, shared: false),
                .write("33554432", to: leaf + "/memory.max"),
                .writeIfPresent("0", to: leaf + "/memory.swap.max"),
                .write("10", to: leaf + "/pids.max"),
                .write("50000 100000", to: leaf + "/cpu.max"),
            ])
    }

    @Test("v2 layout on a fake tree (not the kernel): cpu is enabled only when a limit needs it")
    func v2LayoutLeavesCPUAlone() throws {
        let tree = FakeTree()
        defer { tree.remove() }
        try tree.file("cgroup.controllers", "cpu memory pids\n")
        let plan = try CgroupV2Layout(base: tree.root).plan(name: "c2", limits: ResourceLimits(memoryBytes: 64 << 20))
        #expect(plan.steps.first == .enableControllers([.memory, .pids], in: tree.root))
        #expect(!plan.steps.contains { if case .write(_, let file) = $0 { file.hasSuffix("cpu.max") } else { false } })
    }

    @Test("v2 layout on a fake tree (not the kernel): a controller the hierarchy lacks is refused, naming it and what it has")
    func v2LayoutRefusesMissingController() throws {
        let tree = FakeTree()
        defer { tree.remove() }
        try tree.file("cgroup.controllers", "memory pids\n")
        do {
            _ = try CgroupV2Layout(base: tree.root).plan(name: "c2", limits: ResourceLimits(pidsMax: 5, cpus: 1))
            Issue.record("a cpu limit without the cpu controller was accepted")
        } catch {
            guard case .refused(let reason, _) = error else { throw error }
            #expect(reason.en.contains("no cpu controller"))
            #expect(reason.en.contains("memory pids"))
        }
    }
}
