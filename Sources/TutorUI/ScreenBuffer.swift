/// One terminal cell: a grapheme and its style. A wide grapheme occupies its cell
/// and a continuation cell to its right, which holds no text.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var style: Style
    public var isContinuation: Bool

    public init(text: String = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.text = text
        self.style = style
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()

    /// The text to send to a terminal for this cell, as wide as the cell by the
    /// per-character widths terminals and curses use (`wcwidth`).
    ///
    /// Layout measures a grapheme cluster as one glyph: an emoji sequence (a ZWJ
    /// family, a skin tone, a VS16 heart) is 2 columns. Curses and many terminals
    /// add up its characters instead (a family is 6, a heart with VS16 is 1), and
    /// would then place the rest of the row off by the difference and leave stale
    /// cells behind. Such a cluster is sent as its first character, padded with
    /// spaces to the cell's width, which every terminal draws the same. A code
    /// point with no character assigned has no width to the C library: it is sent
    /// as U+FFFD.
    public var terminalText: String {
        guard !isContinuation, let character = text.first, text.count == 1 else { return text }
        let width = DisplayWidth.of(character)
        if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .unassigned }) {
            return "\u{FFFD}" + String(repeating: " ", count: max(0, width - 1))
        }
        guard text.unicodeScalars.count > 1 else { return text }
        let scalarWidths = text.unicodeScalars.reduce(0) { $0 + DisplayWidth.of($1) }
        guard scalarWidths != width, let first = text.unicodeScalars.first else { return text }
        let firstWidth = DisplayWidth.of(first)
        guard firstWidth > 0, firstWidth <= width else { return String(repeating: " ", count: width) }
        return String(first) + String(repeating: " ", count: width - firstWidth)
    }
}

/// An in-memory screen that views draw into. It knows display widths, so a wide
/// character is never split and never half-overwritten; the terminal backend only
/// diffs and flushes it, and tests read it back as text.
public struct ScreenBuffer: Equatable, Sendable {
    public let size: Size
    private var cells: [Cell]

    public init(size: Size) {
        self.size = size
        self.cells = Array(repeating: .blank, count: max(0, size.columns * size.rows))
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * size.columns + x]
    }

    /// Draws `text` at (x, y), clipped at `maxX` (default: the right edge). A wide
    /// character that would cross the clip edge is replaced by a space.
    /// Returns the column after the last drawn cell.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxX: Int? = nil) -> Int {
        guard y >= 0, y < size.rows else { return x }
        let limit = min(maxX ?? size.columns, size.columns)
        var column = x
        for character in text {
            let width = DisplayWidth.of(character)
            if width == 0 { continue }
            if column + width > limit {
                if column < limit { setCell(Cell(text: " ", style: style), x: column, y: y) }
                return limit
            }
            if column >= 0 {
                setCell(Cell(text: String(character), style: style), x: column, y: y)
                if width == 2 { setCell(Cell(text: "", style: style, isContinuation: true), x: column + 1, y: y) }
            }
            column += width
        }
        return column
    }

    /// Draws styled spans in sequence from (x, y).
    @discardableResult
    public mutating func put(_ line: StyledLine, x: Int, y: Int, maxX: Int? = nil) -> Int {
        var column = x
        for span in line { column = put(span.text, x: column, y: y, style: span.style, maxX: maxX) }
        return column
    }

    /// Fills a rectangle with spaces in a style (used for bars and highlights).
    public mutating func fill(_ rect: Rect, style: Style = .plain) {
        for row in max(0, rect.y)..<min(size.rows, rect.maxY) {
            for column in max(0, rect.x)..<min(size.columns, rect.maxX) {
                setCell(Cell(text: " ", style: style), x: column, y: row)
            }
        }
    }

    /// Writes one cell, repairing any wide character it cuts in half.
    private mutating func setCell(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, x < size.columns, y >= 0, y < size.rows else { return }
        let index = y * size.columns + x
        if cells[index].isContinuation, x > 0 {
            cells[index - 1] = Cell(text: " ", style: cells[index - 1].style)
        }
        if !cell.isContinuation, x + 1 < size.columns, cells[index + 1].isContinuation {
            cells[index + 1] = Cell(text: " ", style: cells[index + 1].style)
        }
        cells[index] = cell
    }

    /// The text of row `y`, wide characters once, trailing spaces removed.
    public func text(row y: Int) -> String {
        var line = ""
        for x in 0..<size.columns where !self[x, y].isContinuation {
            line += self[x, y].text
        }
        while line.last == " " { line.removeLast() }
        return line
    }

    /// All rows as text, for snapshots and `--plain` output.
    public var lines: [String] { (0..<size.rows).map { text(row: $0) } }

    /// The cells of one row, for the backend's diff.
    public func row(_ y: Int) -> ArraySlice<Cell> {
        cells[(y * size.columns)..<((y + 1) * size.columns)]
    }
}
