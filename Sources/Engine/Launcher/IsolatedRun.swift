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

    /// - Parameters:
    ///   - spec: the launch spec, given whether the run is rootless (`.user` is added then).
    ///   - prepare: makes what the isolated process should (not) see on the host,
    ///     before it is launched; whatever it registers is released at the end.
    ///   - observe: reads the evidence from outside; appends observations and steps.
    func run(
        spec makeSpec: (_ rootless: Bool) -> LaunchSpec,
        prepare: ((RunContext, inout DemoReport) throws -> Void)? = nil,
        observe: (LaunchedProcess, RunContext, inout DemoReport) throws -> Void,
        whileAlive: ((NamespaceChild) throws -> Void)?
    ) -> DemoReport {
        let probe = MachineProbe.current()
        guard probe.isLinux else { return probe.notLinuxReport(info) }
        let rootless = preference.isRootless(on: probe)
        var report = DemoReport(demo: info.id, title: info.title, mode: rootless ? .rootless : .real)
        var spec = makeSpec(rootless)
        if rootless { spec.namespaces.insert(.user) }
        if let missing = NamespaceKind.allCases.first(where: { spec.namespaces.contains($0) && !ProcFS.kernelHas($0) }) {
            report.record(DemoFailure(missing: missing, kernelRelease: probe.kernelRelease))
            return report
        }
        let context = RunContext(record: RunRecord.begin(demo: info.id), rootless: rootless)
        defer { context.record.finish() }
        launchAndObserve(spec, context: context, probe: probe, report: &report, observe: observe, whileAlive: whileAlive, prepare: prepare)
        context.releaseHostResources(into: &report)
        return report
    }

    private func launchAndObserve(
        _ spec: LaunchSpec, context: RunContext, probe: MachineProbe, report: inout DemoReport,
        observe: (LaunchedProcess, RunContext, inout DemoReport) throws -> Void,
        whileAlive: ((NamespaceChild) throws -> Void)?,
        prepare: ((RunContext, inout DemoReport) throws -> Void)?
    ) {
        let process: LaunchedProcess
        do {
            try prepare?(context, &report)
            process = try NamespaceLauncher.launch(spec, record: context.record)
        } catch {
            report.record(DemoFailure(error, rootless: context.rootless, probe: probe))
            return
        }
        report.steps += process.steps
        do {
            try observe(process, context, &report)
            try whileAlive?(NamespaceChild(pid: process.pid, others: context.companions.map(\.pid)))
        } catch {
            report.record(DemoFailure(error, rootless: context.rootless, probe: probe))
        }
        // Companions first: they may live in the first process's PID namespace, which
        // ends (with a SIGKILL to every member) when its PID 1 does.
        for companion in context.companions.reversed() { report.release(companion, last: false) }
        report.release(process, last: true)
    }
}

/// What a demo's `prepare` and `observe` may use besides the isolated process: the
/// run's record, the mode, more processes joined to the first one's namespaces, and
/// host resources that are released once every process is gone.
final class RunContext {
    let record: RunRecord
    let rootless: Bool
    /// Processes launched into the first one's namespaces; they live until after `whileAlive`.
    private(set) var companions: [LaunchedProcess] = []
    private var releases: [() -> CleanupItem] = []

    init(record: RunRecord, rootless: Bool) {
        self.record = record
        self.rootless = rootless
    }

    /// Launches one more process into `target`'s namespaces of `kinds`, as `nsenter`
    /// would; a rootless run joins its user namespace too, for the powers it holds there.
    func launch(
        joining target: LaunchedProcess, kinds: [NamespaceKind], configure: (inout LaunchSpec) -> Void = { _ in }
    ) throws -> LaunchedProcess {
        var spec = LaunchSpec(namespaces: [])
        spec.join = (rootless ? [.user] + kinds : kinds).map { ($0, target.pid) }
        configure(&spec)
        let process = try NamespaceLauncher.launch(spec, record: record)
        companions.append(process)
        return process
    }

    /// Registers the release of something made on the host; it runs after every
    /// process of the run is gone, and its result joins the report's cleanup.
    func onRelease(_ release: @escaping () -> CleanupItem) {
        releases.append(release)
    }

    fileprivate func releaseHostResources(into report: inout DemoReport) {
        for release in releases.reversed() { report.cleanup.append(release()) }
        releases = []
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

    /// Lets a launched process go, reaps it, and records how it ended and whether the
    /// host changed meanwhile. `last`: no other process holds its namespaces.
    mutating func release(_ process: LaunchedProcess, last: Bool) {
        let exit = process.finish()
        steps.append(
            Localized(ko: "동기화 소켓을 닫음: 자식이 _exit(0)할 차례", en: "close the sync socket: the child's cue to _exit(0)"))
        steps.append(exit.step)
        if exit.gone && !last {
            steps.append(Localized(ko: "/proc/\(exit.pid) 디렉터리가 사라짐", en: "/proc/\(exit.pid) is gone"))
        } else if exit.gone {
            steps.append(
                Localized(
                    ko: "/proc/\(exit.pid) 디렉터리가 사라짐: 네임스페이스도 마지막 프로세스와 함께 사라짐",
                    en: "/proc/\(exit.pid) is gone: the namespaces died with their last process"))
        }
        cleanup.append(exit.cleanup)
        recordHostChanges(exit.hostChanges)
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
