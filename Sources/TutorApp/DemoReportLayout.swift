import TutorCore
import TutorUI

/// Lays a demo report out as lines: the mode, what was observed from each side, the
/// steps the engine took, and cleanup; or, when it could not run, why and what to
/// do. The demo screen shows these lines and `ctutor demo ID` prints their text.
public enum DemoReportLayout {
    public static func lines(for report: DemoReport, language: Language, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        lines += TextWrap.wrap([Span(report.title[language], Theme.heading1), Span("  (\(report.demo))", Theme.dim)], width: width)
        let mode: String
        switch report.mode {
        case .real: mode = UIText.demoModeReal.text(language)
        case .rootless: mode = UIText.demoModeRootless.text(language)
        case .unavailable: mode = UIText.demoModeUnavailable.text(language)
        }
        let modeStyle = report.mode == .unavailable ? Theme.bad : Theme.ok
        lines += TextWrap.wrap([Span(UIText.demoMode.text(language) + ": ", Theme.bold), Span(mode, modeStyle)], width: width)

        if !report.observations.isEmpty {
            lines.append([])
            lines += ObservationLayout.lines(for: report.observations, language: language, width: width)
        }
        if let reason = report.reason {
            lines.append([])
            lines += LessonLayout.hanging(
                [Span(reason[language])], first: Span(UIText.demoReason.text(language) + ": ", Theme.bad), rest: Span("  "), width: width)
        }
        if let remedy = report.remedy {
            lines.append([])
            lines += LessonLayout.hanging(
                [Span(remedy[language])], first: Span(UIText.demoRemedy.text(language) + ": ", Theme.warning), rest: Span("  "),
                width: width)
        }
        if !report.steps.isEmpty {
            lines.append([])
            lines.append([Span(UIText.demoSteps.text(language), Theme.heading3)])
            for (index, step) in report.steps.enumerated() {
                let label = "\(index + 1). "
                lines += LessonLayout.hanging(
                    [Span(step[language])], first: Span(label, Theme.rule), rest: Span(String(repeating: " ", count: label.count)),
                    width: width)
            }
        }
        lines.append([])
        let cleanupStyle = report.cleanedUp ? Theme.ok : Theme.bad
        lines.append([Span(UIText.demoCleanup.text(language) + ": ", Theme.bold), Span(report.cleanupStatus, cleanupStyle)])
        return lines
    }
}
