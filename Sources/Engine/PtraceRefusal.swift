#if os(Linux)
import Foundation
import Glibc
import TutorCore

/// Why the kernel refused a ptrace-class request (`PTRACE_TRACEME`, `process_vm_readv`,
/// `/proc/<pid>/mem`), judged from the switches that can cause it, with what to do.
enum PtraceRefusal {
    /// The cause of an `EPERM`/`EACCES` from such a call on this machine.
    static func explain(_ error: SyscallError) -> (reason: Localized, remedy: Localized) {
        let refused = "\(error.call): \(error.errnoName)"
        let status = try? ProcFS.status(pid: getpid())
        if let tracer = status?.fields["TracerPid"], tracer != "0" {
            return (
                Localized(
                    ko: "\(refused) — ctutor가 이미 다른 프로세스(TracerPid \(tracer))에게 추적당하고 있습니다. 추적자는 하나뿐입니다",
                    en: "\(refused) — ctutor itself is being traced (TracerPid \(tracer)), and a process has one tracer only"),
                Localized(
                    ko: "strace나 gdb 밖에서 ctutor를 실행하세요.",
                    en: "Run ctutor outside strace or gdb.")
            )
        }
        let scope = (try? ProcFS.readFile("/proc/sys/kernel/yama/ptrace_scope")).flatMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        switch scope {
        case 3:
            return (
                Localized(
                    ko: "\(refused) — kernel.yama.ptrace_scope=3: 이 커널에서는 어떤 프로세스도 ptrace를 쓸 수 없습니다",
                    en: "\(refused) — kernel.yama.ptrace_scope=3 forbids ptrace for every process on this kernel"),
                Localized(
                    ko: "3은 재부팅 전에는 낮출 수 없습니다. /etc/sysctl.d/10-ptrace.conf에 kernel.yama.ptrace_scope = 1을 적고 재부팅하세요.",
                    en: "3 cannot be lowered until reboot: put kernel.yama.ptrace_scope = 1 in /etc/sysctl.d/10-ptrace.conf and reboot.")
            )
        case 2:
            return (
                Localized(
                    ko: "\(refused) — kernel.yama.ptrace_scope=2: CAP_SYS_PTRACE가 있는 프로세스만 ptrace를 쓸 수 있습니다",
                    en: "\(refused) — kernel.yama.ptrace_scope=2 allows ptrace only to processes with CAP_SYS_PTRACE"),
                Localized(
                    ko: "sudo로 ctutor를 실행하거나, 다음 명령으로 낮추세요: sudo sysctl -w kernel.yama.ptrace_scope=1",
                    en: "Run ctutor with sudo, or lower it: sudo sysctl -w kernel.yama.ptrace_scope=1")
            )
        default:
            break
        }
        if let mode = status?.fields["Seccomp"], mode != "0" {
            return (
                Localized(
                    ko: "\(refused) — seccomp 필터(/proc/self/status의 Seccomp: \(mode), 예: 컨테이너의 기본 프로필)가 ptrace를 막고 있습니다",
                    en:
                        "\(refused) — a seccomp filter (Seccomp: \(mode) in /proc/self/status, e.g. a container's default profile) forbids ptrace"
                ),
                Localized(
                    ko: "호스트에서 실행하거나, 컨테이너를 --cap-add=SYS_PTRACE 또는 --security-opt seccomp=unconfined로 시작하세요.",
                    en: "Run ctutor on the host, or start the container with --cap-add=SYS_PTRACE or --security-opt seccomp=unconfined.")
            )
        }
        return (
            Localized(
                ko: "\(refused) — 보안 모듈(AppArmor나 SELinux)이 ptrace를 거부한 것 같습니다",
                en: "\(refused) — a security module (AppArmor or SELinux) seems to deny ptrace"),
            Localized(
                ko: "sudo dmesg나 감사 로그(/var/log/audit/audit.log)에서 ptrace 거부 기록을 찾아 ctutor에 허용하세요.",
                en: "Look for a ptrace denial in sudo dmesg or the audit log (/var/log/audit/audit.log) and allow it for ctutor.")
        )
    }

    /// Whether `error` is the kind of refusal ``explain(_:)`` knows.
    static func isRefusal(_ error: SyscallError) -> Bool {
        [EPERM, EACCES].contains(error.errno)
    }
}

extension SyscallCounterFailure {
    /// Why the count could not be made, and what the learner can do, for any error
    /// the counter throws.
    static func explain(_ error: any Error) -> (reason: Localized, remedy: Localized?) {
        switch error {
        case SyscallCounterFailure.unsupportedArchitecture(let architecture):
            return (
                Localized(
                    ko: "호출 번호를 읽는 레지스터는 x86_64와 aarch64에서만 알고 있습니다. 이 컴퓨터는 \(architecture)입니다",
                    en: "the counter knows where the call number is kept on x86_64 and aarch64 only; this machine is \(architecture)"),
                Localized(ko: "strace -c /bin/ls / 로 대신 세어 보세요.", en: "Count them with strace instead: strace -c /bin/ls /")
            )
        case SyscallCounterFailure.child(let failure) where failure.call.hasPrefix("ptrace") && PtraceRefusal.isRefusal(failure):
            let explained = PtraceRefusal.explain(failure)
            return (explained.reason, explained.remedy)
        case let failure as SyscallError where PtraceRefusal.isRefusal(failure):
            let explained = PtraceRefusal.explain(failure)
            return (explained.reason, explained.remedy)
        case SyscallCounterFailure.child(let failure):
            return (Localized(ko: "추적할 자식 프로세스에서 \(failure)", en: "in the traced child, \(failure)"), nil)
        case SyscallCounterFailure.timedOut(let seconds):
            return (
                Localized(
                    ko: "명령이 \(seconds)초 안에 끝나지 않아 SIGKILL로 끝냈습니다",
                    en: "the command did not finish within \(seconds) s and was killed with SIGKILL"),
                nil
            )
        case SyscallCounterFailure.notStopped(let status):
            return (
                Localized(
                    ko: "자식 프로세스가 추적을 받기 전에 끝났습니다(waitpid 상태 \(status))",
                    en: "the child ended before the tracer could take it over (waitpid status \(status))"),
                nil
            )
        default:
            return (Localized("\(error)"), nil)
        }
    }
}
#endif
