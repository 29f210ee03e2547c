import TutorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Evidence a namespace demo reads from outside its isolated process, by host PID,
/// and checks against what the process said from inside: the child's word alone
/// is never the evidence.
enum DemoEvidence {
    /// The namespace of `kind` the host (this process) and `process` are in, read from
    /// `/proc/self/ns/<kind>` and `/proc/<pid>/ns/<kind>`. Where the process also read
    /// its own link from inside (``LaunchSpec/readLinks``), the two readings must agree.
    static func namespace(
        _ kind: NamespaceKind, of process: LaunchedProcess, expect: Expectation = .differ
    ) throws -> Observation {
        let outside = try ProcFS.namespace(kind, pid: process.pid)
        let ownPath = "/proc/self/ns/\(kind.rawValue)"
        if let own = process.inside.links[ownPath], own != outside.description {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "자식은 \(ownPath)를 \(own)(으)로 읽었지만 바깥의 /proc/\(process.pid)/ns/\(kind.rawValue)는 \(outside)입니다",
                    en: "the child reads \(ownPath) as \(own) but /proc/\(process.pid)/ns/\(kind.rawValue) outside says \(outside)"))
        }
        return Observation(
            id: "\(kind.rawValue)-ns", label: kind.label, expect: expect,
            host: try ProcFS.namespace(kind).description, inside: outside.description)
    }

    /// The process's PIDs from the `NSpid` line of `/proc/<pid>/status`, outermost
    /// first: the first must be its host PID and the last what `getpid()` told it.
    static func namespacePIDs(of process: LaunchedProcess) throws -> [Int32] {
        let path = "/proc/\(process.pid)/status"
        guard let pids = try ProcFS.status(pid: process.pid).namespacePIDs, pids.count >= 2 else {
            throw ProcFormatError(path: path, problem: "no NSpid line with a PID for each namespace")
        }
        guard pids.first == process.pid, pids.last == process.inside.pid else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "\(path)의 NSpid(\(pids))가 호스트 PID \(process.pid), 자식의 getpid \(KoreanParticle.gwaWa.attached(to: "\(process.inside.pid ?? -1)")) 맞지 않습니다",
                    en: "NSpid \(pids) in \(path) does not match host PID \(process.pid) and the child's getpid \(process.inside.pid ?? -1)"
                ))
        }
        return pids
    }

    /// A file the process read from inside (``LaunchSpec/readFiles``), or why not.
    static func insideFile(_ path: String, of process: LaunchedProcess) throws -> String {
        if let text = process.inside.files[path] { return text }
        throw SyscallError(call: "read \(path) inside", errno: process.inside.errors[path] ?? EPROTO)
    }

    /// A table-like `/proc` text (`uid_map`, `timens_offsets`) with its columns single-spaced.
    static func singleSpaced(_ text: String) -> String {
        text.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            .joined(separator: "\n")
    }

    /// The step that says what the host read about `pid` from outside.
    static func readStep(_ pid: Int32, _ files: [String]) -> Localized {
        let list = files.map { $0.hasPrefix("/") ? $0 : "/proc/\(pid)/\($0)" }.joined(separator: ", ")
        return Localized(ko: "호스트: 바깥에서 \(list) 읽음", en: "host: read \(list) from outside")
    }
}
