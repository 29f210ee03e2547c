#if os(Linux)
import CShim
import Foundation
import Glibc
import TutorCore

/// What this computer is, each fact read where the system keeps it: for the `os` demo.
struct MachineDescription {
    var steps: [Localized] = []
    var observations: [Observation] = []

    /// Reads the CPU, memory, kernel, distribution and the learner's shell.
    static func read() throws -> MachineDescription {
        var description = MachineDescription()
        try description.readCPU()
        try description.readMemory()
        try description.readKernel()
        description.readDistribution()
        description.readShell()
        return description
    }

    private mutating func show(_ id: String, _ label: Localized, _ value: String) {
        observations.append(
            Observation(
                id: id, label: label, expect: .show,
                sides: [ObservationSide(role: "machine", label: Localized(ko: "이 컴퓨터", en: "This machine"), value: value)]))
    }

    private mutating func readCPU() throws {
        let cpuinfo = try ProcFS.readFile("/proc/cpuinfo")
        // x86 names the model per processor; arm64 kernels often name none.
        let keys = ["model name", "Model", "Hardware", "cpu model", "Processor"]
        let fields = Self.fields(of: cpuinfo)
        let found = keys.lazy.compactMap { key in fields[key].map { (key, $0) } }.first
        let affinity = ctutor_cpu_affinity_count()
        guard affinity > 0 else { throw SyscallError(call: "sched_getaffinity", errno: errno) }
        let online = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        if let (key, model) = found {
            show("cpu-model", Localized(ko: "CPU 모델 (/proc/cpuinfo)", en: "CPU model (/proc/cpuinfo)"), model)
            steps.append(Localized(ko: "/proc/cpuinfo 읽기 (\(key))", en: "read /proc/cpuinfo (\(key))"))
        } else {
            steps.append(
                Localized(
                    ko: "/proc/cpuinfo 읽기: 이 아키텍처(\(MachineProbe.machineName()))의 커널은 CPU 모델 이름을 적지 않음",
                    en: "read /proc/cpuinfo: the kernel on this architecture (\(MachineProbe.machineName())) names no CPU model"))
        }
        show("cpus", Localized(ko: "쓸 수 있는 CPU 수 (sched_getaffinity)", en: "CPUs this process may use (sched_getaffinity)"), "\(affinity)")
        steps.append(
            Localized(
                ko: "sched_getaffinity(0) → CPU \(affinity)개; sysconf(_SC_NPROCESSORS_ONLN) → 켜진 CPU \(online)개",
                en: "sched_getaffinity(0) → \(affinity) CPUs; sysconf(_SC_NPROCESSORS_ONLN) → \(online) online"))
    }

    private mutating func readMemory() throws {
        let path = "/proc/meminfo"
        let total = Self.fields(of: try ProcFS.readFile(path))["MemTotal"]
        guard let total, let kilobytes = Int(total.split(separator: " ").first ?? "") else {
            throw ProcFormatError(path: path, problem: "no MemTotal line in kB")
        }
        let gibibytes = Double(kilobytes) / 1_048_576
        let rounded = (gibibytes * 10).rounded() / 10
        show(
            "memory", Localized(ko: "메모리 (/proc/meminfo MemTotal)", en: "Memory (/proc/meminfo MemTotal)"),
            "\(rounded) GiB (\(kilobytes) kB)")
        steps.append(Localized(ko: "/proc/meminfo 읽기 (MemTotal)", en: "read /proc/meminfo (MemTotal)"))
    }

    private mutating func readKernel() throws {
        let names = try Uname.current()
        let (system, release, machine) = (names.system, names.release, names.machine)
        show("kernel", Localized(ko: "커널 (uname)", en: "Kernel (uname)"), "\(system) \(release) (\(machine))")
        steps.append(
            Localized(
                ko: "uname() → sysname \(system), release \(release), machine \(machine)",
                en: "uname() → sysname \(system), release \(release), machine \(machine)"))
    }

    private mutating func readDistribution() {
        // os-release(5): /etc/os-release, or the vendor's copy under /usr/lib.
        for path in ["/etc/os-release", "/usr/lib/os-release"] {
            guard let text = try? ProcFS.readFile(path) else { continue }
            let line = text.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            guard let line else { continue }
            var value = line.dropFirst("PRETTY_NAME=".count)
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = value.dropFirst().dropLast()
            }
            show("distribution", Localized(ko: "배포판 (\(path))", en: "Distribution (\(path))"), String(value))
            steps.append(Localized(ko: "\(path) 읽기 (PRETTY_NAME)", en: "read \(path) (PRETTY_NAME)"))
            return
        }
        steps.append(
            Localized(
                ko: "/etc/os-release도 /usr/lib/os-release도 PRETTY_NAME을 주지 않음: 배포판 이름을 알 수 없음",
                en: "neither /etc/os-release nor /usr/lib/os-release gives a PRETTY_NAME: no distribution name"))
    }

    private mutating func readShell() {
        let uid = geteuid()
        let variable = getenv("SHELL").map { String(cString: $0) }
        var lines = ["$SHELL  " + (variable ?? "-")]
        if let entry = getpwuid(uid)?.pointee {
            let fields =
                [entry.pw_name, entry.pw_passwd].map { $0.map { String(cString: $0) } ?? "" }
                + ["\(entry.pw_uid)", "\(entry.pw_gid)"]
                + [entry.pw_gecos, entry.pw_dir, entry.pw_shell].map { $0.map { String(cString: $0) } ?? "" }
            lines.append("passwd  " + fields.joined(separator: ":"))
        }
        show("shell", Localized(ko: "로그인 셸", en: "Login shell"), lines.joined(separator: "\n"))
        steps.append(
            Localized(
                ko: "getenv(\"SHELL\")\(variable == nil ? " (설정 안 됨)" : ""), getpwuid(\(uid)) → 사용자 정보(/etc/passwd 형식)의 셸",
                en: "getenv(\"SHELL\")\(variable == nil ? " (not set)" : ""), getpwuid(\(uid)) → the shell in the user's passwd entry"))
    }

    /// The `key : value` lines of `/proc/cpuinfo` or `key: value` lines of
    /// `/proc/meminfo`, first occurrence of each key.
    static func fields(of text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: [" ", "\t"])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: [" ", "\t"])
            if fields[key] == nil, !value.isEmpty { fields[key] = value }
        }
        return fields
    }
}
#endif
