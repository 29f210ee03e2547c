import Foundation
import TutorCore

/// "How many threads does this process have?": runs the threads demo and, while
/// its word-processor process lives, counts the entries of `/proc/<pid>/task` —
/// one per thread, the main thread included — and reads each thread's name.
struct ThreadCountProbe {
    let childExecutable: String

    func run() -> LiveOutcome {
        var tasks: [Int32] = []
        var names: [String] = []
        var processID: Int32?
        let report = ThreadsDemo(childExecutable: childExecutable).run { child in
            processID = child.pid
            tasks = try ProcFS.pids(in: "/proc/\(child.pid)/task")
            names = try tasks.filter { $0 != child.pid }.map { tid in
                try ProcFS.readFile("/proc/\(child.pid)/task/\(tid)/comm").trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        if let skipped = LiveOutcome.skipReason(report) { return skipped }
        guard let processID, !tasks.isEmpty else { return .noEvidence("threads", "/proc/<pid>/task") }
        return .answered(
            LiveAnswer(answer: "\(tasks.count)", values: ["pid": "\(processID)", "threads": names.sorted().joined(separator: ", ")]))
    }
}
