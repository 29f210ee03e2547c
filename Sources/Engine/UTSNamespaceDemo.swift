import TutorCore

#if os(Linux)
import CShim
import Glibc
#endif

/// Gives a child process its own hostname (a new UTS namespace) and its own PID 1
/// (a new PID namespace), then shows from outside that the host is untouched.
///
/// The evidence is read by the parent from `/proc/<pid>`, not taken from the child's
/// word; where the child reports too, the two must agree.
public struct UTSNamespaceDemo: Demo {
    /// The catalog entry.
    public static let info = DemoInfo(
        id: "uts",
        title: Localized(ko: "UTS 네임스페이스: 나만의 호스트 이름", en: "UTS namespace: a hostname of its own"),
        summary: Localized(
            ko: "새 UTS·PID 네임스페이스에 자식 프로세스를 만들어 호스트 이름을 바꾼 뒤, 바깥(/proc/<pid>)에서 "
                + "호스트의 이름은 그대로이고 자식은 자기 PID 네임스페이스에서 1번 프로세스임을 확인합니다.",
            en: "Clones a child into new UTS and PID namespaces and sets its hostname, then shows from outside "
                + "(/proc/<pid>) that the host's hostname is unchanged and the child is PID 1 in its own PID namespace."))

    /// The hostname the child sets inside its namespace.
    public let hostname: String
    public let preference: ModePreference

    /// - Precondition: `hostname` is 1 to 64 bytes with no whitespace (what `sethostname` accepts
    ///   and the child's one-line report can carry).
    public init(preference: ModePreference) {
        self.init(hostname: "ctutor-demo", preference: preference)
    }

    public init(hostname: String = "ctutor-demo", preference: ModePreference = .auto) {
        precondition(
            (1...64).contains(hostname.utf8.count) && !hostname.contains(where: \.isWhitespace),
            "hostname must be 1 to 64 bytes without whitespace")
        self.hostname = hostname
        self.preference = preference
    }

    /// Runs the demo and reaps its child before returning; blocks for a few
    /// milliseconds, plus however long `whileAlive` takes.
    ///
    /// - Parameter whileAlive: called once the observations are made, while the
    ///   child is still alive and blocked in its namespaces (for `--hold`, or for a
    ///   test to look for itself). If it throws, the report's `reason` says so and
    ///   the child is still reaped.
    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        let probe = MachineProbe.current()
        #if os(Linux)
        return run(probe: probe, whileAlive: whileAlive)
        #else
        return DemoReport(
            demo: Self.info.id, title: Self.info.title, mode: .unavailable,
            reason: MachineProbe.notLinuxReason(probe.systemName), remedy: MachineProbe.notLinuxRemedy)
        #endif
    }
}

#if os(Linux)
extension UTSNamespaceDemo {
    private func run(probe: MachineProbe, whileAlive: ((NamespaceChild) throws -> Void)?) -> DemoReport {
        let rootless = preference == .rootless || probe.effectiveUID != 0
        let flags = CTUTOR_CLONE_NEWUTS | CTUTOR_CLONE_NEWPID | (rootless ? CTUTOR_CLONE_NEWUSER : 0)
        let clone = "clone(\(rootless ? "CLONE_NEWUSER|" : "")CLONE_NEWUTS|CLONE_NEWPID)"
        var report = DemoReport(demo: Self.info.id, title: Self.info.title, mode: rootless ? .rootless : .real)

        let child: ClonedChild
        do throws(SyscallError) {
            child = try ClonedChild(namespaces: flags, hostname: hostname)
        } catch {
            // Name the flags, so the reason says which clone the kernel refused.
            let named = error.call == "clone" ? SyscallError(call: clone, errno: error.errno) : error
            report.record(DemoFailure(named, rootless: rootless, probe: probe))
            return report
        }
        let pid = child.pid
        report.steps.append(Localized(ko: "\(clone) → 호스트 PID \(pid)", en: "\(clone) → host PID \(pid)"))

        do {
            if rootless {
                report.steps.append(try mapRoot(into: pid))
            }
            try child.sendGo()
            let inside = try child.readReport(timeout: .seconds(2))
            report.steps.append(
                Localized(
                    ko: "자식: sethostname(\"\(hostname)\") → gethostname = \"\(inside.hostname)\", getpid = \(inside.pid)",
                    en: "child: sethostname(\"\(hostname)\") → gethostname = \"\(inside.hostname)\", getpid = \(inside.pid)"))
            report.observations = try observe(pid: pid, inside: inside, rootless: rootless)
            let fields = rootless ? "NSpid, Uid" : "NSpid"
            report.steps.append(
                Localized(
                    ko: "호스트: /proc/\(pid)/ns/uts, /proc/\(pid)/ns/pid 링크와 /proc/\(pid)/status(\(fields))를 바깥에서 읽음",
                    en: "host: read /proc/\(pid)/ns/uts, /proc/\(pid)/ns/pid and /proc/\(pid)/status (\(fields)) from outside"))
            try whileAlive?(NamespaceChild(pid: pid))
        } catch {
            report.record(DemoFailure(error, rootless: rootless, probe: probe))
        }

        let exit = child.finish()
        report.steps.append(
            Localized(ko: "동기화 소켓을 닫음: 자식이 _exit(0)할 차례", en: "close the sync socket: the child's cue to _exit(0)"))
        report.steps.append(exit.step)
        if exit.gone {
            report.steps.append(
                Localized(
                    ko: "/proc/\(pid) 디렉터리가 사라짐: 네임스페이스도 마지막 프로세스와 함께 사라짐",
                    en: "/proc/\(pid) is gone: the namespaces died with their last process"))
        }
        report.cleanup.append(exit.cleanup)
        return report
    }

