import TutorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The cgroup(s) one container runs in, with its limits written before any process
/// joins: `/sys/fs/cgroup/ctutor/<name>` on v2, `/sys/fs/cgroup/<controller>/ctutor/<name>`
/// in each v1 hierarchy ctutor uses, or below the user's delegated cgroup when rootless.
///
/// The container's process joins by writing its own PID into every ``procsFiles``
/// entry before it unshares its cgroup namespace; ``remove()`` ends whatever is left.
public final class ContainerCgroup: Sendable {
    /// Which cgroup interface the container's cgroups use.
    public enum Version: String, Sendable, Codable {
        case v1, v2
    }

    public let name: String
    public let version: Version
    /// The directories made for this container, one per hierarchy: what a crash record
    /// keeps so that a later sweep can pass them to ``remove(directories:)``.
    public let directories: [String]
    private let filesByPrefix: [String: String]

    init(name: String, plan: CgroupPlan) {
        self.name = name
        version = plan.version
        directories = plan.directories
        filesByPrefix = plan.filesByPrefix
    }

    /// The `cgroup.procs` files a process writes its own PID (or `0`) into to join
    /// every hierarchy of this container.
    public var procsFiles: [String] { directories.map { $0 + "/cgroup.procs" } }

    /// Makes the container's cgroup(s) and writes `limits` into them.
    ///
    /// As root: v2 at `/sys/fs/cgroup/ctutor/<name>` (controllers enabled on the way
    /// down), or v1 in the memory, pids, cpu, cpuacct and freezer hierarchies. As
    /// another user: only below a cgroup v2 delegated to that user
    /// (``rootlessSupport(needing:)``); anything else is refused with the reason and a
    /// remedy, never a limit quietly dropped — even with no limits, since a cgroup is made.
    /// - Parameters:
    ///   - name: `[A-Za-z0-9_.-]`, at most 64 characters: a name, never a path.
    ///   - beforeMaking: given the directories about to be made, before the first `mkdir`,
    ///     so a crash record names them even if the process is killed halfway.
    public static func create(
        name: String, limits: ResourceLimits, beforeMaking: ([String]) -> Void = { _ in }
    ) throws(CgroupError) -> ContainerCgroup {
        guard isValidName(name) else {
            throw .invalid(
                Localized(
                    ko: "cgroup 이름 \(KoreanParticle.eulReul.attached(to: "\"\(name)\"")) 쓸 수 없습니다. 영문자, 숫자, _ . - 로 64자까지입니다",
                    en: "cannot use \"\(name)\" as a cgroup name: use up to 64 letters, digits, _ . -"))
        }
        if let problem = limits.problem(onlineCPUs: max(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 1)) {
            throw .invalid(problem)
        }
        let plan: CgroupPlan
        if geteuid() != 0 {
            let base = try RootlessDelegation.current().delegatedCgroup(needing: limits.controllers).get()
            plan = try CgroupV2Layout(base: base).plan(name: name, limits: limits)
        } else {
            switch MachineProbe.current().cgroups {
            case .v2:
                plan = try CgroupV2Layout(base: "/sys/fs/cgroup").plan(name: name, limits: limits)
            case .v1, .hybrid:
                let mountinfo = try CgroupFS.read("/proc/self/mountinfo")
                plan = try CgroupV1Layout(hierarchies: CgroupV1Layout.hierarchies(mountinfo: mountinfo))
                    .plan(name: name, limits: limits)
            case .none:
                throw .notMounted
            }
        }
        beforeMaking(plan.directories)
        try plan.apply()
        return ContainerCgroup(name: name, plan: plan)
    }

    /// Whether an unprivileged user can have limits with `controllers` here: on cgroup
    /// v2, in a cgroup delegated to them that holds ctutor's own; otherwise why not and
    /// what to do. For the runtime before it starts and for `ctutor doctor`.
    ///
    /// It answers for the user ctutor runs as. Root never needs delegation (``create(name:limits:)``
    /// uses the whole hierarchy), and on v2 root owns every cgroup, so there the answer
    /// says little about a learner's account; on v1 the refusal holds for every user.
    public static func rootlessSupport(
        needing controllers: Set<CgroupController> = Set(CgroupController.allCases)
    ) -> Result<Void, CgroupError> {
        RootlessDelegation.current().delegatedCgroup(needing: controllers).map { _ in () }
    }

    /// The limits as the kernel holds them now, and what the container has used.
    public func statistics() -> CgroupStatistics {
        CgroupStatistics(version: version, filesByPrefix: filesByPrefix)
    }

    /// Kills every process still in the container's cgroups (a fork bomb included) and
    /// removes them. Calling it again does nothing.
    public func remove() throws(CgroupError) {
        try Self.remove(directories: directories)
    }

    /// The same for the directories a run that died recorded. Directories already gone
    /// are fine; a path that is not `…/ctutor/<name>` on a cgroup filesystem is refused.
    public static func remove(directories: [String]) throws(CgroupError) {
        try CgroupRemoval.remove(directories: directories)
    }

    /// `[A-Za-z0-9_.-]`, 1 to 64 characters, and not `.` or `..`.
    static func isValidName(_ name: String) -> Bool {
        let allowed = name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "_.-".utf8.contains(byte)
        }
        return allowed && (1...64).contains(name.utf8.count) && name != "." && name != ".."
    }
}
