import TutorCore
import TutorUI

/// Lays a lesson's blocks out as styled lines at a given width. The reader view
/// scrolls these lines; `ctutor read --plain` prints their text.
public enum LessonLayout {
    /// The widest a lesson's text runs, so long lines stay readable on big screens.
    public static let maxTextWidth = 96

    public static func lines(for text: LessonText, language: Language, width: Int, demoTitles: [String: String] = [:]) -> [StyledLine] {
        laidOut(text, language: language, width: width, demoTitles: demoTitles).lines
    }

    /// Where each `:::demo` box starts in ``lines(for:language:width:demoTitles:)``: its
    /// line index and demo id, in order.
    public static func demoBoxes(for text: LessonText, language: Language, width: Int, demoTitles: [String: String] = [:])
        -> [(line: Int, id: String)]
    {
        laidOut(text, language: language, width: width, demoTitles: demoTitles).boxes
    }

    /// The lines, and where each demo box among them starts.
    static func laidOut(_ text: LessonText, language: Language, width: Int, demoTitles: [String: String])
        -> (lines: [StyledLine], boxes: [(line: Int, id: String)])
    {
        var lines: [StyledLine] = []
        var boxes: [(line: Int, id: String)] = []
        let width = max(20, width)
        for (index, block) in text.blocks.enumerated() {
            if index > 0 { lines.append([]) }
            if case .demo(let id) = block { boxes.append((lines.count, id)) }
            lines += layout(block, language: language, width: width, demoTitles: demoTitles)
        }
        return (lines, boxes)
    }

    static func spans(_ inlines: Inlines, base: Style = Theme.body) -> StyledLine {
        inlines.flatMap { run -> StyledLine in
            switch run.kind {
            case .plain: return [Span(run.text, base)]
            case .bold: return [Span(run.text, merge(base, Theme.bold))]
            case .code: return [Span(run.text, Theme.inlineCode)]
            case .link(let url): return [Span(run.text, merge(base, Theme.link)), Span(" (\(url))", Theme.dim)]
            }
        }
    }

    private static func merge(_ base: Style, _ extra: Style) -> Style {
        var style = base
        style.bold = style.bold || extra.bold
        style.underline = style.underline || extra.underline
        if extra.foreground != nil { style.foreground = extra.foreground }
        return style
    }

    /// Wraps `content` with `first` before the first line and `rest` before the others.
    static func hanging(_ content: StyledLine, first: Span, rest: Span, width: Int) -> [StyledLine] {
        let wrapped = TextWrap.wrap(content, width: max(1, width - first.width))
        return wrapped.enumerated().map { [$0.offset == 0 ? first : rest] + $0.element }
    }

    private static func layout(_ block: Block, language: Language, width: Int, demoTitles: [String: String]) -> [StyledLine] {
        switch block {
        case .heading(let level, let inlines):
            let style = level == 1 ? Theme.heading1 : level == 2 ? Theme.heading2 : Theme.heading3
            var lines = TextWrap.wrap(spans(inlines, base: style), width: width)
            if level == 1 {
                let rule = min(width, lines.map(\.displayWidth).max() ?? 0)
                lines.append([Span(String(repeating: "═", count: rule), Theme.rule)])
            } else if level == 2 {
                let rule = min(width, lines.map(\.displayWidth).max() ?? 0)
                lines.append([Span(String(repeating: "─", count: rule), Theme.rule)])
            }
            return lines
        case .paragraph(let inlines):
            return TextWrap.wrap(spans(inlines), width: width)
        case .bulletList(let items):
            return items.flatMap { hanging(spans($0), first: Span("• ", Theme.rule), rest: Span("  "), width: width) }
        case .orderedList(let start, let items):
            let labelWidth = "\(start + items.count - 1).".count + 1
            return items.enumerated().flatMap { offset, item in
                let label = TextWrap.pad("\(start + offset).", width: labelWidth)
                return hanging(
                    spans(item), first: Span(label, Theme.rule), rest: Span(String(repeating: " ", count: labelWidth)), width: width)
            }
        case .code(_, let lines):
            let bar = Span("│ ", Theme.rule)
            return lines.flatMap { line -> [StyledLine] in
                let wrapped = TextWrap.wrap([Span(line.isEmpty ? " " : line, Theme.code)], width: width - 2)
                return wrapped.map { [bar] + $0 }
            }
        case .table(let header, let rows):
            return TableLayout.lines(
                header: header.map { spans($0, base: Theme.bold) }, rows: rows.map { $0.map { spans($0) } }, width: width)
        case .callout(let kind, let paragraphs):
            let style = Theme.callout(kind.rawValue)
            let bar = Span("┃ ", style)
            var lines: [StyledLine] = []
            if kind != .quote { lines.append([bar, Span(calloutLabel(kind, language), style)]) }
            for (index, paragraph) in paragraphs.enumerated() {
                if index > 0 { lines.append([bar]) }
                lines += TextWrap.wrap(spans(paragraph), width: width - 2).map { [bar] + $0 }
            }
            return lines
        case .demo(let id):
            let title = UIText.demoBoxTitle.format(language, demoTitles[id] ?? id)
            return DemoBox.lines(title: title, hint: UIText.demoBoxHint.text(language), width: width)
        }
    }

    static func calloutLabel(_ kind: Block.CalloutKind, _ language: Language) -> String {
        switch (kind, language) {
        case (.note, .ko): return "참고"
        case (.note, .en): return "Note"
        case (.tip, .ko): return "팁"
        case (.tip, .en): return "Tip"
        case (.warning, .ko): return "주의"
        case (.warning, .en): return "Warning"
        case (.quote, _): return ""
        }
    }
}

/// The framed box that marks where a lesson's real demo can be run.
enum DemoBox {
    static func lines(title: String, hint: String, width: Int) -> [StyledLine] {
        let inner = max(10, min(width, 72) - 4)
        let titleText = TextWrap.truncate(title, width: inner - 2)
        let topFill = max(0, inner + 2 - DisplayWidth.of(titleText) - 3)
        var lines: [StyledLine] = [
            [
                Span("┌─ ", Theme.demoBox), Span(titleText, Theme.demoBox),
                Span(" " + String(repeating: "─", count: topFill) + "┐", Theme.demoBox),
            ]
        ]
        for line in TextWrap.wrap(hint, width: inner) {
            let text = line.plainText
            lines.append([Span("│ ", Theme.demoBox), Span(TextWrap.pad("▶ " + text, width: inner)), Span(" │", Theme.demoBox)])
        }
        lines.append([Span("└" + String(repeating: "─", count: inner + 2) + "┘", Theme.demoBox)])
        return lines
    }
}
