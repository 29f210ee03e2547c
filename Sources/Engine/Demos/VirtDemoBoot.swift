#if os(Linux)
import Foundation
import Glibc
import TutorCore

/// What the demo's virtual machine showed: its own kernel's word (over the serial
/// console) and qemu as the host sees it (`/proc/<pid>/status`), with the times.
struct VirtualMachineSighting {
    var qemuPID: Int32
    /// `kvm` or `tcg`.
    var accelerator: String
    /// Whether `-accel kvm` was tried first and did not boot the VM.
    var kvmFailed: Bool
    var memoryMiB: Int
    /// The marker's fields: `release`, `boot_id`, `memtotal_kb`, `uptime`.
    var guest: [String: String]
    /// From qemu's spawn to the marker on the console.
    var toMarker: Duration
    /// qemu's `VmRSS` and `VmHWM` (peak) while the VM ran, in kB.
    var residentKB: Int
    var peakKB: Int
}

/// Why the virtual machine did not show its marker or did not power off.
struct VirtualMachineStop: LocalizedFailure {
    var detail: Localized
}

/// One boot of the demo's VM: an initramfs written to a private temporary directory,
/// qemu started through the namespace launcher (so it dies with the tutor, and is in
/// the run's record), the console read until `/init`'s marker, then Enter to power
/// off. A KVM that opens but does not run the VM (seen in nested VMs) gets one more
/// try with TCG. ``release(into:)`` removes whatever is left, whatever happened.
final class VirtDemoBoot {
    let requirements: VirtDemoRequirements
    let memoryMiB = 128
    /// `kvm` or `tcg`: the accelerator of the current (last) qemu.
    private(set) var accelerator: String
    /// Whether `-accel kvm` was tried first and did not boot the VM.
    private(set) var kvmFailed = false
    private let record: RunRecord
    private var directory: String?
    private var process: LaunchedProcess?
    private var console: VirtDemoConsole?
    private var started: ContinuousClock.Instant?
    /// qemu processes already ended and reaped (a failed KVM try).
    private var ended: [CleanupItem] = []

    init(requirements: VirtDemoRequirements, accelerate: Bool, record: RunRecord) {
        self.requirements = requirements
        self.accelerator = accelerate ? "kvm" : "tcg"
        self.record = record
    }

    /// With KVM the kernel reaches `/init` in a second or two; translating every
    /// instruction (TCG) takes several times longer.
    func bootTimeout(_ accelerator: String) -> Duration { accelerator == "kvm" ? .seconds(10) : .seconds(60) }

    /// Writes the initramfs, starts qemu and reads the console until the marker; when
    /// KVM does not get the VM there, kills that qemu and boots again with TCG.
    func start(steps: inout [Localized]) throws -> VirtualMachineSighting {
        // Recorded before it exists: a run killed while writing it leaves a directory `doctor --cleanup` finds.
        let directory = VirtDemoInitramfs.temporaryDirectory()
        record.add(.directory(path: directory))
        self.directory = directory
        let initrd = try VirtDemoInitramfs.write(busybox: requirements.busybox, into: directory, steps: &steps)
        guard accelerator == "kvm" else { return try boot(initrd, steps: &steps) }
        do {
            return try boot(initrd, steps: &steps)
        } catch let stop as VirtualMachineStop {
            kvmFailed = true
            steps.append(
                Localized(
                    ko: "-accel kvm으로는 VM이 부팅하지 못함: \(stop.detail.ko) /dev/kvm은 열리지만 이 VM을 돌리지 못하므로 "
                        + "-accel tcg로 다시 부팅합니다",
                    en: "with -accel kvm the VM did not boot: \(stop.detail.en) /dev/kvm opens but does not run this VM, "
                        + "so it boots again with -accel tcg"))
            reap(into: &steps)
            accelerator = "tcg"
            return try boot(initrd, steps: &steps)
        }
    }

