import TutorCore

/// The mode of a demo that needs no privileges and makes no namespace (`os`,
/// `process`, `threads`): it runs the same for root and for anyone else, so its mode
/// says only who ran it — `.real` as root, `.rootless` as anyone else, so that an
/// ordinary user's report never claims `real`.
/// The ``ModePreference`` does not apply: these demos make no user namespace of their own.
enum PlainProcessMode {
    /// The report `demo` starts with: its mode, and a first step that says what it needs.
    static func report(_ demo: DemoInfo, probe: MachineProbe) -> DemoReport {
        let uid = probe.effectiveUID
        let who = uid == 0 ? "root" : "UID \(uid)"
        return DemoReport(
            demo: demo.id, title: demo.title, mode: uid == 0 ? .real : .rootless,
            steps: [
                Localized(
                    ko: "특별한 권한이 필요 없는 데모: 일반 사용자도 똑같이 실행합니다(지금은 \(who))",
                    en: "needs no privileges: an ordinary user runs it the same way (now: \(who))")
            ])
    }
}
