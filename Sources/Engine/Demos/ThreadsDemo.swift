import Foundation
import TutorCore

#if os(Linux)
import CShim
import Glibc
#endif

/// Threads share one address space; processes do not. A word processor made real:
/// one process with three named threads (`render`, `input`, `spell-check`), listed
/// from outside in `/proc/<pid>/task`, where a value one thread writes another reads
/// back; and two copies of it, each with a different value at the same virtual
/// address, read from outside with `process_vm_readv`.
public struct ThreadsDemo: Demo {
    /// No namespaces: it needs no privileges and runs the same for every user.
    public static let namespaces: Set<NamespaceKind> = []

    /// The catalog entry.
    public static let info = DemoInfo(
        id: "threads",
        title: Localized(ko: "스레드: 한 프로세스, 하나의 메모리", en: "Threads: one process, one memory"),
        summary: Localized(
            ko: "워드프로세서처럼 render·input·spell-check 스레드 셋을 가진 프로세스를 만들어 바깥에서 /proc/<pid>/task로 "
                + "확인하고, 한 스레드가 쓴 값을 다른 스레드가 읽음을 보인 뒤, 같은 프로그램의 두 프로세스는 "
                + "같은 가상 주소에 서로 다른 값을 가짐을 process_vm_readv로 읽어 보입니다.",
            en: "Starts a process with three threads like a word processor's (render, input, spell-check), lists "
                + "them from outside in /proc/<pid>/task, shows a value one thread writes is read by another, then "
                + "reads with process_vm_readv that two processes of the same program hold different values at "
                + "the same virtual address."))

    /// Where both copies of the child map their shared page: low enough for any
    /// 39-bit (aarch64) address space, far from where the kernel puts anything itself.
    public static let bufferAddress: UInt = 0x10_0000_0000

    public let preference: ModePreference
    /// The ctutor binary that runs the hidden child program `threads`: this very one,
    /// unless a test (whose own binary is the test runner) names the built `ctutor`.
    public let childExecutable: String

    /// `preference` does not change how this demo runs (see ``PlainProcessMode``).
    public init(preference: ModePreference) {
        self.init(preference: preference, childExecutable: ChildProgram.selfExecutable)
    }

    public init(preference: ModePreference = .auto, childExecutable: String = ChildProgram.selfExecutable) {
        self.preference = preference
        self.childExecutable = childExecutable
    }

    /// Runs the demo; both child processes exit (or are killed) and are reaped
    /// before it returns.
    ///
    /// - Parameter whileAlive: called while both children live and all their threads
    ///   wait: `pid` is the process with the three threads, `others` its second copy.
    ///   If it throws, the report's `reason` says so and they are still reaped.
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
extension ThreadsDemo {
    /// A started child: its PID and the read end of its report pipe.
    private struct Child {
        var pid: Int32
        var report: Int32
    }