    /// Maps root inside the child's new user namespace to our own IDs, as
    /// `unshare --map-root-user` does. Returns the step.
    private func mapRoot(into pid: Int32) throws(SyscallError) -> Localized {
        let uid = geteuid()
        let gid = getegid()
        // Unprivileged writers must give up setgroups before they may write gid_map.
        try ProcFS.writeFile("deny", to: "/proc/\(pid)/setgroups")
        try ProcFS.writeFile("0 \(uid) 1\n", to: "/proc/\(pid)/uid_map")
        try ProcFS.writeFile("0 \(gid) 1\n", to: "/proc/\(pid)/gid_map")
        return Localized(
            ko: "/proc/\(pid)/setgroups에 \"deny\", uid_map에 \"0 \(uid) 1\", gid_map에 \"0 \(gid) 1\" 기록: "
                + "자식은 자기 사용자 네임스페이스 안에서 root(UID 0)",
            en: "write \"deny\" to /proc/\(pid)/setgroups, \"0 \(uid) 1\" to uid_map, \"0 \(gid) 1\" to gid_map: "
                + "the child is root (UID 0) in its own user namespace")
    }

    /// Reads the evidence from outside and checks it against what the child said.
    private func observe(pid: Int32, inside: ChildReport, rootless: Bool) throws -> [Observation] {
        let hostUTS = try ProcFS.namespace(.uts)
        let childUTS = try ProcFS.namespace(.uts, pid: pid)
        guard childUTS.description == inside.utsNamespace else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "자식은 자기 UTS 네임스페이스를 \(inside.utsNamespace)(으)로 읽었지만 /proc/\(pid)/ns/uts는 \(childUTS)입니다",
                    en: "the child reads its UTS namespace as \(inside.utsNamespace) but /proc/\(pid)/ns/uts says \(childUTS)"))
        }
        guard inside.hostname == hostname else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "자식의 호스트 이름을 \"\(hostname)\"(으)로 바꿨지만 자식은 \"\(inside.hostname)\"(이)라고 알립니다",
                    en: "the child's hostname is \"\(inside.hostname)\", not \"\(hostname)\""))
        }
        let statusPath = "/proc/\(pid)/status"
        let status = try ProcFS.status(pid: pid)
        guard let nsPIDs = status.namespacePIDs, nsPIDs.count >= 2, let innerPID = nsPIDs.last else {
            throw ProcFormatError(path: statusPath, problem: "no NSpid line with a PID for each namespace")
        }
        guard nsPIDs.first == pid, innerPID == inside.pid else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "\(statusPath)의 NSpid(\(nsPIDs))가 호스트 PID \(pid), 자식의 getpid \(inside.pid)와 맞지 않습니다",
                    en: "NSpid \(nsPIDs) in \(statusPath) does not match host PID \(pid) and the child's getpid \(inside.pid)"))
        }

        var observations = [
            Observation(
                id: "hostname", label: Localized(ko: "호스트 이름", en: "Hostname"),
                host: try hostHostname(), inside: inside.hostname),
            Observation(
                id: "uts-ns", label: Localized(ko: "UTS 네임스페이스", en: "UTS namespace"),
                host: hostUTS.description, inside: childUTS.description),
            Observation(
                id: "pid-ns", label: Localized(ko: "PID 네임스페이스", en: "PID namespace"),
                host: try ProcFS.namespace(.pid).description, inside: try ProcFS.namespace(.pid, pid: pid).description),
            Observation(
                id: "pid", label: Localized(ko: "자식의 PID", en: "Child's PID"), host: "\(pid)", inside: "\(innerPID)"),
        ]
        if rootless {
            guard let hostUID = status.uids?.first else {
                throw ProcFormatError(path: statusPath, problem: "no Uid line")
            }
            observations.append(
                Observation(
                    id: "uid", label: Localized(ko: "자식의 UID", en: "Child's UID"), host: "\(hostUID)",
                    inside: "\(inside.uid)"))
        }
        return observations
    }

    private func hostHostname() throws(SyscallError) -> String {
        var name = [CChar](repeating: 0, count: 256)
        try retryingEINTR("gethostname") { gethostname(&name, name.count) }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
#endif

extension DemoReport {
    /// Records why the demo stopped; a machine that does not allow it makes the
    /// report `unavailable`, with no observations.
    mutating func record(_ failure: DemoFailure) {
        if failure.unavailable {
            mode = .unavailable
            observations = []
        }
        reason = failure.reason
        remedy = failure.remedy
    }
}
