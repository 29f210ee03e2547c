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

    /// The kernel has no namespaces of `kind` at all: nothing to try.
    init(missing kind: NamespaceKind, kernelRelease: String) {
        self.init(
            unavailable: true,
            reason: Localized(
                ko: "이 커널(\(kernelRelease))에는 \(kind.label.ko)가 없습니다: /proc/self/ns/\(kind.rawValue)가 없습니다"
                    + " (리눅스 \(kind.firstLinuxWithLink) 이상, \(kind.kernelOption) 필요)",
                en: "this kernel (\(kernelRelease)) has no \(kind.rawValue) namespaces: /proc/self/ns/\(kind.rawValue) is missing"
                    + " (needs Linux \(kind.firstLinuxWithLink) or later, built with \(kind.kernelOption))"),
            remedy: Localized(
                ko: "리눅스 \(kind.firstLinuxWithLink) 이상이고 \(KoreanParticle.eulReul.attached(to: kind.kernelOption)) 켠 커널에서 실행하세요.",
                en: "Run ctutor on Linux \(kind.firstLinuxWithLink) or later, built with \(kind.kernelOption)."))
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

    enum Kind { case clone, idMap, procMount, sethostname }

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
        case ChildFailure.syscall(let error) where error.errno == EPERM && error.call.hasPrefix("mount proc "):
            self.init(
                error: error, call: Localized(ko: "자식의 \(error.call)", en: "\(error.call) in the child"), kind: .procMount)
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
        // The kinds the refused call asked for, as its flags name them.
        let kinds = NamespaceKind.allCases.filter(NamespaceKind.named(in: error.call).contains)
        switch (kind, error.errno) {
        case (.clone, EINVAL):
            let options = kinds.map(\.kernelOption).joined(separator: ", ")
            let names = kinds.map(\.rawValue).joined(separator: ", ")
            return (
                Localized(
                    ko: "이 커널에는 요청한 네임스페이스(\(names)) 중 없는 것이 있습니다(\(options))",
                    en: "this kernel lacks one of the namespaces asked for (\(names): \(options))"),
                Localized(
                    ko: "이 네임스페이스들을 켜고 빌드한 커널을 쓰세요.",
                    en: "Use a kernel built with these namespaces.")
            )
        case (.clone, ENOSPC), (.clone, EUSERS):
            // Name the limits that are at 0, when this process can read them.
            let atZero = kinds.filter { kind in
                (try? ProcFS.readFile(kind.limitPath))?
                    .split(whereSeparator: \.isWhitespace).first == "0"
            }
            let named = atZero.isEmpty ? kinds : atZero
            let limits = named.map(\.limitSysctl).joined(separator: ", ")
            let example = (named.first { $0 != .user } ?? named.first)?.limitSysctl ?? "user.max_user_namespaces"
            return (
                Localized(
                    ko: "네임스페이스 개수 제한(\(limits))에 걸렸습니다",
                    en: "a namespace limit is reached (\(limits))"),
                Localized(
                    ko: "`sysctl user`로 제한을 확인하고 0인 것을 올리세요. 예: sudo sysctl -w \(example)=15000",
                    en: "Check the limits with `sysctl user` and raise the one at 0, e.g. sudo sysctl -w \(example)=15000")
            )
        case (.procMount, _):
            return (
                Localized(
                    ko: "커널은 지금의 /proc이 가려진 곳 없이 다 보일 때만 새 /proc 마운트를 허락합니다."
                        + " 컨테이너 안에서는 /proc 일부가 가려져 있는 경우가 많습니다",
                    en: "the kernel allows a new /proc only where the current one is fully visible;"
                        + " inside a container parts of /proc are usually covered"),
                Localized(
                    ko: "컨테이너 밖 호스트에서 ctutor를 실행하세요.",
                    en: "Run ctutor on the host rather than in a container.")
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
