import Foundation
import TutorCore

/// Virtualization beside containers. Part 1: is this very computer a virtual machine,
/// and can it run VMs with hardware help — evidence from the CPU, the kernel and the
/// firmware. Part 2, when qemu and a kernel for the VM are installed (`make vm-deps`):
/// a real VM booted beside a container, their kernels, start times and memory compared.
/// Without them part 2 is not run, and the report says what is missing.
public struct VirtDemo: Demo {
    /// The container of part 2; part 1 and the VM need none.
    public static let namespaces: Set<NamespaceKind> = [.uts, .pid, .mnt]

    /// The catalog entry.
    public static let info = DemoInfo(
        id: "virt",
        title: Localized(ko: "가상화: 이 컴퓨터는 VM일까? VM 옆의 컨테이너", en: "Virtualization: is this computer a VM? A VM beside a container"),
        summary: Localized(
            ko: "CPU(CPUID, /proc/cpuinfo)·펌웨어(DMI)·커널(/sys/hypervisor)의 흔적으로 이 컴퓨터가 가상 머신인지, KVM으로 "
                + "VM을 가속할 수 있는지 판정합니다. qemu와 VM용 커널이 있으면(make vm-deps) busybox initramfs로 진짜 VM을 부팅해, "
                + "네임스페이스로 만든 컨테이너와 커널·시작 시간·메모리를 나란히 비교합니다.",
            en: "Judges from the CPU (CPUID, /proc/cpuinfo), the firmware (DMI) and the kernel (/sys/hypervisor) whether this "
                + "computer is a virtual machine and whether it can run VMs accelerated by KVM. With qemu and a kernel for the VM "
                + "(make vm-deps) it boots a real VM from a busybox initramfs and compares it with a container made of "
                + "namespaces: kernel, start time, memory."))

    public let preference: ModePreference
    /// Where qemu and the VM's kernel are looked for: `PATH`, and `HOME`,
    /// `XDG_DATA_HOME` or the sudo invoker for the data directory.
    public let environment: [String: String]

    /// `preference` picks the container's mode (a new user namespace when rootless).
    public init(preference: ModePreference) {
        self.init(preference: preference, environment: ProcessInfo.processInfo.environment)
    }

    public init(preference: ModePreference = .auto, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.preference = preference
        self.environment = environment
    }

    /// Runs the demo; qemu, the container's process and the temporary directory are
    /// gone before it returns.
    ///
    /// - Parameter whileAlive: called while the VM and the container both run: `pid` is
    ///   the container's process, `others` holds qemu. Not called when part 2 is not run.
    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        let probe = MachineProbe.current()
        #if os(Linux)
        guard probe.isLinux else { return probe.notLinuxReport(Self.info) }
        let rootless = preference.isRootless(on: probe)
        var report = DemoReport(demo: Self.info.id, title: Self.info.title, mode: rootless ? .rootless : .real)
        let facts = VirtualizationFacts.read()
        report.steps += facts.steps
        report.observations += facts.observations
        switch VirtDemoRequirements.find(environment: environment) {
        case .missing(let missing):
            let list = Localized(
                ko: missing.map(\.text.ko).joined(separator: "; "), en: missing.map(\.text.en).joined(separator: "; "))
            report.steps.append(Localized(ko: "VM 부분은 실행하지 않음: \(list.ko)", en: "the VM part is not run: \(list.en)"))
            report.reason = Localized(
                ko: "VM 부분은 실행하지 않았습니다(가짜 결과는 보여 주지 않습니다): \(list.ko)",
                en: "the VM part was not run (no made-up result is shown): \(list.en)")
            report.remedy = missing.first?.remedy
        case .found(let requirements):
            VirtDemoRun(requirements: requirements, facts: facts, rootless: rootless, probe: probe).run(
                into: &report, whileAlive: whileAlive)
        }
        return report
        #else
        return probe.notLinuxReport(Self.info)
        #endif
    }
}
