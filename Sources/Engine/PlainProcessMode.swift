import TutorCore

/// The mode of a demo that needs no privileges and makes no namespace (`os`,
/// `process`, `threads`): it runs the same for root and for anyone else, so its mode
/// says only who ran it — `.real` as root, `.rootless` as anyone else, so that an
/// ordinary user's report never claims `real`.
/// The ``ModePreference`` does not apply: these demos make no user namespace of their own.
enum PlainProcessMode {
    /// The mode, and the step that says what the demo needs.
    static func current(probe: MachineProbe) -> (mode: DemoMode, step: Localized) {
        let uid = probe.effectiveUID
        let who = uid == 0 ? "root" : "UID \(uid)"
        return (
            uid == 0 ? .real : .rootless,
            Localized(
                ko: "특별한 권한이 필요 없는 데모: 일반 사용자도 똑같이 실행합니다(지금은 \(who))",
                en: "needs no privileges: an ordinary user runs it the same way (now: \(who))")
        )
    }
}
