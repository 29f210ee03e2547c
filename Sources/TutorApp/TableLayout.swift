import TutorUI

/// Lays out a table within a width: columns get their natural width when it fits;
/// otherwise columns that can wrap between words give way first, and only then
/// are long words (inode numbers, paths) broken.
enum TableLayout {
    static func lines(header: [StyledLine], rows: [[StyledLine]], width: Int) -> [StyledLine] {
        // Measured as they will be drawn: a tab is as wide as the spaces it becomes.
        let header = header.map(TextWrap.expandingTabs)
        let rows = rows.map { $0.map(TextWrap.expandingTabs) }
        let columns = header.count
        guard columns > 0 else { return [] }
        let all = [header] + rows
        var widths = (0..<columns).map { column in
            all.map { $0.indices.contains(column) ? naturalWidth($0[column]) : 0 }.max() ?? 0
        }
        widths = widths.map { max(1, $0) }
        let longestWord = longestWords(all, columns: columns)
        let frame = columns * 3 + 1
        while widths.reduce(0, +) + frame > width {
            let slack = widths.indices.filter { widths[$0] > longestWord[$0] }
            let candidates = slack.isEmpty ? widths.indices.filter { widths[$0] > 4 } : slack
            guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
        }
        func border(_ left: String, _ middle: String, _ right: String) -> StyledLine {
            [Span(left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right, Theme.rule)]
        }
        func row(_ cells: [StyledLine]) -> [StyledLine] {
            let wrapped = (0..<columns).map { column in
                TextWrap.wrap(cells.indices.contains(column) ? cells[column] : [], width: widths[column])
            }
            let height = wrapped.map(\.count).max() ?? 1
            return (0..<height).map { lineIndex in
                var line: StyledLine = [Span("│ ", Theme.rule)]
                for column in 0..<columns {
                    let part = lineIndex < wrapped[column].count ? wrapped[column][lineIndex] : []
                    line += part
                    line.append(Span(String(repeating: " ", count: max(0, widths[column] - part.displayWidth))))
                    line.append(Span(column == columns - 1 ? " │" : " │ ", Theme.rule))
                }
                return line
            }
        }
        var lines = [border("┌", "┬", "┐")]
        lines += row(header)
        lines.append(border("├", "┼", "┤"))
        for cells in rows { lines += row(cells) }
        lines.append(border("└", "┴", "┘"))
        return lines
    }

    /// Whether the table fits in `width` without breaking any word (a path, an inode
    /// number) or any line of a several-line cell: only the gaps between words may wrap.
    static func fits(header: [StyledLine], rows: [[StyledLine]], width: Int) -> Bool {
        longestWords([header] + rows, columns: header.count).reduce(0, +) + header.count * 3 + 1 <= width
    }

    /// A cell's width unwrapped: its widest line (a cell may hold several).
    private static func naturalWidth(_ cell: StyledLine) -> Int {
        cell.plainText.split(separator: "\n").map { DisplayWidth.of($0) }.max() ?? 0
    }

    /// The widest thing in each column that must not break: a word, or a whole line of
    /// a cell that holds several (its lines are aligned columns of their own).
    private static func longestWords(_ all: [[StyledLine]], columns: Int) -> [Int] {
        (0..<columns).map { column in
            all.map { row in
                guard row.indices.contains(column) else { return 0 }
                let text = row[column].plainText
                let pieces = text.contains("\n") ? text.split(separator: "\n") : text.split(separator: " ")
                return pieces.map { DisplayWidth.of($0) }.max() ?? 0
            }.max() ?? 0
        }
    }
}
