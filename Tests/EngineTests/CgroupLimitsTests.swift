import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// Limits and names as the command line gives them: parsed, checked, refused with a
/// reason — before anything touches the cgroup filesystem.
struct CgroupLimitsTests {
    @Test(
        "memory sizes in Docker's units, binary multiples",
        arguments: [
            ("64M", 64 << 20), ("64m", 64 << 20), ("64mb", 64 << 20), ("64MiB", 64 << 20), ("1g", 1 << 30),
            ("512k", 512 << 10), ("1048576", 1_048_576), ("1.5g", 3 << 29), (" 32M ", 32 << 20), ("100b", 100),
            ("2 G", 2 << 30),
        ] as [(String, Int64)])
    func parsesMemory(text: String, bytes: Int64) throws {
        #expect(try ResourceLimits.parseMemory(text).get() == bytes)
    }

    @Test(
        "memory sizes that are not one are refused with a message",
        arguments: ["", "abc", "64Q", "-1", "0", "64mi", "1.2.3m", "99999999p", "m"])
    func refusesMemory(text: String) {
        guard case .failure(.invalid(let message)) = ResourceLimits.parseMemory(text) else {
            Issue.record("\"\(text)\" was accepted")
            return
        }
        #expect(message.en.contains("\"\(text)\""))
        #expect(!message.ko.isEmpty)
    }

    @Test("cpus become a quota per 100 ms period")
    func cpuQuota() {
        #expect(ResourceLimits(cpus: 0.5).cpuQuotaMicroseconds == 50_000)
        #expect(ResourceLimits(cpus: 1.25).cpuQuotaMicroseconds == 125_000)
        #expect(ResourceLimits(cpus: 0.01).cpuQuotaMicroseconds == 1_000)
        #expect(ResourceLimits().cpuQuotaMicroseconds == nil)
        #expect(ResourceLimits.cpuPeriodMicroseconds == 100_000)
    }

    @Test("which controllers limits need, and when there are none")
    func controllersAndEmptiness() {
        #expect(ResourceLimits().isEmpty)
        #expect(ResourceLimits().controllers.isEmpty)
        #expect(!ResourceLimits(pidsMax: 1).isEmpty)
        #expect(ResourceLimits(memoryBytes: 64 << 20, cpus: 1).controllers == [.memory, .cpu])
        #expect(ResourceLimits(memoryBytes: 64 << 20, pidsMax: 5, cpus: 1).controllers == Set(CgroupController.allCases))
    }

    @Test("limits the kernel or Docker would refuse are named before any cgroup is made")
    func problems() {
        #expect(ResourceLimits(memoryBytes: 64 << 20, pidsMax: 64, cpus: 2).problem(onlineCPUs: 2) == nil)
        #expect(ResourceLimits(memoryBytes: 1 << 20).problem(onlineCPUs: 2)?.en.contains("minimum is 6M") == true)
        #expect(ResourceLimits(pidsMax: 0).problem(onlineCPUs: 2) != nil)
        #expect(ResourceLimits(cpus: 0.001).problem(onlineCPUs: 2) != nil)
        #expect(ResourceLimits(cpus: 3).problem(onlineCPUs: 2)?.en.contains("between 0.01 and 2") == true)
        #expect(ResourceLimits(cpus: .nan).problem(onlineCPUs: 2) != nil)
    }

    @Test("names are [A-Za-z0-9_.-], 1 to 64, never a path")
    func names() {
        for good in ["web", "web-1.0_A", String(repeating: "a", count: 64), "..."] {
            #expect(ContainerCgroup.isValidName(good), "\(good)")
        }
        for bad in ["", ".", "..", "a/b", "../x", String(repeating: "a", count: 65), "é", "a b", "a\n"] {
            #expect(!ContainerCgroup.isValidName(bad), "\(bad)")
        }
    }

    @Test("create refuses a bad name or limit before touching the cgroup filesystem")
    func createRefusesEarly() {
        #expect(throws: CgroupError.self) { try ContainerCgroup.create(name: "../escape", limits: ResourceLimits()) }
        #expect(throws: CgroupError.self) { try ContainerCgroup.create(name: "x", limits: ResourceLimits(memoryBytes: 4096)) }
        #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/escape"))
        do {
            _ = try ContainerCgroup.create(name: "a/b", limits: ResourceLimits())
            Issue.record("a path was taken as a name")
        } catch {
            guard case .invalid(let message) = error else {
                Issue.record("expected .invalid, got \(error)")
                return
            }
            #expect(message.en.contains("\"a/b\""))
        }
    }

    @Test("remove(directories:) refuses paths that are not …/ctutor/NAME on a cgroup filesystem")
    func removeRefusesForeignPaths() throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("cgroup-test-\(UUID().uuidString)")
        let lookalike = temporary.appendingPathComponent("ctutor/x").path
        try FileManager.default.createDirectory(atPath: lookalike, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        for path in [
            "/sys/fs/cgroup/memory", "/sys/fs/cgroup/memory/ctutor/../x", "relative/ctutor/x", "/sys/fs/cgroup/ctutor/a b", lookalike,
        ] {
            #expect(throws: CgroupError.self, "\(path)") { try ContainerCgroup.remove(directories: [path]) }
        }
        #expect(FileManager.default.fileExists(atPath: lookalike), "a directory that is no cgroup is left alone")
        // A recorded directory already gone: fine, and an empty parent that only has the name stays.
        try FileManager.default.removeItem(atPath: lookalike)
        try ContainerCgroup.remove(directories: [lookalike])
        #expect(FileManager.default.fileExists(atPath: temporary.appendingPathComponent("ctutor").path))
        try ContainerCgroup.remove(directories: ["/sys/fs/cgroup/memory/ctutor/never-made-\(UUID().uuidString.prefix(8))"])
    }

    @Test("errors say why and what to do, in both languages")
    func errorText() {
        let refused = CgroupError.refused(reason: Localized(ko: "이유", en: "why"), remedy: Localized(ko: "방법", en: "how"))
        #expect(refused.description == "why. how")
        #expect(refused.remedy?.ko == "방법")
        let system = CgroupError.system(SyscallError(call: "mkdir /sys/fs/cgroup/ctutor", errno: EACCES))
        #expect(system.description == "mkdir /sys/fs/cgroup/ctutor: Permission denied (EACCES)")
        #expect(system.remedy == nil)
    }
}
