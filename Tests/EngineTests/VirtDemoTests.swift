import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// What the test itself finds on this machine, without the engine's lookups.
private enum VMWitness {
    static let isX86 = (try? Witness.run("uname", ["-m"]).output.hasPrefix("x86_64")) == true

    /// The flags of the first processor in `/proc/cpuinfo`.
    static let cpuFlags: Set<String> = {
        let line = (try? Witness.text("/proc/cpuinfo"))?.split(separator: "\n").first { $0.hasPrefix("flags") }
        return Set(line?.split(separator: ":").last?.split(separator: " ").map(String.init) ?? [])
    }()

    /// Where `make vm-deps` puts the kernel for this user (scripts/vm-deps.sh).
    static let kernel: String = {
        let environment = ProcessInfo.processInfo.environment
        let data = environment["XDG_DATA_HOME"].map { $0 + "/ctutor" } ?? (environment["HOME"] ?? "") + "/.local/share/ctutor"
        return data + "/vm/vmlinuz"
    }()

    static let qemuInstalled = Witness.isInstalled("qemu-system-x86_64")
    static let vmReady = Witness.isLinux && isX86 && qemuInstalled && FileManager.default.fileExists(atPath: kernel)
    static var vmMissingReason: Comment {
        let qemu = qemuInstalled ? "installed" : "missing"
        let found = FileManager.default.fileExists(atPath: kernel) ? "present" : "missing"
        return "needs qemu-system-x86_64 (\(qemu)) and a kernel at \(kernel) (\(found)): run `make vm-deps`"
    }

    /// Temporary directories of this test process's VM boots.
    static func temporaryDirectories() -> [String] {
        let directory = FileManager.default.temporaryDirectory.path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix("ctutor-vm-\(getpid())-") }.map { directory + "/" + $0 }
    }
}

@Suite("virt demo: is this computer a VM", .enabled(if: Witness.isLinux, "reads /proc, /sys and CPUID: Linux only"))
struct VirtualizationFactsTests {
    @Test(
        "CPUID's hypervisor signature goes with /proc/cpuinfo's hypervisor flag",
        .enabled(if: VMWitness.isX86, "CPUID is an x86 instruction"))
    func signatureMatchesCpuinfoFlag() throws {
        let facts = VirtualizationFacts.read()
        #expect(facts.cpuinfoHypervisorFlag == VMWitness.cpuFlags.contains("hypervisor"))
        if VMWitness.cpuFlags.contains("hypervisor") {
            guard case .signature(let signature) = facts.cpuid else {
                Issue.record("the flag is set, yet CPUID reads \(facts.cpuid)")
                return
            }
            #expect(!signature.isEmpty)
            #expect(VirtualizationFacts.hypervisorNames[signature] != nil, "unknown signature \"\(signature)\"")
            #expect(facts.isVirtualMachine)
        } else {
            #expect(facts.cpuid == .noHypervisor)
        }
        #expect(facts.virtualizationFlags == ["vmx", "svm"].filter(VMWitness.cpuFlags.contains))
    }

