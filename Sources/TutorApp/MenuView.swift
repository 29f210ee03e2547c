import TutorCore
import TutorUI

/// A lesson's progress mark: `[ ]` new, `[~]` started, `[x]` done, `[!]` broken.
/// ASCII on purpose: it is one column wide in every terminal and locale.
public enum MenuMark {
    public static func text(_ entry: LessonEntry, _ progress: Progress) -> String {
        guard let lesson = entry.lesson else { return "[!]" }
        switch progress[lesson: lesson.id].status(hasQuiz: lesson.quiz != nil) {
        case .new: return "[ ]"
        case .started: return "[~]"
        case .done: return "[x]"
        }
    }
}

/// The lesson menu: one line per lesson with its progress mark, and below it the
/// selected lesson's summary and objectives, or why it is broken.
enum MenuView {
    static func draw(_ state: AppState, _ area: Rect, _ buffer: inout ScreenBuffer) {
        let language = state.language
        let width = area.width - 4
        buffer.put(UIText.menuHeading.text(language), x: 2, y: area.y + 1, style: Theme.heading2)
        guard !state.entries.isEmpty else {
            buffer.put(UIText.menuEmpty.text(language), x: 2, y: area.y + 3, style: Theme.warning)
            return
        }
        let listTop = area.y + 3
        let listHeight = max(1, min(state.entries.count, (area.height - 4) / 2))
        let first = min(max(0, state.menuSelection - listHeight + 1), max(0, state.entries.count - listHeight))
        for row in 0..<listHeight {
            let index = first + row
            guard index < state.entries.count else { break }
            let entry = state.entries[index]
            let y = listTop + row
            var right = ""
            if let lesson = entry.lesson {
                var parts: [String] = []
                if let minutes = lesson.minutes { parts.append(UIText.menuMinutes.format(language, minutes)) }
                let progress = state.progress[lesson: lesson.id]
                if let best = progress.quizBest, let total = progress.quizTotal {
                    parts.append(UIText.menuQuizScore.format(language, best, total))
                }
                right = parts.joined(separator: "  ")
            } else {
                right = UIText.menuBroken.text(language)
            }
            let number = String(entry.folder.prefix(while: { $0.isNumber }))
            let leftText = "\(MenuMark.text(entry, state.progress)) \(number)  "
            let titleWidth = max(4, width - DisplayWidth.of(leftText) - DisplayWidth.of(right) - 2)
            let line = leftText + TextWrap.pad(entry.title(language), width: titleWidth) + "  " + right
            let selected = index == state.menuSelection
            if selected { buffer.fill(Rect(x: 1, y: y, width: area.width - 2, height: 1), style: Theme.selected) }
            let style = selected ? Theme.selected : (entry.lesson == nil ? Theme.bad : Theme.body)
            buffer.put(line, x: 2, y: y, style: style, maxX: area.maxX - 1)
        }

        let detailTop = listTop + listHeight + 1
        buffer.put(String(repeating: "─", count: width), x: 2, y: detailTop, style: Theme.rule)
        var lines: [StyledLine] = []
        let entry = state.entries[min(state.menuSelection, state.entries.count - 1)]
        if let lesson = entry.lesson {
            let text = lesson.text(language)
            lines += TextWrap.wrap(text.summary, width: width)
            if !text.objectives.isEmpty {
                lines.append([Span(UIText.menuObjectives.text(language), Theme.bold)])
                for objective in text.objectives {
                    lines += LessonLayout.hanging([Span(objective)], first: Span("• ", Theme.rule), rest: Span("  "), width: width)
                }
            }
        } else {
            lines.append([Span(UIText.menuProblems.text(language), Theme.bad)])
            for diagnostic in entry.diagnostics {
                lines += TextWrap.wrap(diagnostic.description, width: width)
            }
        }
        for (offset, line) in lines.enumerated() {
            let y = detailTop + 1 + offset
            guard y < area.maxY else { break }
            buffer.put(line, x: 2, y: y, maxX: area.maxX - 1)
        }
    }
}
