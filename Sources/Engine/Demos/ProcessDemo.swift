import TutorCore

#if os(Linux)
import Glibc
#endif

/// Program versus process: one executable file on disk, started three times, is
/// three processes, each with its own PID, memory and state, all running the same
/// file — seen from outside in `/proc/<pid>/…`; then they are killed and are gone.
public struct ProcessDemo: Demo {
    /// No namespaces: it needs no privileges and runs the same for every user.
    public static let namespaces: Set<NamespaceKind> = []

    /// The catalog entry.
    public static let info = DemoInfo(
        id: "process",
        title: Localized(ko: "프로그램과 프로세스: 파일 하나, 프로세스 셋", en: "Program and process: one file, three processes"),
        summary: Localized(
            ko: "디스크의 실행 파일 하나를 세 번 실행해, 세 프로세스가 저마다 PID·메모리·상태를 가지면서도 같은 파일"
                + "(같은 inode)을 실행하고 있음을 /proc/<pid>에서 확인하고, 끝낸 뒤 사라졌음을 보입니다.",
            en: "Starts one executable file three times and shows in /proc/<pid> that the three processes each have "
                + "their own PID, memory and state, yet run the same file (the same inode); then ends them and shows "
                + "they are gone."))

    public let preference: ModePreference
    /// The program started three times, and its arguments.
    public let command: [String]

    /// `preference` does not change how this demo runs (see ``PlainProcessMode``).
    public init(preference: ModePreference = .auto) {
        self.preference = preference
        self.command = ["/bin/sleep", "30"]
    }

    /// Runs the demo; the three processes are killed and reaped before it returns.
    ///
    /// - Parameter whileAlive: called while the three processes live: `pid` is the
    ///   first, `others` the second and third. If it throws, the report's `reason`
    ///   says so and they are still reaped.
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
extension ProcessDemo {
    /// A file as `stat` sees it.
    private struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64

        init(_ path: String) throws(SyscallError) {
            var info = stat()
            try retryingEINTR("stat \(path)") { stat(path, &info) }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
        }
    }

    private func run(probe: MachineProbe, whileAlive: ((NamespaceChild) throws -> Void)?) -> DemoReport {
        var report = PlainProcessMode.report(Self.info, probe: probe)
        let processes = DemoProcesses(demo: Self.info.id)
        do {
            // /bin is often a link to /usr/bin; /proc/<pid>/exe names the file itself.
            let path = try realPath(command[0])
            let file = try FileIdentity(path)
            report.steps.append(
                Localized(
                    ko: "realpath(\"\(command[0])\") → \(path); stat → 크기 \(file.size)바이트, inode \(file.inode)",
                    en: "realpath(\"\(command[0])\") → \(path); stat → size \(file.size) bytes, inode \(file.inode)"))
            let name = String(path.split(separator: "/").last ?? "")
            var pids: [Int32] = []
            for _ in 1...3 {
                pids.append(try processes.spawn(path, arguments: [name] + command.dropFirst()))
            }
            let shown = ([path] + command.dropFirst()).joined(separator: " ")
            report.steps.append(
                Localized(
                    ko: "런처를 거쳐 execve(\(shown)) 세 번 → PID \(pids.map(String.init).joined(separator: ", "))",
                    en: "execve(\(shown)) three times through the launcher → PIDs \(pids.map(String.init).joined(separator: ", "))"))
            for pid in pids { _ = try processes.waitUntilBlocked(pid, in: ["clock_nanosleep", "nanosleep"]) }
            report.observations = try observe(path: path, file: file, pids: pids)
            let first = pids[0]
            report.steps.append(
                Localized(
                    ko: "프로세스마다 바깥에서 읽음: /proc/<pid>/status(State, VmRSS), readlink /proc/<pid>/exe, "
                        + "stat /proc/<pid>/exe (예: /proc/\(first)/exe)",
                    en: "read from outside, for each process: /proc/<pid>/status (State, VmRSS), readlink /proc/<pid>/exe, "
                        + "stat /proc/<pid>/exe (e.g. /proc/\(first)/exe)"))
            try whileAlive?(NamespaceChild(pid: first, others: Array(pids.dropFirst())))
        } catch {
            report.record(DemoFailure(error, rootless: false, probe: probe))
        }
        report.steps += processes.killRemaining()
        processes.finish()
        let gone = processes.gone
        if !gone.isEmpty {
            report.steps.append(
                Localized(
                    ko: "\(gone.joined(separator: ", ")) 사라짐: 프로세스는 끝났지만 파일 \(command[0])은 디스크에 그대로 있음",
                    en: "\(gone.joined(separator: ", ")) gone: the processes ended, the file \(command[0]) stays on disk"))
        }
        report.cleanup = processes.cleanup
        return report
    }

