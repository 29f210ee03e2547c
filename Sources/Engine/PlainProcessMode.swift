import TutorCore

/// The mode of a demo that needs no privileges and makes no namespace (`os`,
/// `process`, `threads`): it runs the same for root and for anyone else.
///
/// It is `.real` — unless an ordinary user's ctutor already runs inside a user
/// namespace other than the host's (a rootless container), which is `.rootless`.
/// The ``ModePreference`` does not apply: these demos make no user namespace of their own.
enum PlainProcessMode {
    /// The mode, and the step that says what the demo needs.
    static func current(probe: MachineProbe) -> (mode: DemoMode, step: Localized) {
        let uid = probe.effectiveUID
        let nested = !hostUserNamespace()
        if uid != 0 && nested {
            return (
                .rootless,
                Localized(
                    ko: "특별한 권한이 필요 없는 데모: UID \(uid)로, 호스트가 아닌 사용자 네임스페이스 안에서 실행 "
                        + "(/proc/self/uid_map이 항등 매핑이 아님)",
                    en: "needs no privileges: runs as UID \(uid), inside a user namespace that is not the host's "
                        + "(/proc/self/uid_map is not the identity map)")
            )
        }
        let who = uid == 0 ? "root" : "UID \(uid)"
        return (
            .real,
            Localized(
                ko: "특별한 권한이 필요 없는 데모: 일반 사용자도 똑같이 실행합니다(지금은 \(who))",
                en: "needs no privileges: an ordinary user runs it the same way (now: \(who))")
        )
    }

    /// Whether `/proc/self/uid_map` maps every UID to itself (`0 0 4294967295`): the
    /// host's user namespace. Unreadable counts as the host's (no claim to make).
    private static func hostUserNamespace() -> Bool {
        guard let text = try? ProcFS.readFile("/proc/self/uid_map") else { return true }
        let lines = text.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace) }
        return lines == [["0", "0", "4294967295"]]
    }
}
