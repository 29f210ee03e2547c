import Testing
import TutorCore
import TutorUI

@testable import TutorApp

/// What a teacher writes is what the learner sees (issue 9): tabs keep their
/// columns, emoji sequences keep a table aligned.
@Suite struct LessonTextLayoutTests {
    private static func render(_ markdown: String, width: Int = 60) -> [String] {
        let (blocks, _) = MarkdownParser(file: "f.md").parse(
            markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        let text = LessonText(title: "T", summary: "", objectives: [], blocks: blocks)
        let lines = LessonLayout.lines(for: text, language: .en, width: width)
        var buffer = ScreenBuffer(size: Size(columns: width + 4, rows: lines.count))
        for (y, line) in lines.enumerated() { buffer.put(line, x: 0, y: y) }
        return buffer.lines
    }

    @Test func tabsExpandToTheNextStopInCodeAndText() {
        let lines = Self.render("```\nNSpid:\t48213\t1\n한글\tx\n```\n\nText\twith\ttab.")
        #expect(lines[0] == "│ NSpid:  48213   1")
        #expect(lines[1] == "│ 한글    x")
        #expect(lines[3] == "Text    with    tab.")
    }

    @Test func tabsInATableCellAreMeasuredAsDrawn() {
        let lines = Self.render("| a | b |\n|---|---|\n| x\ty | z |")
        #expect(lines.map { DisplayWidth.of($0) }.allSatisfy { $0 == DisplayWidth.of(lines[0]) }, "\(lines)")
        #expect(lines[3] == "│ x       y │ z │")
    }

    /// A ZWJ family, a flag, a skin tone and VS16 are each one glyph two columns
    /// wide: every row of the table has the same width and its borders line up.
    @Test func emojiSequencesKeepATableAligned() {
        let emoji = ["👨‍👩‍👧", "🇰🇷", "👍🏽", "❤️"]
        let table = "| emoji | name |\n|---|---|\n" + emoji.map { "| \($0) | x |" }.joined(separator: "\n")
        let lines = Self.render(table)
        #expect(lines.count == 8)
        let widths = Set(lines.map { DisplayWidth.of($0) })
        #expect(widths.count == 1, "\(lines)")
        for (row, glyph) in emoji.enumerated() {
            #expect(lines[3 + row] == "│ \(glyph)    │ x    │", "\(lines[3 + row])")
        }
    }
}