    private func run(probe: MachineProbe, whileAlive: ((NamespaceChild) throws -> Void)?) -> DemoReport {
        var report = PlainProcessMode.report(Self.info, probe: probe)
        let processes = DemoProcesses(demo: Self.info.id)
        var children: [Child] = []
        var holdOpen: Int32 = -1
        do {
            // Every child blocks reading this pipe; closing our end is their cue to exit.
            let hold = try Spawn.pipe()
            holdOpen = hold.write
            defer { close(hold.read) }
            let first = UInt64.random(in: 0x1000_0000...0xffff_ffff)
            let values = [first, first ^ 0x5555_5555]
            for value in values {
                children.append(try start(value: value, hold: hold.read, processes: processes))
            }
            let hex = "0x" + String(Self.bufferAddress, radix: 16)
            report.steps.append(
                Localized(
                    ko: "런처를 거쳐 execve 두 번: \(childExecutable) __threads \(hex) <값> → PID \(children[0].pid), \(children[1].pid) "
                        + "(각자 mmap으로 \(hex)에 한 페이지)",
                    en: "execve twice through the launcher: \(childExecutable) __threads \(hex) <value> → PIDs \(children[0].pid), "
                        + "\(children[1].pid) (each mmaps one page at \(hex))"))
            let said = try children.map { try ThreadsChildReport(line: PipeReading.line(from: $0.report, timeout: .seconds(2))) }
            report.steps.append(
                Localized(
                    ko: "PID \(children[0].pid): pthread_create 세 번, pthread_setname_np로 render·input·spell-check; "
                        + "input이 쓴 값(0x\(String(values[0], radix: 16)))을 spell-check가 읽음; render는 문장을 "
                        + "\(said[0].renderedLines)줄로 배치",
                    en: "PID \(children[0].pid): pthread_create three times, named render, input, spell-check with "
                        + "pthread_setname_np; input writes 0x\(String(values[0], radix: 16)), spell-check reads it; "
                        + "render lays a sentence out in \(said[0].renderedLines) lines"))
            report.observations = try observe(children: children, said: said, values: values)
            report.steps.append(
                Localized(
                    ko: "바깥에서 읽음: /proc/\(children[0].pid)/task/*/comm과 status(State); "
                        + "process_vm_readv로 두 프로세스의 \(hex)에서 8바이트씩",
                    en: "read from outside: /proc/\(children[0].pid)/task/*/comm and status (State); "
                        + "process_vm_readv of 8 bytes at \(hex) in each process"))
            try whileAlive?(NamespaceChild(pid: children[0].pid, others: children.dropFirst().map(\.pid)))
        } catch let error as SyscallError where error.call.hasPrefix("process_vm_readv") && PtraceRefusal.isRefusal(error) {
            let explained = PtraceRefusal.explain(error)
            report.reason = explained.reason
            report.remedy = explained.remedy
        } catch {
            report.record(DemoFailure(error, rootless: false, probe: probe))
        }

        if holdOpen >= 0 {
            close(holdOpen)
            report.steps.append(
                Localized(
                    ko: "입력 파이프를 닫음: 모든 스레드가 read()에서 EOF를 받고 끝날 차례",
                    en: "close the input pipe: every thread gets end-of-file from read() and ends"))
        }
        for child in children {
            // Each child holds its report pipe until it exits: end-of-file there is its exit.
            let grace = Duration.seconds(2)
            let exit =
                PipeReading.waitForEndOfFile(child.report, within: grace)
                ? processes.reap(child.pid) : processes.kill(child.pid, after: grace)
            close(child.report)
            report.steps.append(exit.step)
        }
        processes.finish()
        let gone = processes.gone
        if !gone.isEmpty {
            report.steps.append(
                Localized(
                    ko: "\(gone.joined(separator: ", ")) 사라짐: 프로세스와 함께 그 스레드도 모두 끝남",
                    en: "\(gone.joined(separator: ", ")) gone: the threads ended with their process"))
        }
        report.cleanup = processes.cleanup
        return report
    }

    private func start(value: UInt64, hold: Int32, processes: DemoProcesses) throws -> Child {
        let pipe = try Spawn.pipe()
        defer { close(pipe.write) }
        let arguments = ["0x" + String(Self.bufferAddress, radix: 16), "0x" + String(value, radix: 16)]
        do {
            let pid = try processes.spawn(
                childExecutable, arguments: ChildProgram.argv("threads", arguments),
                fileActions: [.duplicate(hold, to: STDIN_FILENO), .duplicate(pipe.write, to: STDOUT_FILENO)],
                command: "ctutor __threads " + arguments.joined(separator: " "))
            return Child(pid: pid, report: pipe.read)
        } catch {
            close(pipe.read)
            throw error
        }
    }

    /// A thread as `/proc/<pid>/task/<tid>` shows it.
    private struct Task {
        var tid: Int32
        var name: String
        var state: String
    }

