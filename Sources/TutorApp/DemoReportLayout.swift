import TutorCore
import TutorUI

/// Lays a demo report out as lines, the key evidence first so it fits one 80x24
/// screen: the title and mode; why it could not run and what to do; the compared
/// observations with their verdicts; the shown ones; one line of cleanup; and last,
/// the steps the engine took, which may scroll. The demo screen shows these lines
/// and `ctutor demo ID` prints their text.
public enum DemoReportLayout {
    public static func lines(for report: DemoReport, language: Language, width: Int) -> [StyledLine] {
        var lines = header(report, language: language, width: width)
        if let reason = report.reason {
            lines.append([])
            lines += labeled(.demoReason, reason[language], style: Theme.bad, language: language, width: width)
        }
        if let remedy = report.remedy {
            lines += labeled(.demoRemedy, remedy[language], style: Theme.warning, language: language, width: width)
        }
        let compared = report.observations.filter { $0.expect != .show }
        if !compared.isEmpty {
            lines.append([])
            lines += EvidenceLayout.compared(compared, language: language, width: width)
            for observation in compared where !observation.holds {
                let text = observation.expect == .differ ? UIText.demoShouldDiffer : UIText.demoShouldMatch
                lines += indented([Span(text.format(language, observation.label[language]), Theme.bad)], width: width)
            }
        }
        let shown = report.observations.filter { $0.expect == .show }
        if !shown.isEmpty {
            lines.append([])
            lines += EvidenceLayout.shown(shown, language: language, width: width)
        }
        lines.append([])
        lines += cleanup(report, language: language, width: width)
        if !report.steps.isEmpty {
            lines.append([])
            lines.append([Span(UIText.demoSteps.text(language), Theme.heading3)])
            let labelWidth = "\(report.steps.count). ".count
            for (index, step) in report.steps.enumerated() {
                let label = TextWrap.pad("\(index + 1).", width: labelWidth)
                lines += LessonLayout.hanging(
                    [Span(gluingValues(step[language]))], first: Span(label, Theme.rule),
                    rest: Span(String(repeating: " ", count: labelWidth)), width: width)
            }
        }
        return lines
    }

    /// `Title (id) — mode`; the mode moves to the next line whole when it does not fit.
    private static func header(_ report: DemoReport, language: Language, width: Int) -> [StyledLine] {
        let mode: UIText
        switch report.mode {
        case .real: mode = .demoModeReal
        case .rootless: mode = .demoModeRootless
        case .unavailable: mode = .demoModeUnavailable
        }
        let modeText = TextWrap.unbreakable("— " + mode.text(language))
        return TextWrap.wrap(
            [
                Span(report.title[language], Theme.heading1), Span(" (\(report.demo)) ", Theme.dim),
                Span(modeText, report.mode == .unavailable ? Theme.bad : Theme.ok),
            ], width: width)
    }

    private static func labeled(_ label: UIText, _ text: String, style: Style, language: Language, width: Int) -> [StyledLine] {
        labeled(Span(label.text(language) + ":", style), [Span(text)], width: width)
    }

    /// `Label: text`, continued two columns in. The label shares the first line
    /// with the text rather than indenting every line by its width, so a long
    /// word (a sysctl name, a path) that fits the screen is never broken.
    private static func labeled(_ label: Span, _ content: StyledLine, width: Int) -> [StyledLine] {
        indented([Span(TextWrap.unbreakable(label.text) + " ", label.style)] + content, width: width)
    }

    /// Wrapped with every line after the first two columns in.
    private static func indented(_ content: StyledLine, width: Int) -> [StyledLine] {
        let indent = "  "
        let lines = TextWrap.wrap(content, width: width - indent.count)
        return lines.enumerated().map { $0.offset == 0 ? $0.element : [Span(indent)] + $0.element }
    }

    /// `Cleanup: ok — released child process 4242 and its namespaces`, or what is
    /// still there and how to remove it.
    private static func cleanup(_ report: DemoReport, language: Language, width: Int) -> [StyledLine] {
        let released = report.cleanup.filter(\.released).map { $0.resource[language] }
        let left = report.cleanup.filter { !$0.released }.map { $0.resource[language] }
        var parts: [String] = []
        if report.cleanup.isEmpty { parts.append(UIText.demoCleanupNothing.text(language)) }
        if !left.isEmpty { parts.append(UIText.demoCleanupLeft.format(language, left.joined(separator: ", "))) }
        if !released.isEmpty { parts.append(UIText.demoCleanupReleased.format(language, released.joined(separator: ", "))) }
        if !left.isEmpty { parts.append(UIText.demoCleanupHint.text(language)) }
        let status = Span(report.cleanupStatus, report.cleanedUp ? Theme.ok : Theme.bad)
        return labeled(
            Span(UIText.demoCleanup.text(language) + ":", Theme.bold), [status, Span(" — " + gluingValues(parts.joined(separator: "; ")))],
            width: width)
    }

    /// Joins each value to what it belongs to, so a line never ends between them:
    /// both sides of ` = ` (`getpid = 1`) and a number to the word before it
    /// (`PID 4242`, `status 0`).
    static func gluingValues(_ text: String) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        var result = ""
        for (index, word) in words.enumerated() {
            if index > 0 {
                let previous = words[index - 1]
                let joins = word == "=" || previous == "=" || (word.first?.isNumber == true && !previous.isEmpty)
                result.append(joins ? TextWrap.noBreakSpace : " ")
            }
            result += word
        }
        return result
    }
}
