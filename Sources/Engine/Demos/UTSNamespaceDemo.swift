import TutorCore

#if os(Linux)
import Glibc
#endif

/// Gives a child process its own hostname (a new UTS namespace) and its own PID 1
/// (a new PID namespace), then shows from outside that the host is untouched.
///
/// The evidence is read by the parent from `/proc/<pid>`, not taken from the child's
/// word; where the child reports too, the two must agree.
public struct UTSNamespaceDemo: Demo {
    public static let info = DemoInfo(
        id: "uts",
        title: Localized(ko: "UTS 네임스페이스: 나만의 호스트 이름", en: "UTS namespace: a hostname of its own"),
        summary: Localized(
            ko: "새 UTS·PID 네임스페이스에 자식 프로세스를 만들어 호스트 이름을 바꾼 뒤, 바깥(/proc/<pid>)에서 "
                + "호스트의 이름은 그대로이고 자식은 자기 PID 네임스페이스에서 1번 프로세스임을 확인합니다.",
            en: "Puts a child in new UTS and PID namespaces and sets its hostname, then shows from outside "
                + "(/proc/<pid>) that the host's hostname is unchanged and the child is PID 1 in its own PID namespace."))

    public static let namespaces: Set<NamespaceKind> = [.uts, .pid]

    /// The hostname the child sets inside its namespace.
    public let hostname: String
    public let preference: ModePreference

    public init(preference: ModePreference) {
        self.init(hostname: "ctutor-demo", preference: preference)
    }

    /// - Precondition: `hostname` is 1 to 64 bytes with no whitespace (what `sethostname` accepts).
    public init(hostname: String = "ctutor-demo", preference: ModePreference = .auto) {
        precondition(
            (1...64).contains(hostname.utf8.count) && !hostname.contains(where: \.isWhitespace),
            "hostname must be 1 to 64 bytes without whitespace")
        self.hostname = hostname
        self.preference = preference
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        IsolatedRun(info: Self.info, preference: preference).run(
            spec: { _ in
                var spec = LaunchSpec(namespaces: Self.namespaces)
                spec.hostname = hostname
                spec.readLinks = ["/proc/self/ns/uts"]
                return spec
            },
            observe: { process, context, report in
                report.observations = try observe(process, rootless: context.rootless)
                let fields = context.rootless ? "NSpid, Uid" : "NSpid"
                report.steps.append(DemoEvidence.readStep(process.pid, ["ns/uts", "ns/pid", "status (\(fields))"]))
            },
            whileAlive: whileAlive)
    }

    /// Reads the evidence from outside and checks it against what the child said.
    private func observe(_ process: LaunchedProcess, rootless: Bool) throws -> [Observation] {
        let pid = process.pid
        let inside = process.inside
        guard inside.hostname == hostname else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "자식의 호스트 이름을 \"\(hostname)\"(으)로 바꿨지만 자식은 \"\(inside.hostname ?? "")\"(이)라고 알립니다",
                    en: "the child's hostname is \"\(inside.hostname ?? "")\", not \"\(hostname)\""))
        }
        let innerPID = try DemoEvidence.namespacePIDs(of: process).last ?? 0
        let statusPath = "/proc/\(pid)/status"
        let status = try ProcFS.status(pid: pid)
        let host = try Uname.current()

        var observations = [
            Observation(
                id: "hostname", label: Localized(ko: "호스트 이름", en: "Hostname"),
                host: host.node, inside: hostname),
            try DemoEvidence.namespace(.uts, of: process),
            try DemoEvidence.namespace(.pid, of: process),
            Observation(
                id: "pid", label: Localized(ko: "자식의 PID", en: "Child's PID"), host: "\(pid)", inside: "\(innerPID)"),
            Observation(
                id: "kernel", label: Localized(ko: "커널 릴리스", en: "Kernel release"), expect: .match,
                host: host.release, inside: inside.values["release"] ?? "?"),
        ]
        if rootless {
            guard let hostUID = status.uids?.first else {
                throw ProcFormatError(path: statusPath, problem: "no Uid line")
            }
            observations.append(try DemoEvidence.namespace(.user, of: process))
            observations.append(
                // Root forced into rootless mode maps root to root: the same number, rightly.
                Observation(
                    id: "uid", label: Localized(ko: "자식의 UID", en: "Child's UID"), expect: hostUID == 0 ? .match : .differ,
                    host: "\(hostUID)",
                    inside: inside.values["uid"] ?? "?"))
        }
        return observations
    }
}
