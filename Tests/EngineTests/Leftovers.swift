import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// What a demo run had alive, seen by the test while it lived, so that afterwards
/// the test can check for itself that all of it is gone: its processes, every
/// process that was in a namespace of theirs that the test process is not in, and
/// the run's record file.
///
/// Processes are told by PID and start time: once a namespace is gone the kernel may
/// give its inode number to a new one (another test's, running alongside).
struct Leftovers {
    var pids: [Int32]
    /// Every process in one of the demo's own namespaces, with its start time.
    var members: [(pid: Int32, start: String)]
    /// Record files of this process's run of the demo.
    var records: [String]

    static func capture(_ child: NamespaceChild, demo: String) throws -> Leftovers {
        let pids = [child.pid] + child.others
        let ours = Set(Witness.namespaceLinks(getpid()).values)
        let theirs = Set(pids.flatMap { Witness.namespaceLinks($0).values }).subtracting(ours)
        let members = Witness.processes().filter { !Set(Witness.namespaceLinks($0.pid).values).isDisjoint(with: theirs) }
            .compactMap { process in Witness.startTime(process.pid).map { (pid: process.pid, start: $0) } }
        #expect(Set(members.map(\.pid)).isSuperset(of: pids), "the demo's processes are in its namespaces")
        let records = try Witness.runRecords(demo: demo)
        #expect(!records.isEmpty, "the run keeps a record while it lives")
        return Leftovers(pids: pids, members: members, records: records)
    }

    /// Checks that nothing captured is still there.
    func expectGone(sourceLocation: SourceLocation = #_sourceLocation) {
        for pid in pids {
            #expect(!Witness.exists(pid: pid), "process \(pid) is still there", sourceLocation: sourceLocation)
        }
        let stillThere = members.filter { Witness.startTime($0.pid) == $0.start }.map(\.pid)
        #expect(stillThere.isEmpty, "processes that were in the demo's namespaces: \(stillThere)", sourceLocation: sourceLocation)
        let ourChildren = Witness.processes().filter { $0.parent == getpid() }.map(\.pid)
        #expect(Set(ourChildren).isDisjoint(with: pids), sourceLocation: sourceLocation)
        for record in records {
            #expect(!FileManager.default.fileExists(atPath: record), "record \(record) is left", sourceLocation: sourceLocation)
        }
    }
}

extension Witness {
    /// `/proc/<pid>/ns/<kind>` for each kind there, by kind (`pid_for_children` left out).
    static func namespaceLinks(_ pid: Int32) -> [String: String] {
        let kinds = ["mnt", "uts", "ipc", "pid", "net", "user", "cgroup", "time"]
        var links: [String: String] = [:]
        for kind in kinds {
            links[kind] = try? link("/proc/\(pid)/ns/\(kind)")
        }
        return links
    }

    /// Field 22 of `/proc/<pid>/stat`, the start time; `nil` once the process is gone.
    static func startTime(_ pid: Int32) -> String? {
        guard let stat = try? text("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? String(fields[19]) : nil
    }

    /// Files in the run-record directory that belong to a live run of `demo` by this process.
    static func runRecords(demo: String) throws -> [String] {
        let directory = try #require(StateDirectory.runs(), "no state directory")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { $0.hasSuffix(".record") }.map { directory.appendingPathComponent($0).path }.filter { path in
            // Lines: "ctutor-run 1", "demo ID", "owner PID START", then resources.
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
            let lines = text.split(separator: "\n")
            return lines.contains("demo \(demo)") && lines.contains { $0.hasPrefix("owner \(getpid()) ") }
        }
    }

    /// The `key msqid` pairs `ipcs -q` prints, as `0x00000000 32768`.
    static func ipcsQueues(_ output: String) -> [String] {
        output.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace) }
            .filter { $0.count >= 2 && $0[0].hasPrefix("0x") }.map { "\($0[0]) \($0[1])" }
    }

    /// A report that ran in the mode asked for, made its point and left nothing.
    static func expectSucceeded(
        _ report: DemoReport, preference: ModePreference, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(report.mode == (preference == .rootless ? .rootless : .real), sourceLocation: sourceLocation)
        #expect(report.reason == nil, "\(report.reason?.en ?? "")", sourceLocation: sourceLocation)
        #expect(report.cleanupStatus == "ok", sourceLocation: sourceLocation)
        let failing = report.observations.filter { !$0.holds }.map(\.id)
        #expect(failing.isEmpty, "observations that do not hold: \(failing)", sourceLocation: sourceLocation)
        #expect(report.succeeded, sourceLocation: sourceLocation)
    }

    /// As an ordinary user a demo runs rootless, or says why the machine does not allow it.
    static func expectRootlessOrUnavailable(
        _ report: DemoReport, pid: Int32?, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(report.cleanupStatus == "ok", sourceLocation: sourceLocation)
        switch report.mode {
        case .rootless:
            expectSucceeded(report, preference: .rootless, sourceLocation: sourceLocation)
            #expect(pid.map { !exists(pid: $0) } == true, sourceLocation: sourceLocation)
        case .unavailable:
            #expect(pid == nil, sourceLocation: sourceLocation)
            #expect(report.observations.isEmpty, sourceLocation: sourceLocation)
            #expect(report.reason != nil && report.remedy != nil, sourceLocation: sourceLocation)
        case .real:
            Issue.record("an unprivileged user cannot run in real mode", sourceLocation: sourceLocation)
        }
    }
}
