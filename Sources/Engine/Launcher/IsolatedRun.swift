import TutorCore

#if os(Linux)
import Glibc
#endif

/// The life every namespace demo shares: pick the mode, record the run, launch one
/// isolated process, let the demo observe it from outside, let a holder look
/// (`whileAlive`), then release it and check the host is untouched. A demo supplies
/// only its spec and its observations.
struct IsolatedRun {
    let info: DemoInfo
    let preference: ModePreference

    /// Whether this run uses a new user namespace: always for an ordinary user.
    func isRootless(_ probe: MachineProbe) -> Bool {
        preference == .rootless || probe.effectiveUID != 0
    }

    /// - Parameters:
    ///   - spec: the launch spec, given whether the run is rootless (`.user` is added then).
    ///   - observe: reads the evidence from outside; appends observations and steps.
    func run(
        spec makeSpec: (_ rootless: Bool) -> LaunchSpec,
        observe: (LaunchedProcess, _ rootless: Bool, inout DemoReport) throws -> Void,
        whileAlive: ((NamespaceChild) throws -> Void)?
    ) -> DemoReport {
        let probe = MachineProbe.current()
        guard probe.isLinux else {
            return DemoReport(
                demo: info.id, title: info.title, mode: .unavailable,
                reason: MachineProbe.notLinuxReason(probe.systemName), remedy: MachineProbe.notLinuxRemedy)
        }
        let rootless = isRootless(probe)
        var report = DemoReport(demo: info.id, title: info.title, mode: rootless ? .rootless : .real)
        var spec = makeSpec(rootless)
        if rootless { spec.namespaces.insert(.user) }
        let record = RunRecord.begin(demo: info.id)
        defer { record.finish() }

        let process: LaunchedProcess
        do {
            process = try NamespaceLauncher.launch(spec, record: record)
        } catch {
            report.record(DemoFailure(error, rootless: rootless, probe: probe))
            return report
        }
        report.steps += process.steps
        do {
            try observe(process, rootless, &report)
            try whileAlive?(NamespaceChild(pid: process.pid))
        } catch {
            report.record(DemoFailure(error, rootless: rootless, probe: probe))
        }
        let exit = process.finish()
        report.steps.append(
            Localized(ko: "동기화 소켓을 닫음: 자식이 _exit(0)할 차례", en: "close the sync socket: the child's cue to _exit(0)"))
        report.steps.append(exit.step)
        if exit.gone {
            report.steps.append(
                Localized(
                    ko: "/proc/\(exit.pid) 디렉터리가 사라짐: 네임스페이스도 마지막 프로세스와 함께 사라짐",
                    en: "/proc/\(exit.pid) is gone: the namespaces died with their last process"))
        }
        report.cleanup.append(exit.cleanup)
        report.recordHostChanges(exit.hostChanges)
        return report
    }
}

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

    /// A demo that changed the host has failed, whatever it observed.
    mutating func recordHostChanges(_ changes: [String]) {
        guard !changes.isEmpty else { return }
        let list = changes.joined(separator: "; ")
        reason = Localized(
            ko: "호스트 상태가 바뀌었습니다(있어서는 안 되는 일): \(list)",
            en: "the host's state changed, which must never happen: \(list)")
    }
}
