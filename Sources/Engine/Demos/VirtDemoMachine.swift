#if os(Linux)
import Glibc
import TutorCore

/// Part 1 of the `virt` demo as a report shows it: two blocks of evidence, each under
/// its verdict — is this computer a VM, and can it run VMs with hardware help.
extension VirtualizationFacts {
    private static let none = "—"

    /// Whether this computer is a virtual machine, in one sentence.
    public var verdict: Localized {
        guard isVirtualMachine else {
            return Localized(
                ko: "판정: 하이퍼바이저의 흔적이 없습니다 — 베어 메탈(물리 컴퓨터)", en: "Verdict: no sign of a hypervisor: bare metal")
        }
        guard let name = hypervisorName else {
            return Localized(
                ko: "판정: 이 컴퓨터는 가상 머신입니다 (하이퍼바이저가 이름을 밝히지 않음)",
                en: "Verdict: this computer is a virtual machine (the hypervisor gives no name)")
        }
        return Localized(ko: "판정: 이 컴퓨터는 가상 머신입니다 (\(name))", en: "Verdict: this computer is a virtual machine (\(name))")
    }

    /// Whether VMs can run here with hardware help, in one sentence.
    public var accelerationVerdict: Localized {
        switch kvm {
        case .usable:
            return Localized(
                ko: "VM 실행: /dev/kvm이 열리므로 qemu가 KVM으로 가속할 수 있습니다 (-accel kvm)",
                en: "Running VMs here: /dev/kvm opens, so qemu can use KVM (-accel kvm)")
        case .refused(let code) where code == ENOENT:
            return Localized(
                ko: "VM 실행: /dev/kvm이 없어 가속할 수 없습니다 — qemu가 명령어를 하나하나 번역합니다 (-accel tcg, 훨씬 느림)",
                en: "Running VMs here: no /dev/kvm, so no acceleration — qemu translates every instruction (-accel tcg, much slower)")
        case .refused:
            return Localized(
                ko: "VM 실행: 이 사용자는 /dev/kvm을 열 수 없어 가속할 수 없습니다 — qemu가 명령어를 하나하나 번역합니다 (-accel tcg)",
                en: "Running VMs here: this user cannot open /dev/kvm, so no acceleration — qemu translates every instruction (-accel tcg)")
        }
    }

    /// The evidence, each row under the verdict it supports.
    var observations: [Observation] {
        func row(_ id: String, _ label: Localized, _ value: String, under verdict: Localized) -> Observation {
            Observation(id: id, label: label, expect: .show, sides: [ObservationSide(role: "machine", label: verdict, value: value)])
        }
        var signature = Self.none
        if case .signature(let text) = cpuid, !text.isEmpty { signature = text }
        let dmiLines = Self.dmiFields.map { "\($0): \(dmi[$0] ?? Self.none)" }
        let opened: String
        switch kvm {
        case .usable: opened = "ok"
        case .refused(let code): opened = SyscallError(call: "open", errno: code).errnoName
        }
        let kvmValue = [kvmNode?.description, "open O_RDWR: \(opened)"].compactMap { $0 }.joined(separator: ", ")
        return [
            row(
                "cpu-hypervisor-flag", Localized(ko: "CPU 플래그 hypervisor", en: "CPU flag hypervisor"),
                cpuinfoHypervisorFlag ? "hypervisor" : Self.none, under: verdict),
            row(
                "cpuid-signature",
                Localized(ko: "CPUID 0x40000000 서명", en: "CPUID 0x40000000 signature"), signature,
                under: verdict),
            row(
                "dmi", Localized("DMI /sys/class/dmi/id"),
                dmi.isEmpty ? Self.none : dmiLines.joined(separator: "\n"), under: verdict),
            row("sys-hypervisor", Localized("/sys/hypervisor/type"), sysHypervisorType ?? Self.none, under: verdict),
            row("kvm-device", Localized(ko: "/dev/kvm (이 사용자)", en: "/dev/kvm (this user)"), kvmValue, under: accelerationVerdict),
            row(
                "cpu-virtualization-flags",
                Localized(ko: "CPU 플래그 vmx/svm", en: "CPU flags vmx/svm"),
                virtualizationFlags.isEmpty ? Self.none : virtualizationFlags.joined(separator: " "), under: accelerationVerdict),
        ]
    }