    /// Reads both children from outside and checks what the first one said.
    private func observe(children: [Child], said: [ThreadsChildReport], values: [UInt64]) throws -> [Observation] {
        let pid = children[0].pid
        let tasks = try self.tasks(of: pid)
        let names = tasks.map(\.name)
        guard Set(names) == Set([ThreadsChild.mainName] + ThreadsChild.threadNames), names.count == 4 else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "/proc/\(pid)/task의 스레드가 예상과 다릅니다: \(names.joined(separator: ", "))",
                    en: "/proc/\(pid)/task holds other threads than expected: \(names.joined(separator: ", "))"))
        }
        for task in tasks where task.name != ThreadsChild.mainName && said[0].threads[task.name] != task.tid {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "\(task.name) 스레드는 자기 TID를 \(said[0].threads[task.name] ?? 0)(이)라 했지만 /proc/\(pid)/task에는 \(task.tid)입니다",
                    en: "the \(task.name) thread says its TID is \(said[0].threads[task.name] ?? 0), /proc/\(pid)/task says \(task.tid)"))
        }
        let main = tasks.first { $0.name == ThreadsChild.mainName }!
        for (index, child) in children.enumerated() where said[index].pid != child.pid || said[index].buffer != Self.bufferAddress {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "PID \(child.pid)의 자식이 pid=\(said[index].pid), 버퍼 0x\(String(said[index].buffer, radix: 16))(이)라고 알립니다",
                    en: "the child with PID \(child.pid) reports pid=\(said[index].pid), buffer 0x\(String(said[index].buffer, radix: 16))")
            )
        }
        let outside = try children.map { try readWord(of: $0.pid, at: Self.bufferAddress) }

        func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
        let width = tasks.map { "\($0.tid)".count }.max() ?? 0
        let nameWidth = names.map(\.count).max() ?? 0
        let listing = tasks.map { task in
            "\(task.tid)".padding(toLength: width + 2, withPad: " ", startingAt: 0)
                + task.name.padding(toLength: nameWidth + 2, withPad: " ", startingAt: 0) + task.state
        }
        func process(_ index: Int) -> ObservationSide {
            let letter = index == 0 ? "A" : "B"
            return ObservationSide(
                role: letter.lowercased(),
                label: Localized(ko: "프로세스 \(letter) (PID \(children[index].pid))", en: "Process \(letter) (PID \(children[index].pid))"),
                value: "")
        }
        func sides(_ values: [String]) -> [ObservationSide] {
            values.enumerated().map { index, value in
                var side = process(index)
                side.value = value
                return side
            }
        }
        return [
            Observation(
                id: "tasks", label: Localized(ko: "스레드: TID, 이름, 상태", en: "Threads: TID, name, state"), expect: .show,
                sides: [
                    ObservationSide(
                        role: "task", label: Localized("/proc/\(pid)/task"), value: listing.joined(separator: "\n"))
                ]),
            Observation(
                id: "main-tid", label: Localized(ko: "주 스레드의 TID와 PID", en: "Main thread's TID and the PID"), expect: .match,
                sides: [
                    ObservationSide(role: "pid", label: Localized(ko: "PID (바깥에서 본 값)", en: "PID (seen outside)"), value: "\(pid)"),
                    ObservationSide(
                        role: "main", label: Localized(ko: "\(main.name)의 TID", en: "TID of \(main.name)"), value: "\(main.tid)"),
                ]),
            Observation(
                id: "shared", label: Localized(ko: "한 프로세스의 공유 버퍼", en: "Shared buffer, one process"),
                expect: .match,
                sides: [
                    ObservationSide(
                        role: "input", label: Localized(ko: "input 스레드가 씀", en: "input thread wrote"), value: hex(said[0].wrote)),
                    ObservationSide(
                        role: "spell-check", label: Localized(ko: "spell-check 스레드가 읽음", en: "spell-check thread read"),
                        value: hex(said[0].read)),
                    ObservationSide(
                        role: "outside", label: Localized(ko: "바깥에서 읽음 (process_vm_readv)", en: "read from outside (process_vm_readv)"),
                        value: hex(outside[0])),
                ]),
            Observation(
                id: "address", label: Localized(ko: "버퍼의 가상 주소", en: "Buffer's virtual address"), expect: .match,
                sides: sides(said.map { "0x" + String($0.buffer, radix: 16) })),
            Observation(
                id: "value", label: Localized(ko: "그 주소의 값 (process_vm_readv)", en: "Value at that address (process_vm_readv)"),
                expect: .differ, sides: sides(outside.map(hex))),
        ]
    }

    /// Every thread of `pid`, by TID, from its `/proc/<pid>/task` directory.
    private func tasks(of pid: Int32) throws -> [Task] {
        let directory = "/proc/\(pid)/task"
        let entries = try FileManager.default.contentsOfDirectory(atPath: directory).compactMap { Int32($0) }.sorted()
        return try entries.map { tid in
            let name = try ProcFS.readFile("\(directory)/\(tid)/comm").trimmingCharacters(in: .newlines)
            let status = ProcessStatus(parsing: try ProcFS.readFile("\(directory)/\(tid)/status"))
            guard let state = status.fields["State"] else {
                throw ProcFormatError(path: "\(directory)/\(tid)/status", problem: "no State line")
            }
            return Task(tid: tid, name: name, state: state)
        }
    }

    /// Eight bytes at `address` in `pid`'s memory, read from outside.
    private func readWord(of pid: Int32, at address: UInt) throws(SyscallError) -> UInt64 {
        var value: UInt64 = 0
        let call = "process_vm_readv(\(pid), 0x\(String(address, radix: 16)))"
        let count = try retryingEINTR(call) { ctutor_process_memory_read(pid, address, &value, 8) }
        guard count == 8 else { throw SyscallError(call: call, errno: EIO) }
        return value
    }
}
#endif
