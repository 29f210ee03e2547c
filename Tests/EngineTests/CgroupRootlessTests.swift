import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// ContainerCgroup as an ordinary user on the real machine: limits where the kernel
/// delegates them, a refusal that says why (and leaves nothing) where it does not.
@Suite(.enabled(if: Witness.isLinux && geteuid() != 0, "runs as an ordinary user: root is never rootless"))
struct CgroupRootlessTests {
    @Test("rootlessSupport and create agree: limits where delegated, otherwise the same refusal and nothing made")
    func createAgreesWithRootlessSupport() throws {
        let name = CgroupWitness.uniqueName("rootless")
        let limits = ResourceLimits(memoryBytes: 64 << 20, pidsMax: 32)
        let support = ContainerCgroup.rootlessSupport(needing: limits.controllers)
        switch support {
        case .success:
            let cgroup = try ContainerCgroup.create(name: name, limits: limits)
            defer { try? cgroup.remove() }
            #expect(cgroup.version == .v2)
            #expect(cgroup.statistics().memoryLimit == .value(64 << 20))
            #expect(cgroup.statistics().pidsLimit == .value(32))
            try cgroup.remove()
            #expect(cgroup.directories.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        case .failure(let refusal):
            #expect(throws: refusal) { try ContainerCgroup.create(name: name, limits: limits) }
            #expect(refusal.remedy != nil, "a refusal says what to do")
            for controller in ["memory", "pids", ""] {
                #expect(!FileManager.default.fileExists(atPath: CgroupWitness.directory(controller, name: name)))
            }
        }
    }

    @Test(
        "on cgroup v1 (this CI machine) a limit is refused: v1 has no delegation",
        .enabled(if: CgroupWitness.machine == .v1 || CgroupWitness.machine == .hybrid, "the machine is not cgroup v1/hybrid"))
    func v1RefusesRootlessLimits() {
        do {
            _ = try ContainerCgroup.create(name: CgroupWitness.uniqueName("v1"), limits: ResourceLimits(memoryBytes: 64 << 20))
            Issue.record("an ordinary user made a cgroup on cgroup v1")
        } catch {
            guard case .refused(let reason, let remedy) = error else {
                Issue.record("expected .refused, got \(error)")
                return
            }
            #expect(reason.en.contains("cgroup v1"))
            #expect(reason.en.contains("no delegation"))
            #expect(reason.ko.contains("cgroup v1"))
            #expect(remedy.en.contains("Run as root"))
        }
        guard case .failure(.refused) = ContainerCgroup.rootlessSupport() else {
            Issue.record("rootlessSupport says rootless limits work on cgroup v1")
            return
        }
    }
}
