#if os(Linux)
import CShim
import Foundation
import Glibc

/// Whether this computer is itself a virtual machine, and whether it could run one
/// with hardware help: each piece of evidence read where the machine keeps it.
public struct VirtualizationFacts: Equatable, Sendable {
    /// What the `CPUID` instruction says about a hypervisor below us.
    public enum CPUIDReading: Equatable, Sendable {
        /// Not an x86 CPU: there is no `CPUID`.
        case unavailable
        /// Leaf 1 ECX bit 31 is clear: no hypervisor announces itself.
        case noHypervisor
        /// The bit is set; leaf 0x40000000 holds this vendor signature (NULs dropped).
        case signature(String)
    }

    /// What `open("/dev/kvm", O_RDWR)` did for this user.
    public enum KVMAccess: Equatable, Sendable {
        /// Opened: qemu can use `-accel kvm`.
        case usable
        /// It failed with this `errno` (`ENOENT`: no KVM here; `EACCES`: not for this user).
        case refused(errno: Int32)
    }

    /// A device file's permission bits and owners.
    public struct DeviceNode: Equatable, Sendable, CustomStringConvertible {
        public var mode: UInt32
        public var owner: String
        public var group: String

        /// Whether its group may read and write it: joining the group opens it.
        public var groupMayReadWrite: Bool { mode & 0o060 == 0o060 }

        /// `crw-rw---- root:kvm`, as `ls -l` shows it.
        public var description: String {
            let kind = mode & UInt32(S_IFMT) == UInt32(S_IFCHR) ? "c" : "?"
            let letters = Array("rwxrwxrwx")
            let bits = (0..<9).map { mode & (0o400 >> UInt32($0)) != 0 ? letters[$0] : "-" }
            return kind + String(bits) + " \(owner):\(group)"
        }
    }

    /// `hypervisor` is among the flags of `/proc/cpuinfo`: the kernel found CPUID's bit set.
    public var cpuinfoHypervisorFlag: Bool
    /// `vmx` (Intel VT-x) or `svm` (AMD-V) among the flags: the CPU offers hardware virtualization.
    public var virtualizationFlags: [String]
    public var cpuid: CPUIDReading
    /// `sys_vendor`, `product_name`, `bios_vendor` of `/sys/class/dmi/id` that exist, by name.
    public var dmi: [String: String]
    /// `/sys/hypervisor/type` (`xen`), when the kernel has one.
    public var sysHypervisorType: String?
    /// Whether this user can open `/dev/kvm`: qemu needs it read-write for `-accel kvm`.
    public var kvm: KVMAccess
    /// `/dev/kvm` as `stat` sees it, when it exists.
    public var kvmNode: DeviceNode?

    public static let dmiFields = ["sys_vendor", "product_name", "bios_vendor"]

    /// Reads every piece of evidence now.
    public static func read() -> VirtualizationFacts {
        let flags = cpuFlags()
        var signature = [CChar](repeating: 0, count: 13)
        let cpuid: CPUIDReading
        switch ctutor_cpuid_hypervisor(&signature) {
        case -1: cpuid = .unavailable
        case 0: cpuid = .noHypervisor
        default:
            let bytes = signature.prefix(12).map { UInt8(bitPattern: $0) }.filter { $0 != 0 }
            cpuid = .signature(String(decoding: bytes, as: UTF8.self))
        }
        var dmi: [String: String] = [:]
        for field in dmiFields {
            if let value = try? ProcFS.readFile("/sys/class/dmi/id/\(field)") { dmi[field] = trimmed(value) }
        }
        let kvmDescriptor = open("/dev/kvm", O_RDWR | O_CLOEXEC)
        let kvm: KVMAccess = kvmDescriptor >= 0 ? .usable : .refused(errno: errno)
        if kvmDescriptor >= 0 { close(kvmDescriptor) }
        return VirtualizationFacts(
            cpuinfoHypervisorFlag: flags.contains("hypervisor"),
            virtualizationFlags: ["vmx", "svm"].filter(flags.contains), cpuid: cpuid, dmi: dmi,
            sysHypervisorType: (try? ProcFS.readFile("/sys/hypervisor/type")).map(trimmed), kvm: kvm,
            kvmNode: node("/dev/kvm"))
    }

