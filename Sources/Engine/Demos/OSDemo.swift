import TutorCore

#if os(Linux)
import CShim
import Glibc
#endif

/// What this computer is, read from the machine itself; the layers a program stands
/// on (the shared libraries a real process mapped); and the kernel boundary made
/// visible: every system call one small command makes, counted with `ptrace`.
public struct OSDemo: Demo {
    /// No namespaces: it needs no privileges and runs the same for every user.
    public static let namespaces: Set<NamespaceKind> = []

    /// The catalog entry.
    public static let info = DemoInfo(
        id: "os",
        title: Localized(ko: "운영체제: 이 컴퓨터와 커널의 경계", en: "The operating system: this computer and the kernel boundary"),
        summary: Localized(
            ko: "CPU·메모리·커널·배포판·셸을 이 컴퓨터에서 직접 읽고, 실행 중인 프로그램이 올려 쓰는 공유 라이브러리를 "
                + "/proc/<pid>/maps에서 보여 준 뒤, 작은 명령 하나가 커널에 부탁하는 시스템 호출을 ptrace로 하나하나 셉니다.",
            en: "Reads the CPU, memory, kernel, distribution and shell from this machine, shows the shared libraries "
                + "a running program mapped (/proc/<pid>/maps), and counts with ptrace every system call one small "
                + "command asks of the kernel."))

    public let preference: ModePreference
    /// The program whose mapped libraries are listed; it waits in `clock_nanosleep` meanwhile.
    public let sleeper: [String]
    /// The command whose system calls are counted; its standard output goes to `/dev/null`.
    public let tracedCommand: [String]

    /// The ctutor binary that runs the hidden child program `traceme`: this very one,
    /// unless a test (whose own binary is the test runner) names the built `ctutor`.
    public let childExecutable: String

    /// `preference` does not change how this demo runs (see ``PlainProcessMode``).
    public init(preference: ModePreference) {
        self.init(preference: preference, tracedCommand: ["/bin/ls", "/"])
    }

    /// - Precondition: `tracedCommand` starts with an absolute path.
    public init(
        preference: ModePreference = .auto, tracedCommand: [String] = ["/bin/ls", "/"],
        childExecutable: String = ChildProgram.selfExecutable
    ) {
        precondition(tracedCommand.first?.hasPrefix("/") == true, "the traced command needs an absolute path")
        self.preference = preference
        self.sleeper = ["/bin/sleep", "30"]
        self.tracedCommand = tracedCommand
        self.childExecutable = childExecutable
    }

    /// Runs the demo; every process it starts is reaped before it returns.
    ///
    /// - Parameter whileAlive: called while the `sleep` process whose libraries were
    ///   listed still lives (its PID is `pid`). If it throws, the report's `reason`
    ///   says so and the process is still reaped.
    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        let probe = MachineProbe.current()
        #if os(Linux)
        return run(probe: probe, whileAlive: whileAlive)
        #else
        return probe.notLinuxReport(Self.info)
        #endif
    }
}

#if os(Linux)
extension OSDemo {
    private func run(probe: MachineProbe, whileAlive: ((NamespaceChild) throws -> Void)?) -> DemoReport {
        var report = PlainProcessMode.report(Self.info, probe: probe)
        let processes = DemoProcesses(demo: Self.info.id)
        do {
            let facts = try MachineDescription.read()
            report.steps += facts.steps
            report.observations += facts.observations

            let pid = try showLibraries(processes: processes, into: &report)
            countSystemCalls(processes: processes, probe: probe, into: &report)
            try whileAlive?(NamespaceChild(pid: pid))
        } catch {
            report.record(DemoFailure(error, rootless: false, probe: probe))
        }
        end(processes, into: &report)
        return report
    }

    /// Starts `sleep`, waits until it blocks in the kernel, and lists what its
    /// `/proc/<pid>/maps` holds. Returns its PID; it stays alive.
    private func showLibraries(processes: DemoProcesses, into report: inout DemoReport) throws -> Int32 {
        let path = sleeper[0]
        let name = String(path.split(separator: "/").last ?? "")
        let pid = try processes.spawn(path, arguments: [name] + sleeper.dropFirst())
        let shown = ([path] + sleeper.dropFirst()).joined(separator: " ")
        report.steps.append(Localized(ko: "런처를 거쳐 execve: \(shown) → PID \(pid)", en: "execve through the launcher: \(shown) → PID \(pid)"))
        let blocked = try processes.waitUntilBlocked(pid, in: ["clock_nanosleep", "nanosleep"])
        report.steps.append(
            Localized(
                ko: "/proc/\(pid)/syscall → \(blocked): 라이브러리를 모두 올린 뒤 커널 안에서 기다리는 중",
                en: "/proc/\(pid)/syscall → \(blocked): all its libraries are loaded and it waits in the kernel"))

        let executable = try ProcFS.readLink("/proc/\(pid)/exe")
        let maps = MemoryMaps(parsing: try ProcFS.readFile("/proc/\(pid)/maps"))
        let libraries = maps.sharedLibraries
        report.observations.append(
            Observation(
                id: "libraries",
                label: Localized(
                    ko: "실행 파일과 공유 라이브러리 (/proc/\(pid)/maps)", en: "Program and shared libraries (/proc/\(pid)/maps)"),
                expect: .show,
                sides: [
                    ObservationSide(
                        role: "process", label: Localized(ko: "\(name) (PID \(pid))", en: "\(name) (PID \(pid))"),
                        value: ([executable] + libraries.filter { $0 != executable }).joined(separator: "\n"))
                ]))
        let vdso =
            maps.hasVDSO
            ? Localized(
                ko: " [vdso]는 커널이 모든 프로세스에 직접 넣어 주는 코드입니다(파일이 아님).",
                en: " [vdso] is code the kernel itself maps into every process (not a file).")
            : Localized("")
        report.steps.append(
            Localized(
                ko: "/proc/\(pid)/maps 읽기: 파일 \(maps.files.count)개가 매핑됨, 그중 공유 라이브러리 \(libraries.count)개.\(vdso.ko)",
                en: "read /proc/\(pid)/maps: \(maps.files.count) files mapped, \(libraries.count) of them shared libraries.\(vdso.en)"))
        return pid
    }

