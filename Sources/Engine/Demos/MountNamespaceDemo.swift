import TutorCore

#if os(Linux)
import Glibc
#endif

/// Mounts a tmpfs inside a new mount namespace whose mounts were first made private,
/// then compares, from outside, the child's `/proc/<pid>/mountinfo` with the host's:
/// the tmpfs is only in the child's, and the root's propagation differs.
public struct MountNamespaceDemo: Demo {
    public static let namespaces: Set<NamespaceKind> = [.mnt]

    public static let info = DemoInfo(
        id: "mnt",
        title: Localized(ko: "마운트 네임스페이스: 나만의 마운트 목록", en: "Mount namespace: a mount list of its own"),
        summary: Localized(
            ko: "새 마운트 네임스페이스에서 모든 마운트를 private으로 바꾸고 tmpfs를 마운트한 뒤, 바깥에서 자식의 "
                + "/proc/<pid>/mountinfo에는 있고 호스트의 mountinfo에는 없음을 확인합니다.",
            en: "Makes every mount private in a new mount namespace and mounts a tmpfs there, then shows from outside "
                + "that it is in the child's /proc/<pid>/mountinfo and not in the host's."))

    /// The tmpfs's source name, to find it in `mountinfo`.
    static let source = "ctutor-demo"

    public let preference: ModePreference
    /// Where the tmpfs goes: an existing directory (none is made on the host).
    public let target: String

    public init(preference: ModePreference = .auto) {
        self.init(target: Self.existingDirectory(["/mnt", "/tmp"]), preference: preference)
    }

    /// - Precondition: `target` is an absolute path.
    public init(target: String, preference: ModePreference = .auto) {
        precondition(target.hasPrefix("/"), "the mount target must be an absolute path")
        self.target = target
        self.preference = preference
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        IsolatedRun(info: Self.info, preference: preference).run(
            spec: { _ in
                var spec = LaunchSpec(namespaces: Self.namespaces)
                spec.privateMounts = true
                spec.mounts = [
                    LaunchSpec.Mount(
                        type: "tmpfs", source: Self.source, target: target, flags: UInt64(MS_NOSUID | MS_NODEV),
                        data: "size=1m,mode=0755")
                ]
                spec.readLinks = ["/proc/self/ns/mnt"]
                spec.readFiles = ["/proc/self/mountinfo"]
                return spec
            },
            observe: { process, _, report in
                report.observations = try observe(process, report: &report)
                report.steps.append(DemoEvidence.readStep(process.pid, ["ns/mnt", "mountinfo", "/proc/self/mountinfo"]))
            },
            whileAlive: whileAlive)
    }

    private func observe(_ process: LaunchedProcess, report: inout DemoReport) throws -> [Observation] {
        let host = MountInfoEntry.parse(try ProcFS.readFile("/proc/self/mountinfo"))
        let child = MountInfoEntry.parse(try ProcFS.readFile("/proc/\(process.pid)/mountinfo"))
        let ownView = MountInfoEntry.parse(try DemoEvidence.insideFile("/proc/self/mountinfo", of: process))
        guard let tmpfs = child.last(where: { $0.mountPoint == target && $0.fsType == "tmpfs" && $0.source == Self.source })
        else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "/proc/\(process.pid)/mountinfo에 \(target)의 tmpfs가 없습니다",
                    en: "/proc/\(process.pid)/mountinfo has no tmpfs at \(target)"))
        }
        guard ownView.contains(where: { $0.mountID == tmpfs.mountID }) else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "자식이 안에서 읽은 mountinfo에 마운트 ID \(KoreanParticle.iGa.attached(to: "\(tmpfs.mountID)")) 없습니다",
                    en: "the child's own mountinfo lacks mount ID \(tmpfs.mountID)"))
        }
        let onHost = host.last { $0.mountID == tmpfs.mountID || $0.mountPoint == target }
        let hostRoot = host.last { $0.mountPoint == "/" }
        let childRoot = child.last { $0.mountPoint == "/" }
        if hostRoot?.optionalFields.isEmpty == true {
            report.steps.append(
                Localized(
                    ko: "이 호스트의 /는 처음부터 private입니다(mountinfo에 shared:N이 없음). systemd가 도는 배포판이라면 "
                        + "호스트 쪽에 shared:1이 보였을 것입니다",
                    en: "this host's / is private already (no shared:N in its mountinfo); on a distribution "
                        + "running systemd the host side would read shared:1"))
        }
        return [
            try DemoEvidence.namespace(.mnt, of: process),
            Observation(
                id: "tmpfs", label: Localized(ko: "\(target)의 마운트", en: "What is mounted at \(target)"),
                host: onHost?.summary ?? "-", inside: tmpfs.summary),
            Observation(
                id: "mount-count", label: Localized(ko: "mountinfo의 마운트 수", en: "Mounts in mountinfo"),
                host: "\(host.count)", inside: "\(child.count)"),
            Observation(
                id: "propagation", label: Localized(ko: "/의 전파 방식", en: "Propagation of /"),
                expect: hostRoot?.optionalFields.isEmpty == true ? .match : .differ,
                host: hostRoot?.propagation ?? "-", inside: childRoot?.propagation ?? "-"),
        ]
    }

    /// The first of `candidates` that is a directory (not a symbolic link to one).
    static func existingDirectory(_ candidates: [String]) -> String {
        candidates.first { path in
            var info = stat()
            return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        } ?? "/tmp"
    }
}