    /// How each piece was read, and what it means.
    var steps: [Localized] {
        var steps: [Localized] = [cpuidStep]
        let flags = virtualizationFlags.isEmpty ? "vmx/svm 없음" : virtualizationFlags.joined(separator: " ")
        let flagsEnglish = virtualizationFlags.isEmpty ? "no vmx/svm" : virtualizationFlags.joined(separator: " ")
        steps.append(
            Localized(
                ko: "/proc/cpuinfo의 flags 읽기: hypervisor \(cpuinfoHypervisorFlag ? "있음" : "없음"), \(flags)",
                en: "read the flags of /proc/cpuinfo: hypervisor \(cpuinfoHypervisorFlag ? "present" : "absent"), \(flagsEnglish)"))
        if dmi.isEmpty {
            steps.append(
                Localized(
                    ko: "/sys/class/dmi/id 파일이 없음: 펌웨어가 커널에 DMI(SMBIOS) 표를 주지 않았습니다(Firecracker 같은 "
                        + "마이크로 VM에는 그런 펌웨어가 없음)",
                    en: "/sys/class/dmi/id has no files: the firmware gave the kernel no DMI (SMBIOS) table (microVMs such as "
                        + "Firecracker have no such firmware)"))
        } else {
            let names = Self.dmiFields.joined(separator: ", ")
            steps.append(Localized(ko: "/sys/class/dmi/id의 \(names) 읽기", en: "read \(names) in /sys/class/dmi/id"))
        }
        if sysHypervisorType == nil {
            steps.append(
                Localized(
                    ko: "/sys/hypervisor/type 없음: 커널은 Xen 같은 일부 하이퍼바이저 아래에서만 이 파일을 만듭니다",
                    en: "no /sys/hypervisor/type: the kernel makes it only under some hypervisors, such as Xen"))
        }
        steps.append(kvmStep)
        return steps
    }

    private var cpuidStep: Localized {
        switch cpuid {
        case .unavailable:
            return Localized(
                ko: "CPUID 없음: x86 CPU가 아닙니다(\(MachineProbe.machineName())); 펌웨어와 커널의 흔적만 봅니다",
                en: "no CPUID: not an x86 CPU (\(MachineProbe.machineName())); only the firmware's and kernel's traces count")
        case .noHypervisor:
            return Localized(
                ko: "CPUID 리프 1의 ECX 31번 비트 = 0: 하이퍼바이저가 자신을 알리지 않음(이때 리프 0x40000000은 의미가 없어 읽지 않음)",
                en: "CPUID leaf 1, ECX bit 31 = 0: no hypervisor announces itself (leaf 0x40000000 means nothing then and is not read)")
        case .signature(let signature):
            let name = Self.hypervisorNames[signature].map { " = \($0)" } ?? ""
            return Localized(
                ko: "CPUID 리프 1의 ECX 31번 비트 = 1(하이퍼바이저 있음); 리프 0x40000000의 EBX·ECX·EDX → \"\(signature)\"\(name)",
                en: "CPUID leaf 1, ECX bit 31 = 1 (a hypervisor is present); leaf 0x40000000, EBX ECX EDX → \"\(signature)\"\(name)")
        }
    }

    private var kvmStep: Localized {
        switch kvm {
        case .usable where virtualizationFlags.isEmpty:
            return Localized(
                ko: "open(\"/dev/kvm\", O_RDWR) 성공 후 close. CPU 플래그에는 vmx도 svm도 없지만 /dev/kvm은 열립니다: "
                    + "KVM이 정말 되는지는 아래 qemu -accel kvm이 보여 줍니다",
                en: "open(\"/dev/kvm\", O_RDWR) succeeds; closed. The CPU flags show neither vmx nor svm, yet /dev/kvm opens: "
                    + "whether KVM really works, qemu -accel kvm below shows")
        case .usable:
            return Localized(ko: "open(\"/dev/kvm\", O_RDWR) 성공 후 close", en: "open(\"/dev/kvm\", O_RDWR) succeeds; closed")
        case .refused(let code) where code == ENOENT:
            let flags = virtualizationFlags.joined(separator: " ")
            let hint =
                virtualizationFlags.isEmpty
                ? Localized(ko: "CPU도 vmx/svm을 보이지 않습니다", en: "the CPU shows no vmx/svm either")
                : Localized(
                    ko: "CPU는 \(KoreanParticle.eulReul.attached(to: flags)) 지원하니 kvm 모듈을 올리세요"
                        + "(sudo modprobe kvm_intel 또는 kvm_amd)",
                    en: "the CPU supports \(flags): load the kvm module (sudo modprobe kvm_intel or kvm_amd)")
            return Localized(ko: "open(\"/dev/kvm\") → ENOENT: \(hint.ko)", en: "open(\"/dev/kvm\") → ENOENT: \(hint.en)")
        case .refused(let code):
            let name = SyscallError(call: "open", errno: code).errnoName
            guard let node = kvmNode, node.groupMayReadWrite else {
                let owner = kvmNode?.owner ?? "root"
                return Localized(
                    ko: "open(\"/dev/kvm\", O_RDWR) → \(name): 소유자(\(owner))만 열 수 있습니다 — 관리자가 kvm 그룹에 "
                        + "읽기·쓰기를 허락해야 합니다",
                    en: "open(\"/dev/kvm\", O_RDWR) → \(name): only its owner (\(owner)) may open it; an administrator would "
                        + "have to let a kvm group read and write it")
            }
            return Localized(
                ko: "open(\"/dev/kvm\", O_RDWR) → \(name): \(node.group) 그룹에 들어가면 열 수 있습니다"
                    + "(sudo usermod -aG \(node.group) $USER 후 다시 로그인)",
                en: "open(\"/dev/kvm\", O_RDWR) → \(name): join the group \(node.group) to open it "
                    + "(sudo usermod -aG \(node.group) $USER, then log in again)")
        }
    }
}
#endif
