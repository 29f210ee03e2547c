import TutorCore
import TutorUI

/// A lesson's progress mark: `[ ]` new, `[~]` started, `[x]` done, `[!]` broken.
/// ASCII on purpose: it is one column wide in every terminal and locale.
public enum MenuMark {
    public static func text(_ entry: LessonEntry, _ progress: Progress) -> String {
        guard let info = entry.info else { return "[!]" }
        switch progress[lesson: info.id].status(info.requirements) {
        case .new: return "[ ]"
        case .started: return "[~]"
        case .done: return "[x]"
        }
    }
}

/// The lesson menu: the course in order, one line per lesson with its progress
/// mark and minutes, scrolled to keep the selection in view when the course is
/// longer than the list; below it the selected lesson's summary and objectives,
/// or why it is broken.
enum MenuView {
    /// Rows above the list (a blank, the heading, a blank) and between it and the
    /// details (a blank and a rule).
    private static let listTop = 3
    private static let gap = 2

    /// Half the content for the list, the rest for the selected lesson's details.
    static func listHeight(lessons: Int, contentHeight: Int) -> Int {
        max(1, min(lessons, (contentHeight - listTop - gap) / 2))
    }

    static func draw(_ state: AppState, _ area: Rect, _ buffer: inout ScreenBuffer) {
        let language = state.language
        // As wide as lesson text at most: on a wide terminal the minutes stay near their titles.
        let width = min(area.width - 4, LessonLayout.maxTextWidth)
        buffer.put(UIText.menuHeading.text(language), x: 2, y: area.y + 1, style: Theme.heading2)
        guard !state.entries.isEmpty else {
            buffer.put(UIText.menuEmpty.text(language), x: 2, y: area.y + 3, style: Theme.warning)
            return
        }
        let top = area.y + listTop
        let height = state.menuListHeight
        let count = state.entries.count
        let right = 2 + width
        if count > height {
            let position = "\(state.menuSelection + 1)/\(count)"
            buffer.put(position, x: right - DisplayWidth.of(position), y: area.y + 1, style: Theme.dim)
            if state.menuScroll > 0 { buffer.put("▲", x: right - 1, y: top, style: Theme.dim) }
            if state.menuScroll + height < count { buffer.put("▼", x: right - 1, y: top + height - 1, style: Theme.dim) }
        }
        // A scrolling list keeps its last two columns for the ▲ ▼ marks.
        let rowWidth = count > height ? width - 2 : width
        for row in 0..<height {
            let index = state.menuScroll + row
            guard index < count else { break }
            drawRow(state, index: index, y: top + row, width: rowWidth, &buffer)
        }

        let detailTop = top + height + 1
        buffer.put(String(repeating: "─", count: width), x: 2, y: detailTop, style: Theme.rule)
        for (offset, line) in details(state, width: width).enumerated() {
            let y = detailTop + 1 + offset
            guard y < area.maxY else { break }
            buffer.put(line, x: 2, y: y, maxX: area.maxX - 1)
        }
    }

    /// `[x] 04  Title ……  10 min  quiz 3/4`, the title cut to fit.
    private static func drawRow(_ state: AppState, index: Int, y: Int, width: Int, _ buffer: inout ScreenBuffer) {
        let language = state.language
        let entry = state.entries[index]
        var right: String
        if let info = entry.info {
            var parts: [String] = []
            if let minutes = info.minutes { parts.append(UIText.menuMinutes.format(language, minutes)) }
            let progress = state.progress[lesson: info.id]
            if let best = progress.quizBest, let total = progress.quizTotal {
                parts.append(UIText.menuQuizScore.format(language, best, total))
            }
            right = parts.joined(separator: "  ")
        } else {
            right = UIText.menuBroken.text(language)
        }
        let number = entry.folder.prefix(while: { $0.isASCII && $0.isNumber })
        let left = "\(MenuMark.text(entry, state.progress)) \(number)  "
        let titleWidth = max(4, width - DisplayWidth.of(left) - DisplayWidth.of(right) - 2)
        let line = left + TextWrap.pad(entry.title(language), width: titleWidth) + "  " + right
        let selected = index == state.menuSelection
        if selected { buffer.fill(Rect(x: 1, y: y, width: width + 2, height: 1), style: Theme.selected) }
        let style = selected ? Theme.selected : (entry.info == nil ? Theme.bad : Theme.body)
        buffer.put(line, x: 2, y: y, style: style, maxX: 2 + width)
    }

    private static func details(_ state: AppState, width: Int) -> [StyledLine] {
        let language = state.language
        var lines: [StyledLine] = []
        let entry = state.entries[min(state.menuSelection, state.entries.count - 1)]
        if let info = entry.info {
            let overview = info.overview(language)
            lines += TextWrap.wrap(overview.summary, width: width)
            if !overview.objectives.isEmpty {
                lines.append([Span(UIText.menuObjectives.text(language), Theme.bold)])
                for objective in overview.objectives {
                    lines += LessonLayout.hanging([Span(objective)], first: Span("• ", Theme.rule), rest: Span("  "), width: width)
                }
            }
        } else {
            lines.append([Span(UIText.menuProblems.text(language), Theme.bad)])
            for diagnostic in entry.diagnostics {
                lines += TextWrap.wrap(diagnostic.description, width: width)
            }
        }
        return lines
    }
}
