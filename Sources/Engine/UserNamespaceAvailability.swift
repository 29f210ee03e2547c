import TutorCore

/// Whether this user may create a user namespace, judged from the kernel's switches
/// before trying. The kernel has the last word: a demo still tries, and quotes this
/// when the kernel says no.
public enum UserNamespaceAvailability: Equatable, Sendable {
    case available
    /// A switch forbids it: `reason` names it, `remedy` says how to turn it.
    case blocked(reason: Localized, remedy: Localized)

    /// Judges from the sysctl files under `/proc/sys`, read through `sysctl`
    /// (`"user.max_user_namespaces"` → its integer value, `nil` when the file is absent).
    /// - Parameters:
    ///   - kernelHasUserNamespaces: whether `/proc/self/ns/user` exists (`CONFIG_USER_NS`).
    ///   - effectiveUID: root is not held back by the switches for unprivileged users.
    public static func assess(
        kernelHasUserNamespaces: Bool, effectiveUID: UInt32, sysctl: (String) -> Int?
    ) -> UserNamespaceAvailability {
        guard kernelHasUserNamespaces else {
            return .blocked(
                reason: Localized(
                    ko: "이 커널은 사용자 네임스페이스를 지원하지 않습니다(/proc/self/ns/user 없음)",
                    en: "this kernel has no user namespaces (/proc/self/ns/user is missing)"),
                remedy: Localized(
                    ko: "CONFIG_USER_NS=y로 빌드된 커널을 쓰거나, sudo로 ctutor를 실행하세요.",
                    en: "Use a kernel built with CONFIG_USER_NS=y, or run ctutor with sudo."))
        }
        // A limit of 0 stops everyone, root included.
        if sysctl("user.max_user_namespaces") == 0 {
            return .blocked(
                reason: Localized(
                    ko: "user.max_user_namespaces=0 설정 때문에 사용자 네임스페이스를 만들 수 없습니다",
                    en: "user namespaces are disabled by user.max_user_namespaces=0"),
                remedy: Localized(
                    ko: "다음 명령을 실행하세요: sudo sysctl -w user.max_user_namespaces=15000",
                    en: "Run: sudo sysctl -w user.max_user_namespaces=15000"))
        }
        if effectiveUID == 0 { return .available }
        // Debian's and older Ubuntu's switch.
        if sysctl("kernel.unprivileged_userns_clone") == 0 {
            return .blocked(
                reason: Localized(
                    ko: "kernel.unprivileged_userns_clone=0 설정 때문에 일반 사용자는 사용자 네임스페이스를 만들 수 없습니다",
                    en: "unprivileged user namespaces are disabled by kernel.unprivileged_userns_clone=0"),
                remedy: Localized(
                    ko: "다음 명령을 실행하거나 sudo로 ctutor를 실행하세요: sudo sysctl -w kernel.unprivileged_userns_clone=1",
                    en: "Run: sudo sysctl -w kernel.unprivileged_userns_clone=1, or run ctutor with sudo"))
        }
        // Ubuntu 23.10 and later: the namespace is created, but without capabilities.
        if sysctl("kernel.apparmor_restrict_unprivileged_userns") == 1 {
            return .blocked(
                reason: Localized(
                    ko: "kernel.apparmor_restrict_unprivileged_userns=1 설정(AppArmor, Ubuntu 23.10 이상) 때문에 일반 사용자의 사용자 네임스페이스가 막혀 있습니다",
                    en:
                        "unprivileged user namespaces are disabled by kernel.apparmor_restrict_unprivileged_userns=1 (AppArmor, Ubuntu 23.10 and later)"
                ),
                remedy: Localized(
                    ko: "다음 명령을 실행하거나 sudo로 ctutor를 실행하세요: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0",
                    en: "Run: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or run ctutor with sudo"))
        }
        return .available
    }

    /// Reads a sysctl from `/proc/sys` (`kernel.foo` → `/proc/sys/kernel/foo`).
    static func readSysctl(_ name: String) -> Int? {
        let path = "/proc/sys/" + name.split(separator: ".").joined(separator: "/")
        guard let text = try? ProcFS.readFile(path), let value = text.split(whereSeparator: \.isWhitespace).first
        else { return nil }
        return Int(value)
    }
}
