import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// Checkers about files and mounts, as the processes in scope see them: a file
/// through `/proc/<pid>/root`, a mount through `/proc/<pid>/mountinfo`.
enum LabFileChecks {
    /// Files larger than this are not read whole: a lab's notes are a few lines.
    static let readLimit = 65536

    static func file(
        path: String, contains: String?, fact: LabFact?, maxSize: Int?, inNewMount: Bool, _ snapshot: LabChecker.Snapshot
    ) -> LabCheckResult {
        guard let (text, size) = read(path, snapshot, inNewMount: inNewMount) else {
            let where_ = inNewMount ? " (in a new mount namespace)" : ""
            let whereKo = inNewMount ? " (새 마운트 네임스페이스 안)" : ""
            return LabCheckResult(passed: false, saw: .saw("\(path) 파일이 없습니다\(whereKo).", "There is no file \(path)\(where_)."))
        }
        let lines = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n")
        let first = lines.first.map { String($0.prefix(60)) } ?? ""
        let shown = lines.count > 1 || first.count == 60 ? first + "…" : first
        if let maxSize, size > maxSize {
            return LabCheckResult(
                passed: false, saw: .saw("\(path)는 \(size)바이트입니다 (\(maxSize) 이하여야 함).", "\(path) is \(size) bytes (the step wants at most \(maxSize))."))
        }
        if let contains, !text.contains(contains) {
            return LabCheckResult(
                passed: false, saw: .saw("\(path)에는 '\(shown)'이 있고 '\(contains)'은 없습니다.", "\(path) holds '\(shown)', not '\(contains)'."))
        }
        if let fact {
            guard let value = LabFacts.value(fact, snapshot) else {
                return LabCheckResult(passed: false, saw: LabFacts.missing(fact))
            }
            let words = Set(text.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init))
            guard words.contains(value) else {
                return LabCheckResult(
                    passed: false,
                    saw: .saw(
                        "\(path)에는 '\(shown)'이 있습니다. 커널이 말하는 \(LabFacts.name(fact).ko)과 다릅니다.",
                        "\(path) holds '\(shown)', which is not the \(LabFacts.name(fact).en) the kernel reports."))
            }
            return LabCheckResult(
                passed: true,
                saw: .saw(
                    "\(path)에 \(LabFacts.name(fact).ko) '\(value)'이 있습니다 — 커널이 말하는 값과 같습니다.",
                    "\(path) holds the \(LabFacts.name(fact).en) '\(value)', as the kernel reports it."))
        }
        return LabCheckResult(passed: true, saw: .saw("\(path): \(size)바이트, '\(shown)'.", "\(path): \(size) bytes, '\(shown)'."))
    }

    /// A file's text (up to ``readLimit``) and size, from the first process in scope
    /// that sees it (only those in a new mount namespace with `inNewMount`).
    static func read(_ path: String, _ snapshot: LabChecker.Snapshot, inNewMount: Bool) -> (String, Int)? {
        let viewers = inNewMount ? snapshot.inNew([.mnt]) : [snapshot.baseProcess].compactMap { $0 } + snapshot.processes
        var tried: Set<String> = []
        for process in viewers {
            let hostPath = snapshot.scope.hostPath(path, seenBy: process)
            guard let mount = process.namespace(.mnt)?.description, tried.insert(mount).inserted else { continue }
            let fd = open(hostPath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            var bytes = [UInt8](repeating: 0, count: readLimit)
            let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            return (String(decoding: bytes.prefix(max(0, count)), as: UTF8.self), Int(info.st_size))
        }
        return nil
    }

    static func mount(fstype: String, target: String?, _ snapshot: LabChecker.Snapshot) -> LabCheckResult {
        var seen: [String] = []
        for (id, process) in snapshot.newNamespaces(.mnt) {
            guard let text = try? ProcFS.readFile("/proc/\(process.pid)/mountinfo") else { continue }
            let entries = MountInfoEntry.parse(text)
            if let match = entries.first(where: { $0.fsType == fstype && (target == nil || $0.mountPoint == target) }) {
                return LabCheckResult(
                    passed: true,
                    saw: .saw(
                        "새 마운트 네임스페이스 \(id)에 \(match.fsType)가 \(match.mountPoint)에 마운트되어 있습니다.",
                        "In the new mount namespace \(id), \(match.fsType) is mounted on \(match.mountPoint)."))
            }
            seen += entries.filter { target == nil || $0.mountPoint == target }.suffix(3).map { "\($0.fsType) \($0.mountPoint)" }
        }
        let wanted = fstype + (target.map { " on \($0)" } ?? "")
        let wantedKo = (target.map { "\($0)에 " } ?? "") + fstype
        if snapshot.newNamespaces(.mnt).isEmpty {
            return LabCheckResult(
                passed: false,
                saw: .saw(
                    "새 마운트 네임스페이스에 있는 프로세스가 없습니다. 이 단계는 그 안의 \(wantedKo) 마운트를 기다립니다.",
                    "No process is in a new mount namespace; the step wants \(wanted) mounted inside one."))
        }
        let list = seen.isEmpty ? "-" : seen.joined(separator: ", ")
        return LabCheckResult(
            passed: false,
            saw: .saw(
                "새 마운트 네임스페이스에 \(wantedKo) 마운트가 없습니다 (최근: \(list)).",
                "No \(wanted) mount in the new mount namespace (latest: \(list))."))
    }
}
