import TutorCore

/// An `lsns`-like table for one isolated process against the host: all eight kinds
/// of namespace, inode by inode, read from `/proc/<pid>/ns/*`. The process gets new
/// ones of every kind but user (root needs none; a rootless run has one anyway), so
/// the table shows what differs and what is shared.
public struct NamespacesOverviewDemo: Demo {
    /// The kinds it unshares that this kernel has (a kernel without time namespaces still shows the rest).
    public static var namespaces: Set<NamespaceKind> { unshared.filter(ProcFS.kernelHas) }

    public static let info = DemoInfo(
        id: "namespaces",
        title: Localized(ko: "여덟 가지 네임스페이스 한눈에 보기", en: "All eight namespaces at a glance"),
        summary: Localized(
            ko: "사용자 네임스페이스를 뺀 일곱 가지 새 네임스페이스에 자식을 만들고, lsns처럼 /proc/<pid>/ns/*의 inode를 "
                + "호스트와 종류별로 나란히 놓아 무엇이 새것이고 무엇을 공유하는지 보여 줍니다.",
            en: "Starts a child in new namespaces of seven kinds (all but user) and, like lsns, sets the inodes of its "
                + "/proc/<pid>/ns/* beside the host's, kind by kind: which are new and which are shared."))

    /// The kinds made new; user only when the run is rootless.
    static let unshared: Set<NamespaceKind> = [.mnt, .uts, .ipc, .pid, .net, .cgroup, .time]

    public let preference: ModePreference

    public init(preference: ModePreference = .auto) {
        self.preference = preference
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        let present = NamespaceKind.allCases.filter(ProcFS.kernelHas)
        return IsolatedRun(info: Self.info, preference: preference).run(
            spec: { _ in
                var spec = LaunchSpec(namespaces: Self.namespaces)
                spec.readLinks = present.map { "/proc/self/ns/\($0.rawValue)" }
                return spec
            },
            observe: { process, context, report in
                let made = Self.unshared.union(context.rootless ? [.user] : [])
                report.observations = try NamespaceKind.allCases.map { kind in
                    guard present.contains(kind) else {
                        return Observation(
                            id: "\(kind.rawValue)-ns",
                            label: Localized(ko: "\(kind.label.ko) (이 커널에 없음)", en: "\(kind.label.en) (not in this kernel)"),
                            expect: .show, host: "-", inside: "-")
                    }
                    return try DemoEvidence.namespace(kind, of: process, expect: made.contains(kind) ? .differ : .match)
                }
                report.steps += try childrenSteps(process, present: present)
                report.steps.append(DemoEvidence.readStep(process.pid, present.map { "ns/\($0.rawValue)" }))
                if !context.rootless {
                    report.steps.append(
                        Localized(
                            ko: "user는 새로 만들지 않아 호스트와 같음: root는 다른 네임스페이스를 만드는 데 사용자 네임스페이스가 필요 없음",
                            en: "user was not unshared, so it is the host's: root needs no user namespace to make the others"))
                }
            },
            whileAlive: whileAlive)
    }

    /// `unshare(CLONE_NEWPID|CLONE_NEWTIME)` moves only the caller's future children;
    /// the isolated process, cloned after it, is inside both: its own link and its
    /// `*_for_children` link name the same namespace. Checked, and said.
    private func childrenSteps(_ process: LaunchedProcess, present: [NamespaceKind]) throws -> [Localized] {
        try [NamespaceKind.pid, .time].filter(present.contains).map { kind in
            let own = try ProcFS.namespace(kind, pid: process.pid)
            let path = "/proc/\(process.pid)/ns/\(kind.rawValue)_for_children"
            let forChildren = try ProcFS.readLink(path)
            guard forChildren == own.description else {
                throw EvidenceMismatch(
                    detail: Localized(
                        ko: "\(path)(\(forChildren))가 /proc/\(process.pid)/ns/\(kind.rawValue)(\(own))와 다릅니다",
                        en: "\(path) (\(forChildren)) differs from /proc/\(process.pid)/ns/\(kind.rawValue) (\(own))"))
            }
            return Localized(
                ko: "런처의 unshare(\(kind.cloneFlagName))는 런처의 자식부터 적용됨: 자식의 ns/\(kind.rawValue)와 "
                    + "ns/\(kind.rawValue)_for_children이 모두 \(own)",
                en: "the launcher's unshare(\(kind.cloneFlagName)) applies from its children on: the child's ns/\(kind.rawValue) "
                    + "and ns/\(kind.rawValue)_for_children both read \(own)")
        }
    }
}