    @Test(
        "the verdict agrees with systemd-detect-virt --vm",
        .enabled(if: Witness.isInstalled("systemd-detect-virt"), "systemd-detect-virt is not installed"))
    func verdictAgreesWithSystemd() throws {
        let facts = VirtualizationFacts.read()
        let systemd = try Witness.run("systemd-detect-virt", ["--vm"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect((systemd == "none") == !facts.isVirtualMachine, "systemd-detect-virt --vm: \(systemd); verdict: \(facts.verdict.en)")
        guard systemd != "none" else { return }
        // systemd's identifiers, and the names the engine may give the same hypervisor.
        let names: [String: Set<String>] = [
            "kvm": ["KVM"], "qemu": ["QEMU TCG", "QEMU", "KVM"], "microsoft": ["Microsoft Hyper-V"], "vmware": ["VMware"],
            "oracle": ["VirtualBox"], "xen": ["Xen"], "bhyve": ["bhyve"], "parallels": ["Parallels"], "acrn": ["ACRN"],
            "qnx": ["QNX"], "amazon": ["Amazon EC2", "KVM"], "google": ["Google Compute Engine", "KVM"],
        ]
        let expected = try #require(names[systemd], "no name known for systemd's \(systemd)")
        #expect(facts.hypervisorName.map(expected.contains) == true, "systemd: \(systemd); engine: \(facts.hypervisorName ?? "-")")
    }

    @Test("/dev/kvm is usable exactly when the test can open it read-write")
    func kvmAccess() {
        let facts = VirtualizationFacts.read()
        let fd = open("/dev/kvm", O_RDWR | O_CLOEXEC)
        if fd >= 0 { close(fd) }
        #expect(facts.canAccelerate == (fd >= 0))
        #expect((facts.kvmNode != nil) == FileManager.default.fileExists(atPath: "/dev/kvm"))
    }
}

@Suite("virt demo: the initramfs", .enabled(if: Witness.isInstalled("cpio"), "cpio is not installed (scripts/setup-deps.sh test)"))
struct VirtInitramfsTests {
    @Test("the cpio writer's archive is read back by cpio -t: /init, /bin/busybox, /dev/console")
    func cpioReadsTheArchive() throws {
        let busybox = try Array(Data(contentsOf: URL(fileURLWithPath: VirtDemoInitramfs.findBusybox() ?? "/bin/sh")))
        let archive = VirtDemoInitramfs.archive(busybox: busybox)
        #expect(archive.count % 4 == 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-cpio-\(getpid()).cpio")
        try Data(archive).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let listing = try Witness.run("cpio", ["-t", "-v", "--quiet", "-F", file.path])
        #expect(listing.status == 0)
        let lines = listing.output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let byName = Dictionary(lines.compactMap { fields in fields.last.map { (String($0), fields) } }, uniquingKeysWith: { a, _ in a })
        #expect(Set(byName.keys) == ["dev", "dev/console", "proc", "bin", "bin/busybox", "init"])
        let busyboxLine = try #require(byName["bin/busybox"])
        #expect(busyboxLine.first == "-rwxr-xr-x")
        #expect(busyboxLine.contains("\(busybox.count)"))
        let console = try #require(byName["dev/console"])
        #expect(console.first?.hasPrefix("c") == true)
        #expect(console.contains("5,") && console.contains("1"))
        #expect(byName["init"]?.first == "-rwxr-xr-x")

        let script = try Witness.run("sh", ["-c", "exec cpio -i --quiet --to-stdout init < \(file.path)"])
        #expect(script.output == VirtDemoInitramfs.initScript)
    }

    @Test("the console text loses terminal sequences; a screen clear ends a line")
    func consoleText() {
        let raw = Array("Booting from ROM..\u{1B}c\u{1B}[?7l\u{1B}[2J\(VirtDemoInitramfs.marker) release=6.1\r\n[ 2.4] reboot\r\n".utf8)
        #expect(VirtDemoConsole.plainText(raw) == "Booting from ROM..\n\(VirtDemoInitramfs.marker) release=6.1\n[ 2.4] reboot\n")
        let line = VirtDemoInitramfs.marker + " release=6.1.0-57-amd64 boot_id=ab-cd memtotal_kb=81920 uptime=2.12"
        #expect(
            VirtDemoInitramfs.fields(ofMarker: line[...])
                == ["release": "6.1.0-57-amd64", "boot_id": "ab-cd", "memtotal_kb": "81920", "uptime": "2.12"])
    }

    @Test(
        "Debian's busybox-static is a static ELF; a dynamic program is not",
        .enabled(if: VirtDemoInitramfs.findBusybox() != nil, "busybox is not installed"))
    func staticBusybox() throws {
        let busybox = try #require(VirtDemoInitramfs.findBusybox())
        let file = try Witness.run("sh", ["-c", "LC_ALL=C file -L \(busybox) 2>/dev/null || true"]).output
        if file.contains("ELF") { #expect(VirtDemoInitramfs.isStaticELF(busybox) == file.contains("statically linked")) }
        #expect(!VirtDemoInitramfs.isStaticELF("/bin/ls"))
    }
}

@Suite(
    "virt demo: a VM beside a container", .serialized,
    .enabled(if: Witness.isLinux, "namespaces, /proc and qemu: Linux only"))
struct VirtDemoTests {
    @Test("without a kernel for the VM, the report shows part 1 and says the VM part was not run, and why")
    func withoutKernel() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-no-kernel-\(getpid())").path
        var called = false
        let report = VirtDemo(environment: ["HOME": home, "PATH": "/usr/bin:/bin"]).run { _ in called = true }
        #expect(!called)
        #expect(report.mode == (geteuid() == 0 ? .real : .rootless))
        let reason = try #require(report.reason?.en)
        #expect(reason.contains("the VM part was not run"))
        if VMWitness.isX86 {
            #expect(reason.contains("\(home)/.local/share/ctutor/vm/vmlinuz"))
            #expect(reason.contains("qemu-system-x86_64") == !VMWitness.qemuInstalled)
            #expect(report.remedy?.en.contains("make vm-deps") == true)
            #expect(report.remedy?.ko.contains("make vm-deps") == true)
        }
        #expect(report.observation("boot-id") == nil && report.observation("kernel-release") == nil)
        #expect(report.observation("cpu-hypervisor-flag") != nil && report.observation("kvm-device") != nil)
        #expect(report.cleanup.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: home))
    }

    @Test(
        "the VM boots its own kernel, beside a container on the host's, and leaves nothing",
        .enabled(if: VMWitness.vmReady, VMWitness.vmMissingReason),
        arguments: geteuid() == 0 ? [ModePreference.auto, .rootless] : [.auto])
    func vmBesideContainer(preference: ModePreference) throws {
        var seen: (qemu: Int32, container: Int32, records: [String], directories: [String])?
        let report = VirtDemo(preference: preference).run { child in
            let qemu = try #require(child.others.first)
            #expect(try Witness.link("/proc/\(qemu)/exe").hasSuffix("qemu-system-x86_64"))
            #expect(try Witness.link("/proc/\(child.pid)/ns/uts") != Witness.link("/proc/self/ns/uts"))
            seen = (qemu, child.pid, try Witness.runRecords(demo: "virt"), VMWitness.temporaryDirectories())
        }
        let alive = try #require(seen, "the VM never ran: \(report.reason?.en ?? "")")
        Witness.expectSucceeded(report, preference: geteuid() == 0 ? preference : .rootless)
        #expect(!alive.records.isEmpty, "the run keeps a record while qemu lives")
        #expect(alive.directories.count == 1, "the initramfs's directory: \(alive.directories)")

        let hostRelease = try Witness.run("uname", ["-r"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let release = try #require(report.observation("kernel-release"))
        #expect(release.value("vm") != nil && release.value("vm") != hostRelease, "the Debian kernel, not the host's")
        #expect(release.value("container") == hostRelease)
        #expect(release.host == hostRelease)
        let hostBoot = try Witness.text("/proc/sys/kernel/random/boot_id").trimmingCharacters(in: .whitespacesAndNewlines)
        let boot = try #require(report.observation("boot-id"))
        #expect(boot.value("container") == hostBoot && boot.host == hostBoot)
        #expect(boot.value("vm")?.count == hostBoot.count && boot.value("vm") != hostBoot)
        let console = try #require(report.observation("vm-console")?.value("vm"))
        #expect(console.contains(VirtDemoInitramfs.marker))
        // qemu exited by itself when the VM powered off: status 0, not a kill.
        #expect(report.steps.contains { $0.en.contains("waitpid(\(alive.qemu)) → exited with status 0") })

        #expect(!Witness.exists(pid: alive.qemu), "qemu is still there")
        #expect(!Witness.exists(pid: alive.container))
        // Only the demo's own: other suites run beside this one and have children of their own.
        #expect(!Witness.children().contains(alive.qemu) && !Witness.children().contains(alive.container))
        for directory in alive.directories { #expect(!FileManager.default.fileExists(atPath: directory)) }
        for record in alive.records { #expect(!FileManager.default.fileExists(atPath: record), "record \(record) is left") }
    }

    @Test(
        "without KVM, qemu translates every instruction (TCG) and the VM still boots and powers off",
        .enabled(if: VMWitness.vmReady, VMWitness.vmMissingReason))
    func bootWithoutKVM() throws {
        guard case .found(let requirements) = VirtDemoRequirements.find() else {
            Issue.record("the test found qemu and a kernel; the engine did not")
            return
        }
        let record = RunRecord.begin(demo: "virt-tcg-test")
        defer { record.finish() }
        let boot = VirtDemoBoot(requirements: requirements, accelerate: false, record: record)
        var steps: [Localized] = []
        let vm = try boot.start(steps: &steps)
        #expect(vm.accelerator == "tcg")
        #expect(try Witness.text("/proc/\(vm.qemuPID)/cmdline").split(separator: "\0").suffix(2) == ["-accel", "tcg"])
        #expect(vm.guest["release"] != nil && vm.residentKB > 0)
        try boot.powerOff(steps: &steps)
        var report = DemoReport(demo: "virt", title: Localized("virt"), mode: .real)
        boot.release(into: &report)
        #expect(report.cleanedUp && report.cleanup.count == 2)
        #expect(!Witness.exists(pid: vm.qemuPID))
        #expect(VMWitness.temporaryDirectories().isEmpty)
    }
}
