import TutorCore
import TutorUI

/// Lays a report's observations out so the evidence reads at a glance.
///
/// Compared observations (`differ`, `match`) become a table: what, a column per
/// side, and a verdict. When that needs wrapping, a table turned around (a row per
/// side, a column per observation, which suits many sides with short values) may
/// take fewer lines, and then wins. When neither fits without breaking a value,
/// each observation becomes a block of its own (its label and verdict, then a
/// row per side).
/// Shown observations (`show`) become label–value blocks. A value is wrapped only
/// between words, never inside one (a namespace inode, a path), unless a single
/// word is wider than the whole screen.
enum EvidenceLayout {
    private static let gap = "  "
    private static let indent = "  "

    private struct Cell {
        var text: String
        var style: Style

        var lines: [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false) }
        var naturalWidth: Int { lines.map { DisplayWidth.of($0) }.max() ?? 0 }
        /// The widest word: the column can wrap down to it without breaking one.
        var minimumWidth: Int {
            lines.flatMap { $0.split(separator: " ") }.map { DisplayWidth.of($0) }.max() ?? 0
        }
    }

    // MARK: Compared observations

    static func compared(_ observations: [Observation], language: Language, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        for group in groupedBySides(observations) {
            if !lines.isEmpty { lines.append([]) }
            let columns = sidesAsColumns(group, language: language, width: width)
            if let columns, !columns.wrapped {
                lines += columns.lines
                continue
            }
            let tables = [columns, sidesAsRows(group, language: language, width: width)].compactMap { $0?.lines }
            lines += tables.min { $0.count < $1.count } ?? stacked(group, language: language, width: width)
        }
        return lines
    }

    /// Runs of observations seen from the same sides, each one table.
    private static func groupedBySides(_ observations: [Observation]) -> [[Observation]] {
        var groups: [[Observation]] = []
        for observation in observations {
            if let last = groups.last?.last, last.sides.map(\.role) == observation.sides.map(\.role) {
                groups[groups.count - 1].append(observation)
            } else {
                groups.append([observation])
            }
        }
        return groups
    }

    static func verdict(_ observation: Observation, _ language: Language) -> Span {
        switch (observation.expect, observation.holds) {
        case (.differ, true): return Span(UIText.demoDiffers.text(language), Theme.ok)
        case (.differ, false): return Span(UIText.demoSameButShouldDiffer.text(language), Theme.bad)
        case (.match, true): return Span(UIText.demoShared.text(language), Theme.ok)
        case (.match, false): return Span(UIText.demoDiffersButShouldMatch.text(language), Theme.bad)
        case (.show, _): return Span("")
        }
    }

    private static func verdictCell(_ observation: Observation, _ language: Language) -> Cell {
        let verdict = verdict(observation, language)
        return Cell(text: TextWrap.unbreakable(verdict.text), style: verdict.style)
    }

    /// What | Host | Inside | Verdict, a row per observation; nil when the columns
    /// cannot fit `width` without breaking a word.
    private static func sidesAsColumns(_ group: [Observation], language: Language, width: Int) -> Grid? {
        let header =
            [Cell(text: UIText.demoColumnWhat.text(language), style: Theme.bold)]
            + group[0].sides.map { Cell(text: $0.label[language], style: Theme.bold) }
            + [Cell(text: UIText.demoColumnVerdict.text(language), style: Theme.bold)]
        let rows = group.map { observation -> [Cell] in
            [Cell(text: observation.label[language], style: Theme.body)] + observation.sides.map { Cell(text: $0.value, style: Theme.body) }
                + [verdictCell(observation, language)]
        }
        return grid(header: header, rows: rows, width: width)
    }

    /// A column per observation, a row per side, the verdicts in the last row.
    private static func sidesAsRows(_ group: [Observation], language: Language, width: Int) -> Grid? {
        let header = [Cell(text: "", style: Theme.bold)] + group.map { Cell(text: $0.label[language], style: Theme.bold) }
        let rows =
            group[0].sides.indices.map { index -> [Cell] in
                [Cell(text: group[0].sides[index].label[language], style: Theme.bold)]
                    + group.map { Cell(text: $0.sides[index].value, style: Theme.body) }
            } + [[Cell(text: UIText.demoColumnVerdict.text(language), style: Theme.bold)] + group.map { verdictCell($0, language) }]
        return grid(header: header, rows: rows, width: width)
    }

    private struct Grid {
        var lines: [StyledLine]
        /// Whether some cell had to wrap to fit.
        var wrapped: Bool
    }

    /// A header, a rule under it, and the rows; nil when the columns cannot fit.
    private static func grid(header: [Cell], rows: [[Cell]], width: Int) -> Grid? {
        guard let widths = columnWidths([header] + rows, width: width) else { return nil }
        var lines = row(header, widths)
        lines.append([Span(widths.map { String(repeating: "─", count: $0) }.joined(separator: gap), Theme.rule)])
        for cells in rows { lines += row(cells, widths) }
        return Grid(lines: lines, wrapped: lines.count > rows.count + 2)
    }

    /// Natural widths when they fit; else the columns with the most room to spare
    /// wrap between words, one column at a time; nil when even that is too wide.
    private static func columnWidths(_ rows: [[Cell]], width: Int) -> [Int]? {
        let count = rows[0].count
        let spacing = DisplayWidth.of(gap) * (count - 1)
        let minimum = (0..<count).map { column in rows.map { $0[column].minimumWidth }.max() ?? 0 }
        guard minimum.reduce(0, +) + spacing <= width else { return nil }
        var widths = (0..<count).map { column in rows.map { $0[column].naturalWidth }.max() ?? 0 }
        while widths.reduce(0, +) + spacing > width {
            guard let widest = widths.indices.filter({ widths[$0] > minimum[$0] }).max(by: { widths[$0] < widths[$1] }) else {
                return nil
            }
            widths[widest] -= 1
        }
        return widths
    }

    private static func row(_ cells: [Cell], _ widths: [Int]) -> [StyledLine] {
        let wrapped = zip(cells, widths).map { cell, width in TextWrap.wrap([Span(cell.text, cell.style)], width: width) }
        let height = wrapped.map(\.count).max() ?? 1
        return (0..<height).map { index in
            var line: StyledLine = []
            for (column, parts) in wrapped.enumerated() {
                let part = index < parts.count ? parts[index] : []
                line += part
                if column < wrapped.count - 1 { line.append(Span(String(repeating: " ", count: widths[column] - part.displayWidth) + gap)) }
            }
            return line
        }
    }

    /// One block per observation: its label and verdict, then a row per side.
    private static func stacked(_ group: [Observation], language: Language, width: Int) -> [StyledLine] {
        group.flatMap { observation in
            let verdict = verdict(observation, language)
            let title = [
                Span(observation.label[language], Theme.bold),
                Span(gap + TextWrap.unbreakable(verdict.text), verdict.style),
            ]
            return block(title: title, rows: observation.sides.map { ($0.label[language], $0.value) }, width: width)
        }
    }

    // MARK: Shown observations

    /// Runs of one-sided observations from the same place share a block titled
    /// with that place (`This machine`: CPU, memory, kernel); an observation with
    /// several sides is a block titled with its own label.
    static func shown(_ observations: [Observation], language: Language, width: Int) -> [StyledLine] {
        var runs: [[Observation]] = []
        for observation in observations {
            if observation.sides.count == 1, let last = runs.last?.last, last.sides.count == 1,
                last.sides[0].role == observation.sides[0].role, last.sides[0].label == observation.sides[0].label
            {
                runs[runs.count - 1].append(observation)
            } else {
                runs.append([observation])
            }
        }
        return runs.flatMap { run -> [StyledLine] in
            if run.count == 1, run[0].sides.count != 1 {
                let observation = run[0]
                return block(
                    title: [Span(observation.label[language], Theme.bold)], rows: observation.sides.map { ($0.label[language], $0.value) },
                    width: width)
            }
            return block(
                title: [Span(run[0].sides[0].label[language], Theme.bold)], rows: run.map { ($0.label[language], $0.sides[0].value) },
                width: width)
        }
    }

    // MARK: Blocks

    /// A title, then `key  value` rows under it; values hang at the value column.
    /// A key too long for the key column gets a line of its own, its value below it.
    private static func block(title: StyledLine, rows: [(key: String, value: String)], width: Int) -> [StyledLine] {
        var lines = TextWrap.wrap(title, width: width)
        let inner = width - DisplayWidth.of(indent)
        let cap = max(8, inner * 2 / 5)
        let keyWidth = rows.map { DisplayWidth.of($0.key) }.filter { $0 <= cap }.max() ?? 0
        for row in rows {
            let value = [Span(row.value)]
            if DisplayWidth.of(row.key) <= cap {
                let first = Span(indent + TextWrap.pad(row.key, width: keyWidth) + gap, Theme.dim)
                let rest = Span(String(repeating: " ", count: first.width))
                lines += LessonLayout.hanging(value, first: first, rest: rest, width: width)
            } else {
                lines += LessonLayout.hanging([Span(row.key, Theme.dim)], first: Span(indent), rest: Span(indent), width: width)
                let deeper = Span(indent + indent)
                lines += LessonLayout.hanging(value, first: deeper, rest: deeper, width: width)
            }
        }
        return lines
    }
}
