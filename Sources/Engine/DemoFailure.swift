import TutorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Two views of the same fact that should agree and did not.
struct EvidenceMismatch: Error, Equatable {
    var detail: Localized
}

/// An error that says what went wrong in both languages, for a report's reason.
protocol LocalizedFailure: Error {
    var detail: Localized { get }
}

/// Why a demo stopped, as its report says it: whether the machine does not allow the
/// demo at all (`unavailable`), and a reason and remedy in both languages.
struct DemoFailure: Equatable {
    var unavailable: Bool
    var reason: Localized
    var remedy: Localized?

    /// Judges an error thrown while a demo ran.
    /// - Parameters:
    ///   - rootless: whether the demo used a new user namespace.
    ///   - probe: what the machine allows, quoted when the kernel said no.
    init(_ error: any Error, rootless: Bool, probe: MachineProbe) {
        guard let refusal = Refusal(error) else {
            self.init(unavailable: false, reason: Self.stopped(error), remedy: nil)
            return
        }
        let cause = refusal.cause(rootless: rootless, probe: probe)
        let refused = refusal.error
        self.init(
            unavailable: true,
            reason: Localized(
                ko: "\(refusal.call.ko) 호출이 \(refused.errnoName)(\(refused.message)) 오류로 실패했습니다 — \(cause.reason.ko)",
                en: "\(refusal.call.en) failed with \(refused.errnoName) (\(refused.message)): \(cause.reason.en)"),
            remedy: cause.remedy)
    }

    init(unavailable: Bool, reason: Localized, remedy: Localized?) {
        self.unavailable = unavailable
        self.reason = reason
        self.remedy = remedy
    }

    private static func stopped(_ error: any Error) -> Localized {
        let detail: Localized
        switch error {
        case let mismatch as EvidenceMismatch: detail = mismatch.detail
        case let failure as any LocalizedFailure: detail = failure.detail
        case let failure as ChildFailure: detail = failure.detail
        case let refused as LaunchSpecError:
            detail = Localized(ko: "요청이 거부됨: \(refused.problem)", en: "\(refused.description)")
        default: detail = Localized("\(error)")
        }
        return Localized(ko: "데모가 중단되었습니다: \(detail.ko)", en: "the demo stopped: \(detail.en)")
    }
}

/// A call the kernel refused in a way that means "not on this machine", as opposed
/// to a fault midway: the namespaces cannot be made, or the child gets no power in them.
private struct Refusal {
    var error: SyscallError
    /// The call as the learner should read it, with its flags or its side.
    var call: Localized
    var kind: Kind

    enum Kind { case clone, idMap, sethostname }

    init?(_ error: any Error) {
        switch error {
        case let error as SyscallError
        where error.call.hasPrefix("clone(") && [EPERM, EINVAL, ENOSPC, EUSERS].contains(error.errno):
            self.init(error: error, call: Localized(error.call), kind: .clone)
        case ChildFailure.syscall(let error)
        where error.call.hasPrefix("unshare(") && [EPERM, EINVAL, ENOSPC, EUSERS].contains(error.errno):
            self.init(error: error, call: Localized(ko: "런처의 \(error.call)", en: "\(error.call) in the launcher"), kind: .clone)
        case let error as SyscallError
        where [EPERM, EACCES].contains(error.errno)
            && (error.call.hasSuffix("/uid_map") || error.call.hasSuffix("/gid_map")
                || error.call.hasSuffix("/setgroups")):
            self.init(error: error, call: Localized(error.call), kind: .idMap)
        case ChildFailure.syscall(let error) where error.errno == EPERM && error.call != "spec" && !error.call.hasPrefix("spec:"):
            self.init(
                error: error, call: Localized(ko: "자식의 \(error.call)", en: "\(error.call) in the child"),
                kind: .sethostname)
        default:
            return nil
        }
    }

    private init(error: SyscallError, call: Localized, kind: Kind) {
        self.error = error
        self.call = call
        self.kind = kind
    }

    /// What the refusal means on this machine.
    func cause(rootless: Bool, probe: MachineProbe) -> (reason: Localized, remedy: Localized) {
        // The switch the probe found explains any refusal around a user namespace.
        if rootless, case .blocked(let reason, let remedy) = probe.userNamespaces {
            return (reason, remedy)
        }
        switch (kind, error.errno) {
        case (.clone, EINVAL):
            return (
                Localized(
                    ko: "이 커널에는 UTS·PID·사용자 네임스페이스(CONFIG_UTS_NS, CONFIG_PID_NS, CONFIG_USER_NS)가 없습니다",
                    en: "this kernel lacks UTS, PID or user namespaces (CONFIG_UTS_NS, CONFIG_PID_NS, CONFIG_USER_NS)"),
                Localized(
                    ko: "이 네임스페이스들을 켜고 빌드한 커널을 쓰세요.",
                    en: "Use a kernel built with these namespaces.")
            )
        case (.clone, ENOSPC), (.clone, EUSERS):
            return (
                Localized(
                    ko: "네임스페이스 개수 제한(user.max_uts_namespaces, user.max_pid_namespaces, user.max_user_namespaces)에 걸렸습니다",
                    en: "a namespace limit is reached (user.max_uts_namespaces, user.max_pid_namespaces, user.max_user_namespaces)"),
                Localized(
                    ko: "`sysctl user`로 제한을 확인하고 올리세요. 예: sudo sysctl -w user.max_pid_namespaces=15000",
                    en: "Check the limits with `sysctl user` and raise the one at 0, e.g. sudo sysctl -w user.max_pid_namespaces=15000")
            )
        case _ where !rootless:
            return (
                Localized(
                    ko: "root로 실행 중이지만 CAP_SYS_ADMIN 권한이 없습니다. 컨테이너 안에서 실행 중인 것 같습니다",
                    en: "running as root but without CAP_SYS_ADMIN, probably inside a container"),
                Localized(
                    ko: "호스트에서 실행하거나, --privileged로 시작한 컨테이너에서 실행하세요.",
                    en: "Run ctutor on the host, or in a container started with --privileged.")
            )
        default:
            return (
                Localized(
                    ko: "seccomp 필터(예: 컨테이너 안)나 보안 모듈이 사용자 네임스페이스를 막고 있는 것 같습니다",
                    en: "a seccomp filter (e.g. inside a container) or a security module seems to forbid user namespaces"),
                Localized(
                    ko: "sudo로 ctutor를 실행하거나, 컨테이너 밖 호스트에서 실행하세요.",
                    en: "Run ctutor with sudo, or on the host rather than in a container.")
            )
        }
    }
}

extension ChildFailure {
    /// The failure in words, for a report's reason.
    var detail: Localized {
        switch self {
        case .syscall(let error):
            return Localized(ko: "자식 프로세스에서 \(error)", en: "in the child, \(error)")
        case .vanished:
            return Localized(ko: "자식 프로세스가 보고 없이 종료되었습니다", en: "the child exited without a report")
        case .silent(let seconds):
            return Localized(
                ko: "자식 프로세스가 \(seconds)초 안에 보고하지 않았습니다",
                en: "the child did not report within \(seconds) s")
        case .malformedReport(let line):
            return Localized(ko: "자식의 보고를 읽을 수 없습니다: \"\(line)\"", en: "unreadable report from the child: \"\(line)\"")
        }
    }
}
