import TutorCore

#if os(Linux)
import Glibc
#endif

/// Starts a process as PID 1 of a new PID namespace, with a fresh `/proc` in a new
/// mount namespace, then a second process that joins both (as `nsenter -p -m` does).
/// Inside, `/proc` lists only the two; the host lists every process of the system
/// and, scanning `/proc/*/ns/pid` from outside, finds exactly those two in the new
/// namespace.
public struct PIDNamespaceDemo: Demo {
    public static let namespaces: Set<NamespaceKind> = [.pid, .mnt]

    public static let info = DemoInfo(
        id: "pid",
        title: Localized(ko: "PID 네임스페이스: 자기만의 PID 1", en: "PID namespace: a PID 1 of its own"),
        summary: Localized(
            ko: "새 PID 네임스페이스의 첫 프로세스가 안에서는 PID 1이고 호스트에서는 다른 번호임을 NSpid로 확인하고, "
                + "새로 마운트한 /proc 안에서는 그 네임스페이스의 프로세스만 보이는 것을 호스트의 목록과 견줍니다.",
            en: "Shows with NSpid that the first process of a new PID namespace is PID 1 inside and another number on "
                + "the host, and that a fresh /proc inside lists only that namespace's processes while the host lists all."))

    public let preference: ModePreference

    public init(preference: ModePreference = .auto) {
        self.preference = preference
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        IsolatedRun(info: Self.info, preference: preference).run(
            spec: { _ in
                var spec = LaunchSpec(namespaces: Self.namespaces)
                spec.privateMounts = true
                // A /proc of the new PID namespace, over the host's, inside the new mount namespace only.
                spec.mounts = [
                    LaunchSpec.Mount(
                        type: "proc", source: "proc", target: "/proc", flags: UInt64(MS_NOSUID | MS_NODEV | MS_NOEXEC))
                ]
                spec.readLinks = ["/proc/self/ns/pid"]
                spec.readFiles = ["/proc/self/status"]
                spec.readDirectories = ["/proc"]
                return spec
            },
            observe: { first, context, report in
                let second = try context.launch(joining: first, kinds: [.pid, .mnt]) { $0.readDirectories = ["/proc"] }
                report.steps += second.steps
                report.observations = try observe(first, second)
                report.steps.append(
                    Localized(
                        ko: "PID 1이 새로 마운트한 /proc을 처음 읽었을 때는 자기(1)만 보였음",
                        en: "when PID 1 first listed its fresh /proc, it saw only itself (1)"))
                report.steps.append(
                    DemoEvidence.readStep(first.pid, ["ns/pid", "status (NSpid)", "/proc/\(second.pid)/status (NSpid)", "/proc/*/ns/pid"]))
            },
            whileAlive: whileAlive)
    }

    private func observe(_ first: LaunchedProcess, _ second: LaunchedProcess) throws -> [Observation] {
        let firstPIDs = try DemoEvidence.namespacePIDs(of: first)
        let secondPIDs = try DemoEvidence.namespacePIDs(of: second)
        let ownStatus = ProcessStatus(parsing: try DemoEvidence.insideFile("/proc/self/status", of: first))
        let seenBySecond = try listedPIDs(second)
        let seenByFirst = try listedPIDs(first)
        // PID 1 listed /proc before the second process existed: it was alone.
        guard seenByFirst == [1] else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "새 /proc을 처음 읽은 PID 1이 자기만이 아니라 \(KoreanParticle.eulReul.attached(to: "\(seenByFirst)")) 보았습니다",
                    en: "PID 1 listed \(seenByFirst) in its fresh /proc, not only itself"))
        }

        let hostPIDs = try ProcFS.pids()
        let namespace = try ProcFS.namespace(.pid, pid: first.pid)
        // Who is in the new namespace, found by the host: each process whose link names
        // it, by the PID it has there (the last NSpid).
        let members = hostPIDs.compactMap { pid -> Int32? in
            guard (try? ProcFS.namespace(.pid, pid: pid)) == namespace else { return nil }
            return (try? ProcFS.status(pid: pid))?.namespacePIDs?.last
        }.sorted()

        return [
            try DemoEvidence.namespace(.pid, of: first),
            Observation(
                id: "pid", label: Localized(ko: "첫 프로세스의 PID", en: "First process's PID"),
                host: "\(first.pid)", inside: "\(firstPIDs.last ?? 0)"),
            Observation(
                id: "nspid", label: Localized(ko: "status의 NSpid 줄", en: "NSpid line of its status"),
                host: "NSpid: " + firstPIDs.map(String.init).joined(separator: " "),
                inside: "NSpid: " + (ownStatus.namespacePIDs ?? []).map(String.init).joined(separator: " ")),
            Observation(
                id: "second-pid",
                label: Localized(ko: "나중에 들어온 두 번째 프로세스의 PID", en: "Second process's PID (joined later)"),
                host: "\(second.pid)", inside: "\(secondPIDs.last ?? 0)"),
            Observation(
                id: "processes", label: Localized(ko: "/proc에 보이는 프로세스", en: "Processes listed in /proc"),
                host: "\(hostPIDs.count)", inside: Self.list(seenBySecond)),
            Observation(
                id: "members", label: Localized(ko: "새 PID 네임스페이스의 프로세스", en: "Processes in the new PID namespace"),
                expect: .match,
                sides: [
                    ObservationSide(
                        role: "host", label: Localized(ko: "호스트가 /proc/*/ns/pid로 셈", en: "Host, by /proc/*/ns/pid"),
                        value: Self.list(members)),
                    ObservationSide(
                        role: "inside", label: Localized(ko: "두 번째 프로세스가 본 /proc", en: "/proc as the second process sees it"),
                        value: Self.list(seenBySecond)),
                ]),
        ]
    }

    /// The PIDs a process found listing `/proc` from inside.
    private func listedPIDs(_ process: LaunchedProcess) throws -> [Int32] {
        guard let names = process.inside.directories["/proc"] else {
            throw SyscallError(call: "opendir /proc inside", errno: process.inside.errors["/proc"] ?? EPROTO)
        }
        return names.compactMap { Int32($0) }.sorted()
    }

    /// `2 (1, 2)`: how many, and which.
    private static func list(_ pids: [Int32]) -> String {
        "\(pids.count) (" + pids.map(String.init).joined(separator: ", ") + ")"
    }
}
