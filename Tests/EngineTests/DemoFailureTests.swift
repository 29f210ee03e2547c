import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Why a demo could not run")
struct DemoFailureTests {
    static let apparmorReason = Localized(ko: "AppArmor 제한", en: "restricted by AppArmor")
    static let apparmorRemedy = Localized(ko: "sysctl 실행", en: "run sysctl")

    static func probe(euid: UInt32, userNamespaces: UserNamespaceAvailability) -> MachineProbe {
        MachineProbe(
            systemName: "Linux", kernelRelease: "6.8.0", effectiveUID: euid, userNamespaces: userNamespaces,
            cgroups: .v2, hasOverlayFS: true)
    }

    static let restricted = probe(euid: 1000, userNamespaces: .blocked(reason: apparmorReason, remedy: apparmorRemedy))
    static let open = probe(euid: 1000, userNamespaces: .available)
    static let rootlessClone = "clone(CLONE_NEWUSER|CLONE_NEWUTS|CLONE_NEWPID)"

    @Test("a refused clone quotes the call, the errno and the probe's finding")
    func refusedClone() {
        let failure = DemoFailure(
            SyscallError(call: Self.rootlessClone, errno: EPERM), rootless: true, probe: Self.restricted)
        #expect(failure.unavailable)
        #expect(
            failure.reason.en
                == "clone(CLONE_NEWUSER|CLONE_NEWUTS|CLONE_NEWPID) failed with EPERM (Operation not permitted): restricted by AppArmor")
        #expect(failure.reason.ko.hasPrefix("clone(CLONE_NEWUSER|CLONE_NEWUTS|CLONE_NEWPID) 호출이 EPERM"))
        #expect(failure.remedy == Self.apparmorRemedy)
    }

    @Test("sethostname refused inside a capability-less user namespace makes the demo unavailable")
    func refusedSethostname() {
        let failure = DemoFailure(
            ChildFailure.syscall(SyscallError(call: "sethostname", errno: EPERM)), rootless: true, probe: Self.open)
        #expect(failure.unavailable)
        #expect(failure.reason.en.hasPrefix("sethostname in the child failed with EPERM (Operation not permitted): "))
        #expect(failure.remedy?.en.contains("sudo") == true)
    }

    @Test("a refused uid_map write makes the demo unavailable")
    func refusedMap() {
        let failure = DemoFailure(
            SyscallError(call: "write /proc/42/uid_map", errno: EPERM), rootless: true, probe: Self.restricted)
        #expect(failure.unavailable)
        #expect(failure.reason.en.hasPrefix("write /proc/42/uid_map failed with EPERM"))
    }

    @Test("root without CAP_SYS_ADMIN is told about containers")
    func rootInContainer() {
        let failure = DemoFailure(
            SyscallError(call: "clone(CLONE_NEWUTS|CLONE_NEWPID)", errno: EPERM), rootless: false,
            probe: Self.probe(euid: 0, userNamespaces: .available))
        #expect(failure.unavailable)
        #expect(failure.reason.en.contains("CAP_SYS_ADMIN"))
        #expect(failure.remedy?.en.contains("--privileged") == true)
    }

    @Test("a full namespace table names the limits")
    func limits() {
        let failure = DemoFailure(
            SyscallError(call: "clone(CLONE_NEWUTS|CLONE_NEWPID)", errno: ENOSPC), rootless: false,
            probe: Self.probe(euid: 0, userNamespaces: .available))
        #expect(failure.unavailable)
        #expect(failure.reason.en.contains("user.max_pid_namespaces"))
    }

    @Test("a refused unshare names the kinds it asked for, not a fixed list")
    func refusedKindsNamed() {
        let missing = DemoFailure(
            ChildFailure.syscall(SyscallError(call: "unshare(CLONE_NEWTIME)", errno: EINVAL)), rootless: false,
            probe: Self.probe(euid: 0, userNamespaces: .available))
        #expect(missing.unavailable)
        #expect(missing.reason.en.contains("(time: CONFIG_TIME_NS)"))
        #expect(!missing.reason.en.contains("UTS"))
        let limited = DemoFailure(
            ChildFailure.syscall(SyscallError(call: "unshare(CLONE_NEWIPC)", errno: ENOSPC)), rootless: false,
            probe: Self.probe(euid: 0, userNamespaces: .available))
        #expect(limited.reason.en.hasSuffix("(user.max_ipc_namespaces)"))
        #expect(limited.remedy?.en.contains("sudo sysctl -w user.max_ipc_namespaces=") == true)
    }

    @Test("a kernel without the kind says which release and option it needs")
    func missingKind() {
        let failure = DemoFailure(missing: .time, kernelRelease: "5.4.0")
        #expect(failure.unavailable)
        #expect(failure.reason.en.contains("this kernel (5.4.0) has no time namespaces: /proc/self/ns/time is missing"))
        #expect(failure.reason.en.contains("Linux 5.6") && failure.reason.en.contains("CONFIG_TIME_NS"))
        #expect(failure.reason.ko.contains("시간 네임스페이스"))
    }

    @Test("a refused /proc mount is explained as a partly covered /proc, not as a user-namespace ban")
    func refusedProcMount() {
        let failure = DemoFailure(
            ChildFailure.syscall(SyscallError(call: "mount proc on /proc", errno: EPERM)), rootless: true, probe: Self.open)
        #expect(failure.unavailable)
        #expect(failure.reason.en.hasPrefix("mount proc on /proc in the child failed with EPERM"))
        #expect(failure.reason.en.contains("fully visible"))
        #expect(!failure.reason.en.contains("seccomp"))
    }

    @Test("a fault midway is not 'unavailable': the mode stays and the reason says what broke")
    func faultMidway() {
        let failure = DemoFailure(
            SyscallError(call: Self.rootlessClone, errno: ENOMEM), rootless: true, probe: Self.restricted)
        #expect(!failure.unavailable)
        #expect(failure.reason.en == "the demo stopped: \(Self.rootlessClone): Cannot allocate memory (ENOMEM)")
        #expect(failure.remedy == nil)

        let silent = DemoFailure(ChildFailure.silent(seconds: 2), rootless: false, probe: Self.open)
        #expect(silent.reason.en == "the demo stopped: the child did not report within 2 s")
    }

    @Test("an unavailable report keeps no observations; a failed one keeps what it saw")
    func recording() {
        let seen = [Observation(id: "pid", label: Localized("PID"), host: "42", inside: "1")]
        var report = DemoReport(demo: "uts", title: Localized("t"), mode: .rootless, observations: seen)
        report.record(DemoFailure(unavailable: false, reason: Localized("stopped"), remedy: nil))
        #expect(report.mode == .rootless)
        #expect(report.observations == seen)
        report.record(DemoFailure(unavailable: true, reason: Localized("no"), remedy: Localized("fix")))
        #expect(report.mode == .unavailable)
        #expect(report.observations.isEmpty)
        #expect(report.reason == Localized("no"))
        #expect(report.remedy == Localized("fix"))
    }
}
