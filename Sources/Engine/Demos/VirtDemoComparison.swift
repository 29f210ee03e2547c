#if os(Linux)
import TutorCore

/// Part 2 of the `virt` demo as a table: the VM beside the container beside the host —
/// whose kernel each runs, how long each took to start, what memory each holds.
struct VirtDemoComparison {
    var vm: VirtualMachineSighting
    /// `nil` when the container could not be started (the report says why).
    var container: ContainerSighting?
    var host: HostKernel

    private static let vmLabel = Localized(ko: "가상 머신 (qemu)", en: "Virtual machine (qemu)")
    private static let containerLabel = Localized(ko: "컨테이너 (네임스페이스)", en: "Container (namespaces)")

    private func sides(vm vmValue: String, container containerValue: String?, host hostValue: String?) -> [ObservationSide] {
        var sides = [ObservationSide(role: "vm", label: Self.vmLabel, value: vmValue)]
        if container != nil, let containerValue {
            sides.append(ObservationSide(role: "container", label: Self.containerLabel, value: containerValue))
        }
        if let hostValue { sides.append(.host(hostValue)) }
        return sides
    }

    var observations: [Observation] {
        let guestMemory = vm.guest["memtotal_kb"].map { "\($0) kB" } ?? "?"
        return [
            Observation(
                id: "kernel-release", label: Localized(ko: "커널 릴리스", en: "Kernel release"), expect: .show,
                sides: sides(vm: vm.guest["release"] ?? "?", container: container?.release, host: host.release)),
            // A random UUID per kernel boot: the one proof of "another kernel" that holds
            // even when the VM boots the very release the host runs.
            Observation(
                id: "boot-id",
                label: Localized(ko: "커널 부팅 ID (\(HostKernel.bootIDPath))", en: "Kernel boot ID (\(HostKernel.bootIDPath))"),
                expect: .differ,
                sides: sides(vm: vm.guest["boot_id"] ?? "?", container: container?.bootID, host: host.bootID)),
            Observation(
                id: "memory-total",
                label: Localized(ko: "커널이 보는 메모리 (MemTotal)", en: "Memory its kernel sees (MemTotal)"), expect: .show,
                sides: sides(
                    vm: "\(guestMemory) (-m \(vm.memoryMiB)M)", container: container.map { "\($0.memTotalKB) kB" },
                    host: "\(host.memTotalKB) kB")),
            Observation(
                id: "resident-memory",
                label: Localized(ko: "호스트에서 차지한 메모리 (/proc/<pid>/status)", en: "Memory held on the host (/proc/<pid>/status)"),
                expect: .show,
                sides: sides(
                    vm: "qemu PID \(vm.qemuPID): VmRSS \(vm.residentKB) kB, VmHWM \(vm.peakKB) kB",
                    container: container.map { "PID \($0.pid): VmRSS \($0.residentKB) kB" }, host: nil)),
            Observation(
                id: "start-time",
                label: Localized(
                    ko: "시작 시간 (qemu 시작 → /init의 표시 줄; 런처 시작 → 네임스페이스 안에서 준비)",
                    en: "Start time (qemu spawn → /init's marker; launch → ready in the namespaces)"),
                expect: .show,
                sides: sides(
                    vm: "\(VirtDemoBoot.milliseconds(vm.toMarker)) (-accel \(vm.accelerator))",
                    container: container.map { VirtDemoBoot.milliseconds($0.startDuration) }, host: nil)),
        ]
    }

    /// What the numbers say, in a sentence or two.
    var summary: Localized {
        let uptime = vm.guest["uptime"] ?? "?"
        let boot = VirtDemoBoot.milliseconds(vm.toMarker)
        var summary = Localized(
            ko: "VM은 자기 커널을 부팅했습니다: 시작 후 \(boot) 만에 /init이 돌았고, 그때 VM 커널의 가동 시간은 \(uptime)초였습니다.",
            en: "The VM booted a kernel of its own: /init ran \(boot) after the spawn, its kernel up for \(uptime) s.")
        if let container {
            let started = VirtDemoBoot.milliseconds(container.startDuration)
            let times = container.startDuration > .zero ? Int((vm.toMarker / container.startDuration).rounded()) : 0
            summary.ko += " 컨테이너는 호스트의 커널을 그대로 써서 \(started) 만에 준비됐습니다: 이번에는 약 \(times)배 빠름."
            summary.en +=
                " The container uses the host's kernel as it is and was ready in \(started): about \(times) times faster this time."
        }
        if vm.kvmFailed {
            summary.ko += " KVM은 열렸지만 이 VM을 돌리지 못해 qemu가 명령어를 하나하나 번역했습니다(TCG): 그만큼 느립니다."
            summary.en += " KVM opened but did not run this VM, so qemu translated every instruction (TCG): that much slower."
        }
        return summary
    }
}
#endif