    /// Presses Enter on the console: `/init` runs `poweroff -f` and qemu exits.
    func powerOff(steps: inout [Localized]) throws {
        guard let process, let console, let started else { return }
        let clock = ContinuousClock()
        let pressed = clock.now
        console.type("\n")
        guard LaunchedProcess.exits(process.pid, within: .seconds(15)) else {
            throw VirtualMachineStop(
                detail: Localized(
                    ko: "Enter를 보낸 뒤 15초 안에 VM이 꺼지지 않았습니다", en: "the VM did not power off within 15 s of the Enter"))
        }
        let now = clock.now
        _ = console.readToEnd(until: now + .seconds(1))
        steps.append(
            Localized(
                ko: "콘솔에 Enter: /init이 poweroff -f, qemu 종료까지 \(Self.milliseconds(pressed.duration(to: now))) "
                    + "(qemu 시작부터 \(Self.milliseconds(started.duration(to: now))), 관찰하느라 멈춘 시간 포함)",
                en: "Enter on the console: /init runs poweroff -f; qemu exited \(Self.milliseconds(pressed.duration(to: now))) later "
                    + "(\(Self.milliseconds(started.duration(to: now))) after its spawn, the pause for the observations included)"))
    }

    /// The console's last lines (escape sequences dropped), for the report.
    var consoleTail: [String] {
        (console?.lines ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.suffix(12).map { $0 }
    }

    /// Kills qemu if it still runs, reaps it, removes the temporary directory and
    /// forgets both in the record: the steps and cleanup items say what happened.
    func release(into report: inout DemoReport) {
        reap(into: &report.steps)
        report.cleanup += ended
        ended = []
        console = nil
        guard let directory else { return }
        try? FileManager.default.removeItem(atPath: directory)
        let gone = access(directory, F_OK) != 0
        if gone { record.remove(.directory(path: directory)) }
        report.cleanup.append(
            CleanupItem(
                Localized(ko: "임시 디렉터리 \(directory) (initramfs)", en: "temporary directory \(directory) (initramfs)"),
                released: gone))
        self.directory = nil
    }

    /// Starts qemu with the current accelerator and reads its console until the marker.
    private func boot(_ initrd: String, steps: inout [Localized]) throws -> VirtualMachineSighting {
        let console = try VirtDemoConsole()
        self.console = console
        let arguments = [
            requirements.qemu, "-kernel", requirements.kernel, "-initrd", initrd, "-append", "console=ttyS0 quiet panic=-1",
            "-nographic", "-no-reboot", "-m", "\(memoryMiB)M", "-accel", accelerator,
        ]
        var spec = LaunchSpec(namespaces: [])
        spec.program = LaunchSpec.Program(
            path: requirements.qemu, arguments: arguments,
            environment: ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" })
        let clock = ContinuousClock()
        let started = clock.now
        self.started = started
        let ends = console.qemuEnds
        let process = try NamespaceLauncher.launch(spec, record: record, stdio: (ends[0], ends[1], ends[2]))
        self.process = process
        console.qemuStarted()
        let shown = arguments.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " ")
        steps.append(
            Localized(
                ko: "런처를 거쳐 execve: \(shown) → PID \(process.pid) (표준 출력 = VM의 직렬 콘솔 ttyS0)",
                en: "execve through the launcher: \(shown) → PID \(process.pid) (standard output = the VM's serial console ttyS0)"))

        guard let line = console.line(from: VirtDemoInitramfs.marker, until: started + bootTimeout(accelerator)) else {
            throw VirtualMachineStop(detail: noMarker(console: console, pid: process.pid))
        }
        let toMarker = started.duration(to: clock.now)
        let resident = try Self.statusKilobytes(process.pid, "VmRSS")
        let peak = try Self.statusKilobytes(process.pid, "VmHWM")
        let guest = VirtDemoInitramfs.fields(ofMarker: line)
        guard guest["release"] != nil, guest["boot_id"] != nil else {
            throw VirtualMachineStop(
                detail: Localized(ko: "VM의 표시 줄을 읽을 수 없습니다: \(line)", en: "the VM's marker line is unreadable: \(line)"))
        }
        steps.append(
            Localized(
                ko: "콘솔에서 /init의 표시 줄을 읽음 (시작 후 \(Self.milliseconds(toMarker))): \(line)",
                en: "read /init's marker on the console (\(Self.milliseconds(toMarker)) after the spawn): \(line)"))
        steps.append(
            Localized(
                ko: "VM이 도는 동안 /proc/\(process.pid)/status 읽기: VmRSS \(resident) kB, VmHWM \(peak) kB",
                en: "read /proc/\(process.pid)/status while the VM runs: VmRSS \(resident) kB, VmHWM \(peak) kB"))
        return VirtualMachineSighting(
            qemuPID: process.pid, accelerator: accelerator, kvmFailed: kvmFailed, memoryMiB: memoryMiB, guest: guest,
            toMarker: toMarker, residentKB: resident, peakKB: peak)
    }

    /// Kills the current qemu if it still runs and reaps it; a step and a cleanup item.
    private func reap(into steps: inout [Localized]) {
        guard let process else { return }
        let exit = process.wait(timeout: .milliseconds(1))
        var reaped = exit
        reaped.killedAfter = nil
        let killed =
            exit.killedAfter == nil
            ? Localized("")
            : Localized(ko: "qemu가 아직 돌고 있음: kill(\(process.pid), SIGKILL); ", en: "qemu still runs: kill(\(process.pid), SIGKILL); ")
        steps.append(Localized(ko: killed.ko + reaped.step.ko, en: killed.en + reaped.step.en))
        ended.append(
            CleanupItem(
                Localized(
                    ko: "qemu 프로세스 \(process.pid) (/proc/\(process.pid) \(exit.gone ? "사라짐" : "남아 있음"))",
                    en: "qemu process \(process.pid) (/proc/\(process.pid) \(exit.gone ? "gone" : "still there"))"),
                released: exit.gone))
        self.process = nil
    }

    private func noMarker(console: VirtDemoConsole, pid: Int32) -> Localized {
        let exited = LaunchedProcess.exits(pid, within: .milliseconds(1))
        _ = console.readToEnd(until: ContinuousClock.now + .milliseconds(200))
        let errors = console.errors.split(separator: "\n").suffix(3).joined(separator: " / ")
        let said = errors.isEmpty ? "" : " qemu: \(errors)."
        let seen = consoleTail.suffix(3).joined(separator: " / ")
        let console = seen.isEmpty ? "" : " Console: \(seen)."
        if exited {
            return Localized(
                ko: "VM이 표시 줄을 찍기 전에 qemu가 끝났습니다.\(said)\(console)",
                en: "qemu ended before the VM printed its marker.\(said)\(console)")
        }
        let seconds = bootTimeout(accelerator).components.seconds
        return Localized(
            ko: "\(seconds)초 안에 VM이 표시 줄을 찍지 않았습니다(-accel \(accelerator)).\(said)\(console)",
            en: "the VM printed no marker within \(seconds) s (-accel \(accelerator)).\(said)\(console)")
    }

    /// A `… kB` line of `/proc/<pid>/status` (`VmRSS`, `VmHWM`), in kB.
    static func statusKilobytes(_ pid: Int32, _ key: String) throws -> Int {
        let value = try ProcFS.status(pid: pid).fields[key]
        guard let value, let kilobytes = Int(value.split(separator: " ").first ?? "") else {
            throw ProcFormatError(path: "/proc/\(pid)/status", problem: "no \(key) line in kB")
        }
        return kilobytes
    }

    /// `812.4 ms`.
    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f ms", duration / .milliseconds(1))
    }
}
#endif
