#if os(Linux)
import TutorCore

/// Part 2 of the `virt` demo: the container started, the VM booted beside it, both
/// looked at while they run, then the container released, the VM powered off, and
/// everything the run made gone — each step in the report, and in the run's record
/// while it lives, so `ctutor doctor --cleanup` can release a killed run's leftovers.
struct VirtDemoRun {
    let requirements: VirtDemoRequirements
    let facts: VirtualizationFacts
    let rootless: Bool
    let probe: MachineProbe

    func run(into report: inout DemoReport, whileAlive: ((NamespaceChild) throws -> Void)?) {
        let record = RunRecord.begin(demo: VirtDemo.info.id)
        defer { record.finish() }
        let host: HostKernel
        do {
            host = try HostKernel.read()
        } catch {
            report.reason = DemoFailure(error, rootless: rootless, probe: probe).reason
            return
        }
        var problems: [Localized] = []

        var container: LaunchedProcess?
        var containerSighting: ContainerSighting?
        do {
            let (process, startDuration) = try VirtDemo.startContainer(rootless: rootless, record: record)
            container = process
            report.steps += process.steps
            containerSighting = try VirtDemo.observeContainer(
                process, startDuration: startDuration, host: host, steps: &report.steps)
        } catch {
            let failure = DemoFailure(error, rootless: rootless, probe: probe)
            problems.append(Localized(ko: "컨테이너 쪽: \(failure.reason.ko)", en: "the container side: \(failure.reason.en)"))
            report.remedy = failure.remedy
        }

        let boot = VirtDemoBoot(requirements: requirements, accelerate: facts.canAccelerate, record: record)
        do {
            let vm = try boot.start(steps: &report.steps)
            let comparison = VirtDemoComparison(vm: vm, container: containerSighting, host: host)
            report.observations += comparison.observations
            if let whileAlive {
                try whileAlive(NamespaceChild(pid: container?.pid ?? vm.qemuPID, others: container == nil ? [] : [vm.qemuPID]))
            }
            if let process = container {
                report.release(process, last: true)
                container = nil
            }
            try boot.powerOff(steps: &report.steps)
            report.steps.append(comparison.summary)
        } catch {
            let stopped = DemoFailure(error, rootless: false, probe: probe).reason
            problems.append(Localized(ko: "VM 쪽: \(stopped.ko)", en: "the VM side: \(stopped.en)"))
            report.remedy = report.remedy ?? Self.bootRemedy
        }
        let console = boot.consoleTail
        if !console.isEmpty {
            report.observations.append(
                Observation(
                    id: "vm-console",
                    label: Localized(
                        ko: "VM의 직렬 콘솔 (ttyS0 = qemu의 표준 출력, 마지막 줄들)",
                        en: "The VM's serial console (ttyS0 = qemu's standard output, last lines)"),
                    expect: .show,
                    sides: [
                        ObservationSide(
                            role: "vm", label: Localized(ko: "가상 머신 (qemu)", en: "Virtual machine (qemu)"),
                            value: console.joined(separator: "\n"))
                    ]))
        }
        if let process = container { report.release(process, last: true) }
        boot.release(into: &report)
        if !problems.isEmpty {
            report.reason = Localized(
                ko: problems.map(\.ko).joined(separator: "; "), en: problems.map(\.en).joined(separator: "; "))
        }
    }

    private static let bootRemedy = Localized(
        ko: "위의 콘솔 줄과 qemu의 메시지를 확인하세요. 커널 파일이 망가졌다면 ~/.local/share/ctutor/vm을 지우고 "
            + "`make vm-deps`를 다시 실행하세요.",
        en: "Check the console lines and qemu's message above. If the kernel file is damaged, remove "
            + "~/.local/share/ctutor/vm and run `make vm-deps` again.")
}
#endif