    /// Counts the traced command's system calls. A machine that forbids `ptrace` gets
    /// the reason and the remedy in the report; the rest of the demo stands.
    private func countSystemCalls(processes: DemoProcesses, probe: MachineProbe, into report: inout DemoReport) {
        let shown = tracedCommand.joined(separator: " ")
        let architecture = ctutor_ptrace_architecture().map { String(cString: $0) } ?? MachineProbe.machineName()
        let register = architecture == "aarch64" ? "x8 (PTRACE_GETREGSET)" : "orig_rax (PTRACE_GETREGS)"
        report.steps.append(
            Localized(
                ko: "런처를 거쳐 execve: \(childExecutable) __traceme \(shown) (표준 출력 → /dev/null): 자식이 PTRACE_TRACEME, "
                    + "raise(SIGSTOP) 후 execv",
                en: "execve through the launcher: \(childExecutable) __traceme \(shown) (stdout → /dev/null): the child calls "
                    + "PTRACE_TRACEME, raise(SIGSTOP), then execv"))
        let count: SyscallCount
        do {
            count = try SyscallCounter(command: tracedCommand, childExecutable: childExecutable).run(processes: processes)
        } catch {
            let explained = SyscallCounterFailure.explain(error)
            report.steps.append(
                Localized(ko: "시스템 호출을 셀 수 없음: \(explained.reason.ko)", en: "system calls not counted: \(explained.reason.en)"))
            report.reason = Localized(
                ko: "\(shown)의 시스템 호출을 세지 못했습니다: \(explained.reason.ko)",
                en: "the system calls of \(shown) could not be counted: \(explained.reason.en)")
            report.remedy = explained.remedy
            return
        }
        report.steps.append(
            Localized(
                ko: "PTRACE_SETOPTIONS(TRACESYSGOOD|TRACEEXEC|EXITKILL) 후 멈출 때마다 PTRACE_SYSCALL; 호출 번호는 "
                    + "\(register)에서 읽음: execve부터 끝날 때까지 \(count.total)번",
                en: "PTRACE_SETOPTIONS(TRACESYSGOOD|TRACEEXEC|EXITKILL), then PTRACE_SYSCALL at every stop; the call "
                    + "number read from \(register): \(count.total) calls from execve to the end"))
        if let exit = processes.exits.last { report.steps.append(exit.step) }

        let label = Localized(ko: "\(shown) (추적)", en: "\(shown) (traced)")
        let top = count.top(8)
        let nameWidth = top.map(\.name.count).max() ?? 0
        let lines = top.map { $0.name.padding(toLength: nameWidth + 2, withPad: " ", startingAt: 0) + "\($0.count)" }
        report.observations += [
            Observation(
                id: "syscalls", label: Localized(ko: "시스템 호출 수 (ptrace)", en: "System calls made (ptrace)"), expect: .show,
                sides: [ObservationSide(role: "command", label: label, value: "\(count.total)")]),
            Observation(
                id: "syscall-kinds",
                label: Localized(
                    ko: "가장 많은 호출 \(top.count)가지 (\(count.byNumber.count)가지 중)",
                    en: "Top \(top.count) kinds (of \(count.byNumber.count))"),
                expect: .show, sides: [ObservationSide(role: "command", label: label, value: lines.joined(separator: "\n"))]),
        ]
    }

    private func end(_ processes: DemoProcesses, into report: inout DemoReport) {
        report.steps += processes.killRemaining()
        processes.finish()
        let gone = processes.gone
        if !gone.isEmpty {
            report.steps.append(
                Localized(
                    ko: "\(gone.joined(separator: ", ")) 사라짐: 시작한 프로세스가 모두 회수됨",
                    en: "\(gone.joined(separator: ", ")) gone: every process started was reaped"))
        }
        report.cleanup = processes.cleanup
    }
}
#endif
