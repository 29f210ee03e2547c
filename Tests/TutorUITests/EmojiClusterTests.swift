import CShim
import Foundation
import Testing

@testable import TutorUI

/// Emoji sequences (issue 9): a grapheme cluster is one glyph of width 2 in the
/// buffer, and what is sent to curses adds up to the same width by the C
/// library's `wcwidth`, which curses uses to place the rest of the row.
@Suite struct EmojiClusterTests {
    static let sequences = ["👨‍👩‍👧", "🇰🇷", "👍🏽", "❤️", "1️⃣", "🏳️‍🌈"]

    @Test(arguments: sequences)
    func aClusterIsOneGlyphTwoColumnsWide(_ emoji: String) {
        #expect(emoji.count == 1)
        #expect(DisplayWidth.of(emoji) == 2)
        var buffer = ScreenBuffer(size: Size(columns: 6, rows: 1))
        #expect(buffer.put("a" + emoji + "b", x: 0, y: 0) == 4)
        #expect(buffer[1, 0].text == emoji)
        #expect(buffer[2, 0].isContinuation)
        #expect(buffer.text(row: 0) == "a\(emoji)b")
    }

    /// Drawing a row as curses will (each character measured by glibc's wcwidth)
    /// lands every cell at the column the buffer gave it, so nothing shifts and
    /// no stale cell is left behind.
    @Test func whatCursesIsSentAddsUpToTheRowWidth() throws {
        // C.UTF-8 for this thread only (inside ctutor_wcwidth): setting the process's
        // locale raced with the other test that did, which put it back mid-loop.
        try #require(ctutor_wcwidth(0x41) != -2, "C.UTF-8 locale is not available")
        var buffer = ScreenBuffer(size: Size(columns: 30, rows: Self.sequences.count + 1))
        for (row, emoji) in Self.sequences.enumerated() {
            buffer.put("│ \(emoji) │ x 한글 é │", x: 0, y: row)
        }
        buffer.put("│ 🇰🇷🇯🇵 e\u{301} \u{1100}\u{1161} │", x: 0, y: Self.sequences.count)
        for y in 0..<buffer.size.rows {
            var columns = 0
            for x in 0..<buffer.size.columns where !buffer[x, y].isContinuation {
                #expect(columns == x, "row \(y): \(buffer.text(row: y)) cell \(x) lands at \(columns)")
                columns += buffer[x, y].terminalText.unicodeScalars.reduce(0) { $0 + max(0, Int(ctutor_wcwidth($1.value))) }
            }
            #expect(columns == buffer.size.columns, "row \(y): \(buffer.text(row: y))")
        }
    }

    /// Clusters every terminal already draws at their width are sent whole.
    @Test func plainClustersAreSentWhole() {
        for text in ["🇰🇷", "e\u{301}", "\u{1100}\u{1161}", "한", "a"] {
            #expect(Cell(text: text).terminalText == text)
        }
        #expect(Cell(text: "👨‍👩‍👧").terminalText == "👨")
        #expect(Cell(text: "❤️").terminalText == "❤ ")
    }
}

/// Characters a terminal cannot place (found by the lesson fuzz test).
@Suite struct UndrawableCharacterTests {
    @Test func lineAndParagraphSeparatorsAreNotDrawn() {
        var buffer = ScreenBuffer(size: Size(columns: 4, rows: 1))
        buffer.put("a\u{2028}b\u{2029}c", x: 0, y: 0)
        #expect(buffer.text(row: 0) == "abc")
    }

    /// A code point with no character has no width to the C library (wcwidth -1).
    @Test func unassignedCodePointsAreSentAsAReplacementCharacter() {
        #expect(Cell(text: "\u{378}").terminalText == "\u{FFFD}")
        #expect(Cell(text: "\u{FFFF}").terminalText == "\u{FFFD}")
    }
}
