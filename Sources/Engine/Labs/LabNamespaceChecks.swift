import Foundation
import TutorCore

/// Checkers about namespaces themselves: a new UTS namespace's hostname, and the
/// namespace inode numbers a learner wrote down.
enum LabNamespaceChecks {
    static func hostname(_ wanted: String, _ snapshot: LabChecker.Snapshot, read: (Int32) throws -> String) -> LabCheckResult {
        let namespaces = snapshot.newNamespaces(.uts)
        guard !namespaces.isEmpty else {
            return LabCheckResult(
                passed: false,
                saw: .saw(
                    "새 UTS 네임스페이스에 있는 프로세스가 없습니다 (unshare -u로 만드세요).",
                    "No process is in a new UTS namespace yet (make one with unshare -u)."))
        }
        var seen: [String] = []
        var failures: [String] = []
        for (id, process) in namespaces {
            do {
                let name = try read(process.pid)
                seen.append("'\(name)' (\(id))")
                guard name == wanted else { continue }
                let baseName = snapshot.baseProcess.flatMap { try? read($0.pid) }
                if let baseName, baseName == wanted {
                    return LabCheckResult(
                        passed: false,
                        saw: .saw(
                            "새 UTS 네임스페이스의 호스트 이름은 '\(name)'이지만, 원래 네임스페이스도 '\(baseName)'입니다. 원래 것은 그대로 두세요.",
                            "The new UTS namespace's hostname is '\(name)', but the original namespace's is '\(baseName)' too; leave the original as it was."
                        ))
                }
                let outside = baseName.map { ", while the original is still '\($0)'" } ?? ""
                let outsideKo = baseName.map { ", 원래 네임스페이스는 그대로 '\($0)'" } ?? ""
                return LabCheckResult(
                    passed: true,
                    saw: .saw(
                        "새 UTS 네임스페이스 \(id)의 호스트 이름은 '\(name)'\(outsideKo).",
                        "The hostname in the new UTS namespace \(id) is '\(name)'\(outside)."))
            } catch {
                failures.append("\(error)")
            }
        }
        if seen.isEmpty {
            return LabCheckResult(
                passed: false,
                saw: .saw(
                    "새 UTS 네임스페이스의 호스트 이름을 읽을 수 없습니다: \(failures.joined(separator: "; "))",
                    "Cannot read the hostname of the new UTS namespace: \(failures.joined(separator: "; "))"))
        }
        return LabCheckResult(
            passed: false,
            saw: .saw(
                "새 UTS 네임스페이스의 호스트 이름: \(seen.joined(separator: ", ")). 이 단계는 '\(wanted)'을 기다립니다.",
                "Hostname in the new UTS namespace: \(seen.joined(separator: ", ")); the step wants '\(wanted)'."))
    }

    static func inodesNoted(kind name: String, path: String, _ snapshot: LabChecker.Snapshot) -> LabCheckResult {
        guard let kind = NamespaceKind(rawValue: name), let base = snapshot.base[kind] else {
            return LabCheckResult(passed: false, saw: .saw("\(name) 네임스페이스를 읽을 수 없습니다.", "Cannot read the \(name) namespace."))
        }
        let fresh = snapshot.newNamespaces(kind)
        guard !fresh.isEmpty else {
            return LabCheckResult(
                passed: false,
                saw: .saw("새 \(name) 네임스페이스에 있는 프로세스가 없습니다.", "No process is in a new \(name) namespace."))
        }
        guard let (text, _) = LabFileChecks.read(path, snapshot, inNewMount: false) else {
            return LabCheckResult(passed: false, saw: .saw("\(path) 파일이 없습니다.", "There is no file \(path)."))
        }
        let numbers = Set(text.split(whereSeparator: { !$0.isNumber }).compactMap { UInt64($0) })
        let hasBase = numbers.contains(base.inode)
        let noted = fresh.first { numbers.contains($0.0.inode) }
        if hasBase, let (id, _) = noted {
            return LabCheckResult(
                passed: true,
                saw: .saw(
                    "\(path)에 원래 \(base)와 새 \(id)의 inode가 모두 적혀 있습니다.",
                    "\(path) holds the inodes of both the original \(base) and the new \(id)."))
        }
        let missing = [hasBase ? nil : "the original (\(base.inode))", noted == nil ? "a new one" : nil].compactMap { $0 }
        let missingKo = [hasBase ? nil : "원래 것(\(base.inode))", noted == nil ? "새 것" : nil].compactMap { $0 }
        return LabCheckResult(
            passed: false,
            saw: .saw(
                "\(path)에 \(missingKo.joined(separator: "과 ")) \(name) 네임스페이스의 inode 번호가 없습니다.",
                "\(path) lacks the inode number of \(missing.joined(separator: " and ")) \(name) namespace."))
    }
}

/// Reads the hostname of another UTS namespace as the kernel keeps it: a
/// short-lived process joins that namespace (and its user namespace first, when it
/// is not ours, for the right to join) and reports `uname()`'s nodename.
/// `/proc/sys/kernel/hostname` would show the reader's own namespace instead.
public enum LabHostnames {
    public static func read(utsOf pid: Int32) throws -> String {
        if try ProcFS.namespace(.uts, pid: pid) == ProcFS.namespace(.uts) { return try Uname.current().node }
        var spec = LaunchSpec(namespaces: [])
        spec.name = "ctutor-lab-look"
        if let theirs = try? ProcFS.namespace(.user, pid: pid), let ours = try? ProcFS.namespace(.user), theirs != ours {
            spec.join.append((.user, pid))
        }
        spec.join.append((.uts, pid))
        let process = try NamespaceLauncher.launch(spec, record: nil, timeout: .seconds(3))
        defer { process.finish() }
        guard let name = process.inside.hostname else { throw ProcFormatError(path: "uname", problem: "no nodename reported") }
        return name
    }
}
