import Foundation

#if os(Linux)
import Glibc
#endif

/// Which processes a lab's checkers look at, and what counts as "new": the tutor
/// looks from outside, through the host's `/proc`, at
///
/// - a sandbox: its shell (PID 1 of the sandbox) and every descendant, however deep
///   in namespaces the learner made; the shell's own namespaces are the base;
/// - the learner's own processes (`ctutor lab check` from another terminal): every
///   process of this user; the tutor's own namespaces are the base.
public struct LabScope: Sendable {
    public enum Kind: Sendable, Equatable {
        case sandbox(shellPID: Int32)
        case ownProcesses(uid: UInt32)
    }

    public let kind: Kind
    /// What `~/` in a lab's paths means: `/root` in the sandbox, `$HOME` outside.
    public let home: String

    public init(kind: Kind, home: String) {
        self.kind = kind
        self.home = home
    }

    /// This user's processes, with the tutor's namespaces as the base.
    public static func ownProcesses(environment: [String: String] = ProcessInfo.processInfo.environment) -> LabScope {
        LabScope(kind: .ownProcesses(uid: getuid()), home: environment["HOME"] ?? "/")
    }

    /// The process whose namespaces are the base: the sandbox shell, or the tutor.
    public var basePID: Int32 {
        switch kind {
        case .sandbox(let shell): shell
        case .ownProcesses: getpid()
        }
    }

    /// The base namespace of `kind`.
    public func base(_ namespace: NamespaceKind) -> NamespaceID? {
        try? ProcFS.namespace(namespace, pid: basePID)
    }

    /// `path` as the lab means it, inside the root of `process`.
    public func hostPath(_ path: String, seenBy process: LabProcess) -> String {
        let inside = path.hasPrefix("~/") ? home + path.dropFirst(1) : path
        return "/proc/\(process.pid)/root" + inside
    }

    /// The processes in scope now, the base first (in the sandbox: its shell).
    public func processes() -> [LabProcess] {
        let all = (try? ProcFS.pids()) ?? []
        switch kind {
        case .ownProcesses(let uid):
            let me = getpid()
            return all.compactMap { pid in
                guard pid != me, let process = LabProcess(pid: pid), process.uid == uid else { return nil }
                return process
            }
        case .sandbox(let shell):
            var children: [Int32: [Int32]] = [:]
            for pid in all {
                if let parent = Self.parentPID(of: pid) { children[parent, default: []].append(pid) }
            }
            var result: [LabProcess] = []
            var queue = [shell]
            while let pid = queue.popLast() {
                if let process = LabProcess(pid: pid) { result.append(process) }
                queue += children[pid] ?? []
            }
            return result
        }
    }

    /// Field 4 of `/proc/<pid>/stat`, after the name in parentheses (which may hold spaces).
    static func parentPID(of pid: Int32) -> Int32? {
        guard let stat = try? ProcFS.readFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }
}

/// One process as the checkers see it from outside: its name, user and namespaces.
public struct LabProcess: Sendable, Equatable {
    public let pid: Int32
    /// `/proc/<pid>/comm`.
    public let comm: String
    public let uid: UInt32

    init?(pid: Int32) {
        guard let comm = try? ProcFS.readFile("/proc/\(pid)/comm"), let status = try? ProcFS.status(pid: pid),
            let uid = status.uids?.first, !status.isZombie
        else { return nil }
        self.pid = pid
        self.comm = comm.trimmingCharacters(in: .newlines)
        self.uid = uid
    }

    /// The namespace of `kind` it is in, or nil when it cannot be read (it exited).
    public func namespace(_ kind: NamespaceKind) -> NamespaceID? {
        try? ProcFS.namespace(kind, pid: pid)
    }

    /// Its PID as its innermost PID namespace numbers it (the last `NSpid`).
    public var innermostPID: Int32? {
        (try? ProcFS.status(pid: pid))?.namespacePIDs?.last
    }

    /// Its number of threads (`Threads:` of `/proc/<pid>/status`).
    public var threads: Int? {
        (try? ProcFS.status(pid: pid))?.fields["Threads"].flatMap { Int($0) }
    }

    /// Whether it is in a namespace of `kind` other than the scope's base.
    func isInNew(_ kind: NamespaceKind, _ scope: LabScope, base: [NamespaceKind: NamespaceID]) -> Bool {
        guard let mine = namespace(kind) else { return false }
        return base[kind].map { $0 != mine } ?? false
    }
}
