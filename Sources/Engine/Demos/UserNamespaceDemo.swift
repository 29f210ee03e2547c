import TutorCore

#if os(Linux)
import Glibc
#endif

/// Puts a child in a new user namespace, where it is root with every capability,
/// and shows from outside (`/proc/<pid>/status`, `/proc/<pid>/uid_map`) which UID
/// that root is on the host. Root runs it too: the demo is about this namespace, so
/// root maps the child's root to an unprivileged range, as `/etc/subuid` hands out.
public struct UserNamespaceDemo: Demo {
    public static let namespaces: Set<NamespaceKind> = [.user]

    public static let info = DemoInfo(
        id: "user",
        title: Localized(ko: "사용자 네임스페이스: 안에서는 root, 밖에서는 나", en: "User namespace: root inside, yourself outside"),
        summary: Localized(
            ko: "새 사용자 네임스페이스의 자식이 안에서는 UID 0이고 모든 capability를 가졌지만, 호스트는 그 프로세스를 "
                + "uid_map대로 다른 UID로 본다는 것을 /proc/<pid>/status와 uid_map으로 확인합니다.",
            en: "Shows with /proc/<pid>/status and uid_map that a child in a new user namespace is UID 0 with every "
                + "capability inside, while the host sees it as the UID its uid_map names."))

    /// Root's map in real mode: 65536 IDs from 100000, the first range `useradd` gives in `/etc/subuid`.
    static let rootMap = LaunchSpec.IDMapping(inside: 0, outside: 100_000, count: 65_536)

    public let preference: ModePreference

    public init(preference: ModePreference = .auto) {
        self.preference = preference
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        IsolatedRun(info: Self.info, preference: preference).run(
            spec: { rootless in
                var spec = LaunchSpec(namespaces: Self.namespaces)
                if !rootless {
                    spec.uidMap = [Self.rootMap]
                    spec.gidMap = [Self.rootMap]
                }
                spec.readLinks = ["/proc/self/ns/user"]
                spec.readFiles = ["/proc/self/uid_map"]
                return spec
            },
            observe: { process, context, report in
                if !context.rootless {
                    // Said first: it is why the launcher's map reads as it does.
                    report.steps.insert(
                        Localized(
                            ko: "ctutor는 root(UID 0)로 돌지만, 안의 root를 바깥의 UID \(Self.rootMap.outside)에 대응시킴: "
                                + "/etc/subuid가 나눠 주는 것과 같은 특권 없는 범위",
                            en: "ctutor runs as root (UID 0) but maps root inside to UID \(Self.rootMap.outside) outside: "
                                + "an unprivileged range, like those /etc/subuid hands out"),
                        at: 0)
                }
                report.observations = try observe(process)
                report.steps.append(
                    Localized(
                        ko: "자식의 CapEff는 모든 capability지만, 그 힘은 자기 사용자 네임스페이스가 가진 것에만 미침: "
                            + "호스트의 파일과 프로세스 앞에서는 바깥 UID의 권한뿐",
                        en: "the child's CapEff holds every capability, but only over what its user namespace owns: "
                            + "towards the host's files and processes it has only its outside UID's rights"))
                report.steps.append(DemoEvidence.readStep(process.pid, ["ns/user", "status (Uid, Gid, CapEff)", "uid_map"]))
            },
            whileAlive: whileAlive)
    }

    private func observe(_ process: LaunchedProcess) throws -> [Observation] {
        let statusPath = "/proc/\(process.pid)/status"
        let status = try ProcFS.status(pid: process.pid)
        let caller = try ProcFS.status(pid: getpid())
        guard let uid = status.uids?.first, let gid = status.gids?.first else {
            throw ProcFormatError(path: statusPath, problem: "no Uid or Gid line")
        }
        guard let childCaps = status.effectiveCapabilities, let callerCaps = caller.effectiveCapabilities else {
            throw ProcFormatError(path: statusPath, problem: "no CapEff line")
        }
        let allCaps = try Capabilities.all()
        // Whoever makes a user namespace holds every capability in it.
        guard childCaps == allCaps else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko:
                        "\(statusPath)의 CapEff가 모든 capability(\(Capabilities.describe(allCaps, of: allCaps)))가 아니라 \(Capabilities.describe(childCaps, of: allCaps))입니다",
                    en:
                        "CapEff in \(statusPath) is \(Capabilities.describe(childCaps, of: allCaps)), not every capability (\(Capabilities.describe(allCaps, of: allCaps)))"
                ))
        }
        let mapOutside = DemoEvidence.singleSpaced(try ProcFS.readFile("/proc/\(process.pid)/uid_map"))
        let mapInside = DemoEvidence.singleSpaced(try DemoEvidence.insideFile("/proc/self/uid_map", of: process))
        let insideUID = process.inside.uid.map(String.init) ?? "?"
        let insideGID = process.inside.values["gid"] ?? "?"
        return [
            try DemoEvidence.namespace(.user, of: process),
            // Root forced into rootless mode maps root to root: the same number, rightly.
            Observation(
                id: "uid", label: Localized(ko: "자식의 UID", en: "Child's UID"), expect: uid == 0 ? .match : .differ,
                host: "\(uid)", inside: insideUID),
            Observation(
                id: "gid", label: Localized(ko: "자식의 GID", en: "Child's GID"), expect: gid == 0 ? .match : .differ,
                host: "\(gid)", inside: insideGID),
            Observation(
                id: "uid-map",
                label: Localized(ko: "uid_map (안 바깥 개수)", en: "uid_map (inside outside count)"), expect: .match,
                host: mapOutside, inside: mapInside),
            Observation(
                id: "capabilities",
                label: Localized(ko: "유효 capability (CapEff)", en: "Effective capabilities (CapEff)"),
                expect: callerCaps == childCaps ? .match : .differ,
                sides: [
                    ObservationSide(
                        role: "host", label: Localized(ko: "ctutor 자신", en: "ctutor itself"),
                        value: Capabilities.describe(callerCaps, of: allCaps)),
                    ObservationSide(
                        role: "inside", label: Localized(ko: "자식 (자기 네임스페이스 안에서만)", en: "Child (within its namespace only)"),
                        value: Capabilities.describe(childCaps, of: allCaps)),
                ]),
        ]
    }

}
