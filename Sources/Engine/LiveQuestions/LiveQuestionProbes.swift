import TutorCore

/// Answers live quiz questions by running real demos now, on this machine: the
/// answer is read from outside the process the demo started, while it lives.
///
/// A probe that cannot run here (not Linux, user namespaces disabled, a demo that
/// failed) gives the demo's own reason, so the quiz can say why it skips the question.
public struct LiveQuestionProbes: LiveAnswerSource {
    public let preference: ModePreference
    /// The ctutor binary that runs hidden child programs (see ``ThreadsDemo``).
    public let childExecutable: String

    public init(preference: ModePreference = .auto, childExecutable: String = ChildProgram.selfExecutable) {
        self.preference = preference
        self.childExecutable = childExecutable
    }

    public func resolve(_ probe: LiveProbe) -> LiveOutcome {
        switch probe {
        case .kernelRelease: return KernelReleaseProbe(preference: preference).run()
        case .childPIDInNewPIDNamespace: return ChildPIDProbe(preference: preference).run()
        case .threadCount: return ThreadCountProbe(childExecutable: childExecutable).run()
        }
    }
}

extension LiveOutcome {
    /// Why a demo run gives no answer: it could not run, failed, or left something
    /// behind; `nil` when it ran cleanly.
    static func skipReason(_ report: DemoReport) -> LiveOutcome? {
        if let reason = report.reason {
            guard let remedy = report.remedy else { return .skipped(reason) }
            return .skipped(Localized(ko: reason.ko + " — " + remedy.ko, en: reason.en + " — " + remedy.en))
        }
        if report.mode == .unavailable {
            return .skipped(
                Localized(ko: "\(report.demo) 데모를 이 컴퓨터에서 실행할 수 없습니다", en: "the \(report.demo) demo cannot run on this machine"))
        }
        if !report.cleanedUp {
            return .skipped(
                Localized(
                    ko: "\(report.demo) 데모가 모두 정리되지 않았습니다; ctutor doctor --cleanup을 실행하세요",
                    en: "the \(report.demo) demo did not clean up fully; run ctutor doctor --cleanup"))
        }
        return nil
    }

    /// A run whose evidence was missing: the question cannot be asked with a trusted answer.
    static func noEvidence(_ demo: String, _ what: String) -> LiveOutcome {
        .skipped(Localized(ko: "\(demo) 데모에서 \(what)을(를) 읽지 못했습니다", en: "the \(demo) demo gave no \(what)"))
    }
}
