import Engine
import Foundation
import Testing
import TutorCore

#if canImport(Glibc)
import Glibc
#endif

@Suite("User namespace availability from the kernel's switches")
struct UserNamespaceAvailabilityTests {
    private func assess(euid: UInt32 = 1000, kernel: Bool = true, _ sysctls: [String: Int]) -> UserNamespaceAvailability {
        UserNamespaceAvailability.assess(kernelHasUserNamespaces: kernel, effectiveUID: euid) { sysctls[$0] }
    }

    private func blocked(_ availability: UserNamespaceAvailability) -> (reason: Localized, remedy: Localized)? {
        guard case .blocked(let reason, let remedy) = availability else { return nil }
        return (reason, remedy)
    }

    @Test("no switch set: available")
    func nothingSet() {
        #expect(assess([:]) == .available)
        #expect(assess(["kernel.unprivileged_userns_clone": 1, "kernel.apparmor_restrict_unprivileged_userns": 0]) == .available)
    }

    @Test("Ubuntu's AppArmor restriction blocks users, names the sysctl and how to lift it")
    func apparmor() throws {
        let found = try #require(blocked(assess(["kernel.apparmor_restrict_unprivileged_userns": 1])))
        #expect(
            found.reason.en
                == "unprivileged user namespaces are disabled by kernel.apparmor_restrict_unprivileged_userns=1 (AppArmor, Ubuntu 23.10 and later)"
        )
        #expect(found.remedy.en.contains("sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"))
        #expect(found.reason.ko.contains("kernel.apparmor_restrict_unprivileged_userns=1"))
        #expect(found.remedy.ko.contains("sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"))
    }

    @Test("Debian's switch blocks users")
    func debianSwitch() throws {
        let found = try #require(blocked(assess(["kernel.unprivileged_userns_clone": 0])))
        #expect(found.reason.en.contains("kernel.unprivileged_userns_clone=0"))
        #expect(found.remedy.en.contains("sudo sysctl -w kernel.unprivileged_userns_clone=1"))
    }

    @Test("switches for unprivileged users do not hold back root")
    func rootUnaffected() {
        let sysctls = ["kernel.unprivileged_userns_clone": 0, "kernel.apparmor_restrict_unprivileged_userns": 1]
        #expect(assess(euid: 0, sysctls) == .available)
    }

    @Test("a limit of zero blocks root too, and is reported before the other switches")
    func zeroLimit() throws {
        let sysctls = ["user.max_user_namespaces": 0, "kernel.apparmor_restrict_unprivileged_userns": 1]
        for euid: UInt32 in [0, 1000] {
            let found = try #require(blocked(assess(euid: euid, sysctls)))
            #expect(found.reason.en == "user namespaces are disabled by user.max_user_namespaces=0")
            #expect(found.remedy.en.contains("sudo sysctl -w user.max_user_namespaces=15000"))
        }
    }

    @Test("a kernel without user namespaces says so")
    func noKernelSupport() throws {
        let found = try #require(blocked(assess(kernel: false, [:])))
        #expect(found.reason.en.contains("/proc/self/ns/user"))
        #expect(found.remedy.en.contains("CONFIG_USER_NS"))
    }
}

@Suite("MachineProbe on this machine", .enabled(if: Witness.isLinux, "probes a Linux kernel"))
struct MachineProbeLiveTests {
    @Test("agrees with uname, geteuid, stat -f and /proc/filesystems")
    func matchesWitnesses() throws {
        let probe = MachineProbe.current()
        #expect(probe.isLinux)
        #expect(probe.kernelRelease + "\n" == (try Witness.run("uname", ["-r"])).output)
        #expect(probe.effectiveUID == geteuid())

        let fsType = try Witness.run("stat", ["-f", "-c", "%T", "/sys/fs/cgroup"]).output
        let unifiedType = try Witness.run("stat", ["-f", "-c", "%T", "/sys/fs/cgroup/unified"]).output
        let expected: CgroupVersion =
            fsType == "cgroup2fs\n" ? .v2 : unifiedType == "cgroup2fs\n" ? .hybrid : .v1
        #expect(probe.cgroups == expected)

        let filesystems = try Witness.text("/proc/filesystems")
        #expect(probe.hasOverlayFS == filesystems.contains("\toverlay\n"))
    }

    @Test("doctor facts come in a fixed order, each with a label in both languages")
    func facts() {
        let facts = MachineProbe.current().facts
        #expect(facts.map(\.id) == ["os", "kernel", "euid", "userns", "cgroup", "overlayfs"])
        #expect(facts.allSatisfy { !$0.label.ko.isEmpty && !$0.label.en.isEmpty })
        #expect(facts.filter { !$0.ok && $0.id != "overlayfs" }.allSatisfy { $0.remedy != nil })
    }
}
