import TutorCore

/// "Which kernel release does a container report?": runs the UTS demo, whose child
/// has its own hostname and PID 1, and takes the release the child printed — which
/// the demo has checked against the host's `uname`, since the kernel is shared.
struct KernelReleaseProbe {
    let preference: ModePreference

    func run() -> LiveOutcome {
        let demo = UTSNamespaceDemo(preference: preference)
        let report = demo.run(whileAlive: nil)
        if let skipped = LiveOutcome.skipReason(report) { return skipped }
        guard let kernel = report.observation("kernel"), let release = kernel.inside, release != "?", kernel.holds,
            let pid = report.observation("pid")?.host
        else { return .noEvidence("uts", "kernel release") }
        return .answered(LiveAnswer(answer: release, values: ["hostname": demo.hostname, "pid": pid]))
    }
}
