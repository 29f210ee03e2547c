import TutorCore

/// Puts a child in a new cgroup namespace and compares its cgroup membership as the
/// host reads it (`/proc/<pid>/cgroup`, the real path) with what the child reads
/// inside (`/proc/self/cgroup`, `/` for the cgroup it was made in). It moves no
/// process and makes no cgroup: a cgroup namespace changes only the view.
public struct CgroupNamespaceDemo: Demo {
    public static let namespaces: Set<NamespaceKind> = [.cgroup]

    public static let info = DemoInfo(
        id: "cgroup",
        title: Localized(ko: "cgroup 네임스페이스: 내 자리가 뿌리로 보인다", en: "Cgroup namespace: your place looks like the root"),
        summary: Localized(
            ko: "새 cgroup 네임스페이스의 자식이 읽은 /proc/self/cgroup과 호스트가 바깥에서 읽은 /proc/<pid>/cgroup을 "
                + "견줍니다. 같은 cgroup이 안에서는 뿌리(/)로 보입니다. cgroup v1, v2 모두 됩니다.",
            en: "Compares /proc/self/cgroup as a child in a new cgroup namespace reads it with /proc/<pid>/cgroup as "
                + "the host reads it: the same cgroup looks like the root (/) inside. Works on cgroup v1 and v2."))

    public let preference: ModePreference

    public init(preference: ModePreference = .auto) {
        self.preference = preference
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        IsolatedRun(info: Self.info, preference: preference).run(
            spec: { _ in
                var spec = LaunchSpec(namespaces: Self.namespaces)
                spec.readLinks = ["/proc/self/ns/cgroup"]
                spec.readFiles = ["/proc/self/cgroup"]
                return spec
            },
            observe: { process, _, report in
                report.observations = try observe(process, report: &report)
                report.steps.append(DemoEvidence.readStep(process.pid, ["ns/cgroup", "cgroup"]))
            },
            whileAlive: whileAlive)
    }

    /// One line of a `cgroup` file: `hierarchy-ID:controllers:path` (`0::/` on v2).
    struct Membership: Equatable {
        var hierarchy: String
        var path: String

        static func parse(_ text: String) -> [Membership] {
            text.split(separator: "\n").compactMap { line in
                let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
                guard parts.count == 3 else { return nil }
                return Membership(hierarchy: "\(parts[0]):\(parts[1])", path: String(parts[2]))
            }
        }

        var line: String { "\(hierarchy):\(path)" }
    }

    private func observe(_ process: LaunchedProcess, report: inout DemoReport) throws -> [Observation] {
        let hostPath = "/proc/\(process.pid)/cgroup"
        let host = Membership.parse(try ProcFS.readFile(hostPath))
        let inside = Membership.parse(try DemoEvidence.insideFile("/proc/self/cgroup", of: process))
        // Made where the child still is, the namespace's root is the child's own cgroup
        // in every hierarchy: inside, each line must read "/", for the same hierarchies.
        guard !host.isEmpty, host.map(\.hierarchy) == inside.map(\.hierarchy), inside.allSatisfy({ $0.path == "/" })
        else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "자식이 읽은 cgroup(\(inside.map(\.line)))이 \(hostPath)의 계층마다 /가 아닙니다",
                    en: "the child's cgroup lines (\(inside.map(\.line))) are not / for each hierarchy of \(hostPath)"))
        }
        let hidden = host.filter { $0.path != "/" }
        if hidden.isEmpty {
            report.steps.append(
                Localized(
                    ko: "ctutor가 모든 계층에서 뿌리 cgroup에 있으므로 양쪽 모두 /로 보입니다. cgroup 네임스페이스는 "
                        + "만들어진 자리 위쪽 경로만 감추는데, 여기에는 감출 위쪽이 없습니다",
                    en: "ctutor runs in the root cgroup of every hierarchy, so both views read /: a cgroup namespace "
                        + "hides only the path above where it was made, and here there is nothing above"))
        } else {
            let paths = Set(hidden.map(\.path)).sorted().joined(separator: ", ")
            report.steps.append(
                Localized(
                    ko: "안에서는 \(paths) 경로가 /로 보임: 자식은 자기 cgroup 위쪽의 경로를 모름",
                    en: "inside, \(paths) reads as /: the child cannot see the path above its cgroup"))
        }
        return [
            try DemoEvidence.namespace(.cgroup, of: process),
            Observation(
                id: "cgroup", label: Localized(ko: "cgroup 파일 (계층:컨트롤러:경로)", en: "cgroup file (hierarchy:controllers:path)"),
                expect: hidden.isEmpty ? .match : .differ,
                host: host.map(\.line).joined(separator: "\n"), inside: inside.map(\.line).joined(separator: "\n")),
        ]
    }
}