    /// Reads each process from outside and checks it runs `path`.
    private func observe(path: String, file: FileIdentity, pids: [Int32]) throws -> [Observation] {
        let disk = Localized(ko: "디스크의 프로그램", en: "Program on disk")
        func process(_ index: Int) -> Localized { Localized(ko: "프로세스 \(index + 1)", en: "Process \(index + 1)") }
        func sides(disk diskValue: String?, _ values: [String]) -> [ObservationSide] {
            let onDisk = diskValue.map { [ObservationSide(role: "disk", label: disk, value: $0)] } ?? []
            return onDisk
                + values.enumerated().map { ObservationSide(role: "process\($0.offset + 1)", label: process($0.offset), value: $0.element) }
        }

        var states: [String] = []
        var memory: [String] = []
        var executables: [String] = []
        var inodes: [String] = []
        for pid in pids {
            let status = try ProcFS.status(pid: pid)
            guard let state = status.fields["State"], let rss = status.fields["VmRSS"] else {
                throw ProcFormatError(path: "/proc/\(pid)/status", problem: "no State or VmRSS line")
            }
            states.append(state)
            memory.append(rss)
            executables.append(try ProcFS.readLink("/proc/\(pid)/exe"))
            let running = try FileIdentity("/proc/\(pid)/exe")
            // The same inode number on another device would be another file.
            guard running.device == file.device else {
                throw EvidenceMismatch(
                    detail: Localized(
                        ko: "/proc/\(pid)/exe는 \(path)와 다른 장치의 파일입니다",
                        en: "/proc/\(pid)/exe is a file on another device than \(path)"))
            }
            inodes.append("\(running.inode)")
        }
        return [
            Observation(id: "pid", label: Localized(ko: "PID", en: "PID"), expect: .differ, sides: sides(disk: nil, pids.map(String.init))),
            Observation(
                id: "state", label: Localized(ko: "상태 (status의 State)", en: "State (status: State)"), expect: .show,
                sides: sides(disk: nil, states)),
            Observation(
                id: "memory", label: Localized(ko: "쓰는 메모리 (status의 VmRSS)", en: "Memory in use (status: VmRSS)"), expect: .show,
                sides: sides(disk: nil, memory)),
            Observation(
                id: "exe", label: Localized(ko: "실행 파일 (readlink exe)", en: "Executable (readlink exe)"), expect: .match,
                sides: sides(disk: path, executables)),
            Observation(
                id: "inode", label: Localized(ko: "inode (stat exe)", en: "Inode (stat exe)"), expect: .match,
                sides: sides(disk: "\(file.inode)", inodes)),
            Observation(
                id: "size", label: Localized(ko: "파일 크기, 바이트 (stat)", en: "File size in bytes (stat)"), expect: .show,
                sides: sides(disk: "\(file.size)", [])),
        ]
    }

    private func realPath(_ path: String) throws(SyscallError) -> String {
        guard let resolved = realpath(path, nil) else { throw SyscallError(call: "realpath \(path)", errno: errno) }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
#endif
