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

/// The course's progress: lessons done out of all, as a bar and a count.
public enum CourseProgress {
    public static func lessonsDone(_ entries: [LessonEntry], _ progress: Progress) -> Int {
        entries.filter { entry in entry.info.map { progress[lesson: $0.id].status($0.requirements) == .done } ?? false }.count
    }

    /// `█████░░░░░` `width` cells long, filled in proportion, rounded down so that a
    /// full bar means every lesson is done.
    public static func bar(done: Int, total: Int, width: Int) -> String {
        let filled = total > 0 ? done * width / total : 0
        return String(repeating: "█", count: filled) + String(repeating: "░", count: max(0, width - filled))
    }
}

/// The lesson menu: the course in order, one line per lesson with its progress
/// mark and, in columns, what is done of it (read, demo run, quiz best of its
/// pass mark, lab steps) and its minutes; above the list the course's progress bar;
/// below it the selected lesson's summary and objectives, or why it is broken.
enum MenuView {
    /// Rows above the list (a blank, the heading with the course bar, the column
    /// heads) and between it and the details (a blank and a rule).
    private static let listTop = 3
    private static let gap = 2

    /// The columns right of the title, each as wide as its head or widest value:
    /// read, demo, quiz best, pass mark, lab steps, minutes.
    static let columnWidths = [4, 4, 5, 4, 5, 6]

    /// Half the content for the list, the rest for the selected lesson's details.
    static func listHeight(lessons: Int, contentHeight: Int) -> Int {
        max(1, min(lessons, (contentHeight - listTop - gap) / 2))
    }

    static func draw(_ state: AppState, _ area: Rect, _ buffer: inout ScreenBuffer) {
        let language = state.language
        // As wide as lesson text at most: on a wide terminal the columns stay near their titles.
        let width = min(area.width - 4, LessonLayout.maxTextWidth)
        let right = 2 + width
        buffer.put(UIText.menuHeading.text(language), x: 2, y: area.y + 1, style: Theme.heading2)
        guard !state.entries.isEmpty else {
            buffer.put(UIText.menuEmpty.text(language), x: 2, y: area.y + 3, style: Theme.warning)
            return
        }
        drawCourseBar(state, right: right, y: area.y + 1, &buffer)
        let top = area.y + listTop
        let height = state.menuListHeight
        let count = state.entries.count
        // A scrolling list keeps its last two columns for the ▲ ▼ marks.
        let rowWidth = count > height ? width - 2 : width
        let heads = UIText.menuColumns.text(language).split(separator: "|").map(String.init)
        buffer.put(columns(heads), x: 2 + rowWidth - columnsWidth, y: top - 1, style: Theme.dim)
        if count > height {
            buffer.put("\(state.menuSelection + 1)/\(count)", x: 2, y: top - 1, style: Theme.dim)
            if state.menuScroll > 0 { buffer.put("▲", x: right - 1, y: top, style: Theme.dim) }
            if state.menuScroll + height < count { buffer.put("▼", x: right - 1, y: top + height - 1, style: Theme.dim) }
        }
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

    /// `done 3/12 ████░░░░░░░░`, right-aligned on the heading's row.
    private static func drawCourseBar(_ state: AppState, right: Int, y: Int, _ buffer: inout ScreenBuffer) {
        let total = state.entries.count
        let done = CourseProgress.lessonsDone(state.entries, state.progress)
        let label = UIText.menuCourse.format(state.language, done, total) + " "
        let bar = CourseProgress.bar(done: done, total: total, width: min(24, max(8, right - 30 - DisplayWidth.of(label))))
        let x = right - DisplayWidth.of(bar)
        buffer.put(label, x: x - DisplayWidth.of(label), y: y, style: Theme.dim)
        buffer.put(bar, x: x, y: y, style: done == total ? Theme.ok : Theme.rule)
    }

    private static var columnsWidth: Int { columnWidths.reduce(0, +) + columnWidths.count - 1 }

    /// Fields in the columns, each padded to its width (left-aligned, as the heads).
    private static func columns(_ fields: [String]) -> String {
        zip(fields, columnWidths).map { TextWrap.pad($0, width: $1) }.joined(separator: " ")
    }

    /// What is done of a lesson, in the columns: `✓` done, `-` not yet, blank where
    /// the lesson has no such part.
    static func progressFields(_ info: LessonInfo, _ progress: Progress, _ language: Language) -> [String] {
        let record = progress[lesson: info.id]
        let mark = { (done: Bool) in done ? "✓" : "-" }
        let quiz = info.hasQuiz ? (record.quizBest.map { "\($0)/\(record.quizTotal ?? 0)" } ?? "-") : ""
        let labDone = progress.labStepsDone(lesson: info.id)
        return [
            mark(record.finishedReading), info.demos.isEmpty ? "" : mark(record.demoRuns > 0), quiz,
            info.hasQuiz ? "\(info.quizPassPercent)%" : "", info.labSteps > 0 ? "\(labDone)/\(info.labSteps)" : "",
            info.minutes.map { UIText.menuMinutes.format(language, $0) } ?? "",
        ]
    }

    /// `[x] 04  Title ……  ✓    ✓    4/5   70%  2/4   10 min`, the title cut to fit.
    private static func drawRow(_ state: AppState, index: Int, y: Int, width: Int, _ buffer: inout ScreenBuffer) {
        let language = state.language
        let entry = state.entries[index]
        let right: String
        if let info = entry.info {
            right = columns(progressFields(info, state.progress, language))
        } else {
            right = TextWrap.pad(UIText.menuBroken.text(language), width: columnsWidth)
        }
        let number = entry.folder.prefix(while: { $0.isASCII && $0.isNumber })
        let left = "\(MenuMark.text(entry, state.progress)) \(number)  "
        let titleWidth = max(4, width - DisplayWidth.of(left) - columnsWidth - 2)
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
