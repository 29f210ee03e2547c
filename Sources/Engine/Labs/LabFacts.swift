import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// The values a `file` check compares a learner's notes with, read from the kernel
/// when the check runs.
enum LabFacts {
    static func value(_ fact: LabFact, _ snapshot: LabChecker.Snapshot) -> String? {
        switch fact {
        case .kernelRelease:
            return try? Uname.current().release
        case .cpuCount:
            let count = sysconf(Int32(_SC_NPROCESSORS_ONLN))
            return count > 0 ? String(count) : nil
        case .cpuVirtualization:
            return VirtualizationFacts.read().virtualizationFlags.first ?? "none"
        case .hypervisor:
            return VirtualizationFacts.read().cpuinfoHypervisorFlag ? "yes" : "no"
        case .pidOf(let comm):
            return newest(comm, snapshot)?.innermostPID.map(String.init)
        case .threadsOf(let comm):
            return newest(comm, snapshot)?.threads.map(String.init)
        }
    }

    /// The most recently started process named `comm` (the highest host PID, barring wrap-around).
    private static func newest(_ comm: String, _ snapshot: LabChecker.Snapshot) -> LabProcess? {
        snapshot.processes.filter { $0.comm == comm }.max { $0.pid < $1.pid }
    }

    static func name(_ fact: LabFact) -> Localized {
        switch fact {
        case .kernelRelease: Localized(ko: "커널 릴리스", en: "kernel release")
        case .cpuCount: Localized(ko: "CPU 수", en: "number of CPUs")
        case .cpuVirtualization: Localized(ko: "CPU 가상화 플래그", en: "CPU virtualization flag")
        case .hypervisor: Localized(ko: "하이퍼바이저 여부", en: "hypervisor answer")
        case .pidOf(let comm): Localized(ko: "'\(comm)'의 PID", en: "PID of '\(comm)'")
        case .threadsOf(let comm): Localized(ko: "'\(comm)'의 스레드 수", en: "thread count of '\(comm)'")
        }
    }

    /// Why the fact has no value now.
    static func missing(_ fact: LabFact) -> Localized {
        switch fact {
        case .pidOf(let comm), .threadsOf(let comm):
            Localized(ko: "'\(comm)' 프로세스가 실행 중이 아닙니다.", en: "No '\(comm)' process is running.")
        default:
            Localized(ko: "\(name(fact).ko)을 커널에서 읽을 수 없습니다.", en: "Cannot read the \(name(fact).en) from the kernel.")
        }
    }
}
