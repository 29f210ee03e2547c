import CShim
import TutorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The cgroup hierarchy mounted at `/sys/fs/cgroup`.
public enum CgroupVersion: String, Equatable, Sendable {
    /// cgroup2 only: the unified hierarchy most current distributions use.
    case v2
    /// cgroup v1 controllers, plus a cgroup2 tree at `/sys/fs/cgroup/unified`.
    case hybrid
    /// cgroup v1 controllers only.
    case v1
    /// Nothing usable at `/sys/fs/cgroup`.
    case none
}

/// One line of `ctutor doctor`: a fact about the machine and whether it helps the demos.
public struct MachineFact: Equatable, Sendable {
    /// Stable identifier: `os`, `kernel`, `euid`, `userns`, `cgroup`, `overlayfs`.
    public var id: String
    public var label: Localized
    public var value: Localized
    /// Whether this fact lets the demos that depend on it run.
    public var ok: Bool
    public var remedy: Localized?
}

/// What this machine allows: the facts behind `ctutor doctor` and behind every
/// "unavailable" reason a demo gives.
public struct MachineProbe: Equatable, Sendable {
    /// `uname -s`: `Linux`, `Darwin`, …
    public var systemName: String
    /// `uname -r`, e.g. `6.8.0-45-generic`.
    public var kernelRelease: String
    public var effectiveUID: UInt32
    public var userNamespaces: UserNamespaceAvailability
    public var cgroups: CgroupVersion
    /// Whether `overlay` is listed in `/proc/filesystems` (a module not yet loaded is not).
    public var hasOverlayFS: Bool

    public init(
        systemName: String, kernelRelease: String, effectiveUID: UInt32,
        userNamespaces: UserNamespaceAvailability, cgroups: CgroupVersion, hasOverlayFS: Bool
    ) {
        self.systemName = systemName
        self.kernelRelease = kernelRelease
        self.effectiveUID = effectiveUID
        self.userNamespaces = userNamespaces
        self.cgroups = cgroups
        self.hasOverlayFS = hasOverlayFS
    }

    public var isLinux: Bool { systemName == "Linux" }

    /// Probes the running machine and process.
    public static func current() -> MachineProbe {
        let names = try? Uname.current()
        let (system, release) = (names?.system ?? "unknown", names?.release ?? "unknown")
        let euid = UInt32(geteuid())
        guard system == "Linux" else {
            return MachineProbe(
                systemName: system, kernelRelease: release, effectiveUID: euid,
                userNamespaces: .blocked(reason: notLinuxReason(system), remedy: notLinuxRemedy),
                cgroups: .none, hasOverlayFS: false)
        }
        let userNamespaces = UserNamespaceAvailability.assess(
            kernelHasUserNamespaces: access("/proc/self/ns/user", F_OK) == 0, effectiveUID: euid,
            sysctl: UserNamespaceAvailability.readSysctl)
        return MachineProbe(
            systemName: system, kernelRelease: release, effectiveUID: euid, userNamespaces: userNamespaces,
            cgroups: probeCgroups(), hasOverlayFS: probeOverlayFS())
    }

    /// `uname -m`: `x86_64`, `aarch64`, …
    static func machineName() -> String {
        (try? Uname.current())?.machine ?? "unknown"
    }

    /// Why namespace demos cannot run on a system that is not Linux.
    static func notLinuxReason(_ system: String) -> Localized {
        Localized(
            ko: "네임스페이스는 리눅스 커널의 기능입니다. 이 시스템은 \(system)입니다",
            en: "namespaces are a Linux kernel feature; this system is \(system)")
    }

    /// The report of `demo` on a system that is not Linux: unavailable, saying why.
    func notLinuxReport(_ demo: DemoInfo) -> DemoReport {
        DemoReport(
            demo: demo.id, title: demo.title, mode: .unavailable, reason: Self.notLinuxReason(systemName),
            remedy: Self.notLinuxRemedy)
    }

    static let notLinuxRemedy = Localized(
        ko: "리눅스 머신이나 리눅스 VM(예: Lima, OrbStack, UTM)에서 ctutor를 실행하세요.",
        en: "Run ctutor on a Linux machine or in a Linux VM (e.g. Lima, OrbStack, UTM).")

    private static func probeCgroups() -> CgroupVersion {
        // The filesystem type tells the versions apart, not the directory listing.
        let cgroup2Magic: UInt = 0x6367_7270
        func magic(_ path: String) -> UInt? {
            var magic: UInt = 0
            return ctutor_fs_magic(path, &magic) == 0 ? magic : nil
        }
        guard let root = magic("/sys/fs/cgroup") else { return .none }
        if root == cgroup2Magic { return .v2 }
        return magic("/sys/fs/cgroup/unified") == cgroup2Magic ? .hybrid : .v1
    }

    private static func probeOverlayFS() -> Bool {
        // Lines look like "nodev\toverlay": the name is the last field.
        guard let text = try? ProcFS.readFile("/proc/filesystems") else { return false }
        return text.split(separator: "\n").contains { $0.split(whereSeparator: \.isWhitespace).last == "overlay" }
    }
}