    /// Whether any evidence says a hypervisor runs below this kernel.
    public var isVirtualMachine: Bool {
        if case .signature = cpuid { return true }
        return cpuinfoHypervisorFlag || sysHypervisorType != nil || Self.dmiVendor(dmi) != nil
    }

    /// The hypervisor's name, when the evidence names it: the CPU's own word (`CPUID`)
    /// first, then the kernel's (`/sys/hypervisor`), then the firmware's (DMI), which is
    /// all an arm64 VM may have. `nil` for bare metal or a hypervisor that gives no name.
    public var hypervisorName: String? {
        if case .signature(let signature) = cpuid, !signature.isEmpty {
            return Self.hypervisorNames[signature] ?? "\"\(signature)\""
        }
        if let type = sysHypervisorType { return type == "xen" ? "Xen" : type }
        return Self.dmiVendor(dmi)
    }

    /// Whether qemu can run a VM here with hardware help (`-accel kvm`).
    public var canAccelerate: Bool { kvm == .usable }

    /// Vendor signatures of CPUID leaf 0x40000000, as hypervisors publish them.
    public static let hypervisorNames: [String: String] = [
        "KVMKVMKVM": "KVM",
        "Linux KVM Hv": "KVM",
        "Microsoft Hv": "Microsoft Hyper-V",
        "VMwareVMware": "VMware",
        "TCGTCGTCGTCG": "QEMU TCG",
        "VBoxVBoxVBox": "VirtualBox",
        "XenVMMXenVMM": "Xen",
        "bhyve bhyve ": "bhyve",
        " lrpepyh  vr": "Parallels",
        "ACRNACRNACRN": "ACRN",
        "QNXQVMBSQG": "QNX",
        "OpenBSDVMM58": "OpenBSD vmm",
    ]

    /// A virtual machine named by its firmware's DMI strings, as the hypervisors fill them in.
    static func dmiVendor(_ dmi: [String: String]) -> String? {
        let known: [(String, String)] = [
            ("QEMU", "QEMU"), ("KVM", "KVM"), ("VMware", "VMware"), ("VirtualBox", "VirtualBox"), ("innotek", "VirtualBox"),
            ("Xen", "Xen"), ("Parallels", "Parallels"), ("BHYVE", "bhyve"), ("Amazon EC2", "Amazon EC2"),
            ("Google Compute Engine", "Google Compute Engine"), ("Apple Virtualization", "Apple Virtualization"),
        ]
        let strings = dmiFields.compactMap { dmi[$0] }
        if let (_, name) = known.first(where: { key, _ in strings.contains { $0.contains(key) } }) { return name }
        // Hyper-V: "Microsoft Corporation" makes real computers too (Surface); "Virtual Machine" tells them apart.
        if dmi["sys_vendor"] == "Microsoft Corporation", dmi["product_name"] == "Virtual Machine" { return "Microsoft Hyper-V" }
        return nil
    }

    /// The flags of the first processor in `/proc/cpuinfo` (`flags` on x86, `Features` on arm64).
    private static func cpuFlags() -> Set<String> {
        guard let text = try? ProcFS.readFile("/proc/cpuinfo") else { return [] }
        let fields = MachineDescription.fields(of: text)
        let flags = fields["flags"] ?? fields["Features"] ?? ""
        return Set(flags.split(separator: " ").map(String.init))
    }

    private static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: [" ", "\n", "\t"])
    }

    private static func node(_ path: String) -> DeviceNode? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let owner = getpwuid(info.st_uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "\(info.st_uid)"
        let group = getgrgid(info.st_gid).flatMap { $0.pointee.gr_name.map { String(cString: $0) } } ?? "\(info.st_gid)"
        return DeviceNode(mode: UInt32(info.st_mode), owner: owner, group: group)
    }
}
#endif
