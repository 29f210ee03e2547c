/// Word wrap by display width. Lines break at spaces; a word wider than the line is
/// broken between graphemes, so a Hangul syllable (2 columns) is never split and
/// never starts in the last column of a line.
///
/// A no-break space (U+00A0, ``TextWrap/noBreakSpace``) joins words that belong
/// together, like a value and its label (`getpid = 1`): lines never break there,
/// and it is drawn as an ordinary space.
public enum TextWrap {
    public static let noBreakSpace: Character = "\u{00A0}"

    /// The text with its spaces made no-break: it wraps as one word.
    public static func unbreakable(_ text: String) -> String {
        String(text.map { $0 == " " ? noBreakSpace : $0 })
    }

    private struct Glyph {
        var character: Character
        var style: Style
        var width: Int
        var isSpace: Bool { character == " " }
    }

    /// Wraps plain text to `width` columns.
    public static func wrap(_ text: String, width: Int, style: Style = .plain) -> [StyledLine] {
        wrap([Span(text, style)], width: width)
    }

    /// Columns between tab stops.
    public static let tabWidth = 8

    /// The spans with each tab replaced by spaces up to the next tab stop, counted
    /// from the start of its line (`NSpid:\t48213\t1` keeps its columns). A tab
    /// has no width of its own, so left in it would vanish from the screen.
    public static func expandingTabs(_ spans: StyledLine) -> StyledLine {
        guard spans.contains(where: { $0.text.contains("\t") }) else { return spans }
        var column = 0
        return spans.map { span in
            var text = ""
            for character in span.text {
                switch character {
                case "\t":
                    let spaces = tabWidth - column % tabWidth
                    text += String(repeating: " ", count: spaces)
                    column += spaces
                case "\n":
                    text.append(character)
                    column = 0
                default:
                    text.append(character)
                    column += DisplayWidth.of(character)
                }
            }
            return Span(text, span.style)
        }
    }

    /// Wraps styled spans to `width` columns; styles are kept across breaks.
    /// Embedded newlines force a break, tabs are expanded (``expandingTabs(_:)``).
    /// Always returns at least one line.
    public static func wrap(_ spans: StyledLine, width: Int) -> [StyledLine] {
        let spans = expandingTabs(spans)
        let width = max(1, width)
        var lines: [[Glyph]] = []
        var current: [Glyph] = []
        var currentWidth = 0
        var breakIndex: Int?  // index in `current` of the last space
        // Where a word too long for any line may still break: after `|` or `/`
        // (CLONE_NEWNS|CLONE_NEWUTS, /proc/42/ns/uts) rather than at any character.
        var softBreakIndex: Int?

        func finishLine() {
            while current.last?.isSpace == true { current.removeLast() }
            lines.append(current)
            current = []
            currentWidth = 0
            breakIndex = nil
            softBreakIndex = nil
        }

        for span in spans {
            for character in span.text {
                if character == "\n" {
                    finishLine()
                    continue
                }
                let glyph = Glyph(character: character, style: span.style, width: DisplayWidth.of(character))
                if glyph.width == 0 { continue }
                if glyph.isSpace && current.isEmpty && !lines.isEmpty { continue }
                if currentWidth + glyph.width > width {
                    if glyph.isSpace {
                        finishLine()
                        continue
                    }
                    if let cut = breakIndex {
                        let carry = Array(current[(cut + 1)...])
                        current.removeSubrange(cut...)
                        finishLine()
                        current = carry
                        currentWidth = carry.reduce(0) { $0 + $1.width }
                        softBreakIndex = carry.lastIndex { $0.character == "|" || $0.character == "/" }.map { $0 + 1 }
                    } else if let cut = softBreakIndex, cut < current.count {
                        let carry = Array(current[cut...])
                        current.removeSubrange(cut...)
                        finishLine()
                        current = carry
                        currentWidth = carry.reduce(0) { $0 + $1.width }
                    } else {
                        finishLine()
                    }
                }
                if glyph.isSpace {
                    breakIndex = current.count
                    softBreakIndex = nil
                }
                current.append(glyph)
                if character == "|" || character == "/" { softBreakIndex = current.count }
                currentWidth += glyph.width
            }
        }
        finishLine()
        return lines.map(merge)
    }

    private static func merge(_ glyphs: [Glyph]) -> StyledLine {
        var line: StyledLine = []
        for glyph in glyphs {
            let character = glyph.character == noBreakSpace ? " " : glyph.character
            if let last = line.last, last.style == glyph.style {
                line[line.count - 1].text.append(character)
            } else {
                line.append(Span(String(character), glyph.style))
            }
        }
        return line
    }

    /// Cuts a string to at most `width` columns, adding `…` when it was longer.
    public static func truncate(_ text: String, width: Int) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        guard width > 0 else { return "" }
        var result = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }

    /// Pads a string with spaces to exactly `width` columns (truncating if needed).
    public static func pad(_ text: String, width: Int) -> String {
        let cut = truncate(text, width: width)
        return cut + String(repeating: " ", count: max(0, width - DisplayWidth.of(cut)))
    }
}
