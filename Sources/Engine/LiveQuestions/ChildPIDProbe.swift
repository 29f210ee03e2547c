import TutorCore

/// "What PID does the child see inside its new PID namespace?": runs the PID demo
/// and, while its first process lives, reads that process's `NSpid` line from the
/// host's `/proc/<pid>/status`: the host's number first, the namespace's last.
struct ChildPIDProbe {
    let preference: ModePreference

    func run() -> LiveOutcome {
        var numbers: [Int32]?
        var hostPID: Int32?
        let report = PIDNamespaceDemo(preference: preference).run { child in
            hostPID = child.pid
            numbers = try ProcFS.status(pid: child.pid).namespacePIDs
        }
        if let skipped = LiveOutcome.skipReason(report) { return skipped }
        guard let hostPID, let numbers, numbers.count >= 2, numbers.first == hostPID, let inside = numbers.last else {
            return .noEvidence("pid", "NSpid line")
        }
        return .answered(LiveAnswer(answer: "\(inside)", values: ["host-pid": "\(hostPID)"]))
    }
}
