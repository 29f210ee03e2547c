import Testing
import TutorUI

@testable import TutorApp

@Suite struct TableLayoutTests {
    private func text(_ lines: [StyledLine]) -> [String] { lines.map(\.plainText) }

    @Test func naturalWidthsWhenTheTableFits() {
        let lines = TableLayout.lines(header: [[Span("a")], [Span("bb")]], rows: [[[Span("ccc")], [Span("d")]]], width: 40)
        #expect(text(lines) == ["┌─────┬────┐", "│ a   │ bb │", "├─────┼────┤", "│ ccc │ d  │", "└─────┴────┘"])
    }

    @Test func wordsWrapBeforeATokenIsBroken() {
        let lines = TableLayout.lines(
            header: [[Span("Observed")], [Span("Host")]], rows: [[[Span("UTS namespace")], [Span("uts:[4026531838]")]]], width: 32)
        #expect(
            text(lines) == [
                "┌───────────┬──────────────────┐",
                "│ Observed  │ Host             │",
                "├───────────┼──────────────────┤",
                "│ UTS       │ uts:[4026531838] │",
                "│ namespace │                  │",
                "└───────────┴──────────────────┘",
            ])
        for line in lines { #expect(line.displayWidth <= 32) }
    }

    @Test func koreanCellsKeepTheFrameAligned() {
        let lines = TableLayout.lines(header: [[Span("이름")], [Span("뜻")]], rows: [[[Span("uts")], [Span("호스트 이름")]]], width: 40)
        let widths = Set(lines.map(\.displayWidth))
        #expect(widths.count == 1, "every row of the table is as wide as the frame: \(text(lines))")
    }

    @Test func aCellOfSeveralLinesIsAsWideAsItsWidestLine() {
        let lines = TableLayout.lines(header: [[Span("a")], [Span("b")]], rows: [[[Span("x")], [Span("one\nthree")]]], width: 40)
        #expect(text(lines) == ["┌───┬───────┐", "│ a │ b     │", "├───┼───────┤", "│ x │ one   │", "│   │ three │", "└───┴───────┘"])
    }

    @Test func fitsOnlyWhenNoWordMustBreak() {
        let header: [StyledLine] = [[Span("Observed")], [Span("Process 1")]]
        let rows: [[StyledLine]] = [[[Span("Executable (readlink exe)")], [Span("/usr/bin/sleep")]]]
        // Longest words: "Executable" is 10 columns, "/usr/bin/sleep" 14; the frame takes 7.
        #expect(TableLayout.fits(header: header, rows: rows, width: 31))
        #expect(!TableLayout.fits(header: header, rows: rows, width: 30))
    }
}
