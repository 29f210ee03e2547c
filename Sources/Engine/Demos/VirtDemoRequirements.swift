#if os(Linux)
import Foundation
import Glibc
import TutorCore

/// What booting the demo's virtual machine needs, found on this machine: qemu, a
/// Linux kernel for the VM (`make vm-deps` puts Debian's in the learner's data
/// directory, never in `/boot`) and a static busybox for its initramfs.
struct VirtDemoRequirements: Equatable {
    var qemu: String
    var kernel: String
    var busybox: String

    /// Something the VM part cannot do without.
    enum Missing: Equatable {
        /// The VM is made for x86_64 (its kernel and qemu); this machine is another.
        case architecture(String)
        case qemu
        case kernel(path: String)
        case busybox
        /// A busybox that needs a C library, which the VM does not have.
        case dynamicBusybox(path: String)
    }

    /// What a look for the requirements found.
    enum Lookup: Equatable {
        case found(VirtDemoRequirements)
        /// Everything missing, in the order it was looked for.
        case missing([Missing])
    }

    static let qemuProgram = "qemu-system-x86_64"

    /// The requirements, or everything missing.
    static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> Lookup {
        let machine = MachineProbe.machineName()
        guard machine == "x86_64" else { return .missing([.architecture(machine)]) }
        var missing: [Missing] = []
        let qemu = findQEMU(environment: environment)
        if qemu == nil { missing.append(.qemu) }
        let kernel = kernelPath(environment: environment)
        if access(kernel, R_OK) != 0 { missing.append(.kernel(path: kernel)) }
        let busybox = VirtDemoInitramfs.findBusybox()
        if let busybox, !VirtDemoInitramfs.isStaticELF(busybox) { missing.append(.dynamicBusybox(path: busybox)) }
        if busybox == nil { missing.append(.busybox) }
        guard missing.isEmpty, let qemu, let busybox else { return .missing(missing) }
        return .found(VirtDemoRequirements(qemu: qemu, kernel: kernel, busybox: busybox))
    }

    /// `vm/vmlinuz` in the learner's data directory (`~/.local/share/ctutor`, the
    /// invoking learner's under sudo), where `make vm-deps` extracts the kernel.
    static func kernelPath(environment: [String: String]) -> String {
        ProgressStore.forCurrentUser(environment: environment).directory.appendingPathComponent("vm/vmlinuz").path
    }

    private static func findQEMU(environment: [String: String]) -> String? {
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        return directories.filter { $0.hasPrefix("/") }.map { "\($0)/\(qemuProgram)" }.first { access($0, X_OK) == 0 }
    }
}

extension VirtDemoRequirements.Missing {
    /// What is missing, in the learner's words.
    var text: Localized {
        switch self {
        case .architecture(let machine):
            return Localized(
                ko: "이 데모의 VM은 x86_64용인데 이 컴퓨터는 \(machine)입니다",
                en: "the demo's VM is made for x86_64, and this computer is \(machine)")
        case .qemu:
            return Localized(
                ko: "\(KoreanParticle.iGa.attached(to: VirtDemoRequirements.qemuProgram)) 설치되어 있지 않습니다(qemu-system-x86 패키지)",
                en: "\(VirtDemoRequirements.qemuProgram) (package qemu-system-x86) is not installed")
        case .kernel(let path):
            return Localized(ko: "VM이 부팅할 커널 \(path) 파일이 없습니다", en: "there is no kernel for the VM to boot at \(path)")
        case .busybox:
            return Localized(
                ko: "initramfs에 넣을 busybox(busybox-static 패키지)가 없습니다",
                en: "busybox (package busybox-static) is missing, which the initramfs needs")
        case .dynamicBusybox(let path):
            return Localized(
                ko: "\(KoreanParticle.eunNeun.attached(to: path)) 동적 링크된 busybox라 C 라이브러리가 없는 VM에서 돌지 않습니다(busybox-static 패키지가 필요)",
                en: "\(path) is a dynamically linked busybox, which cannot run in a VM without a C library (install busybox-static)")
        }
    }

    /// The command that supplies it.
    var remedy: Localized {
        switch self {
        case .architecture:
            return Localized(
                ko: "VM 부분은 x86_64 리눅스 컴퓨터에서 실행하세요. 1부(이 컴퓨터가 VM인지)는 여기서도 유효합니다.",
                en: "Run the VM part on an x86_64 Linux computer; part 1 (whether this computer is a VM) holds here too.")
        case .qemu, .kernel, .busybox, .dynamicBusybox:
            return Localized(
                ko: "ctutor 소스 폴더에서 `make vm-deps`를 실행하세요: apt-get으로 qemu-system-x86을 설치하고, 데비안 커널 "
                    + "패키지를 내려받아 vmlinuz만 ~/.local/share/ctutor/vm/에 풀어 둡니다(/boot와 부트로더는 그대로, 약 70 MB 다운로드).",
                en: "Run `make vm-deps` in the ctutor source folder: it installs qemu-system-x86 with apt-get and downloads "
                    + "Debian's kernel package, extracting only vmlinuz into ~/.local/share/ctutor/vm/ (/boot and the boot loader "
                    + "stay untouched; about 70 MB to download).")
        }
    }
}
#endif
