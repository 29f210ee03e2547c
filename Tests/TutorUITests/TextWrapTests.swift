import Testing

@testable import TutorUI

@Suite struct TextWrapTests {
    private func texts(_ lines: [StyledLine]) -> [String] { lines.map(\.plainText) }

    @Test func wrapsAtSpaces() {
        let lines = TextWrap.wrap("the quick brown fox jumps", width: 10)
        #expect(texts(lines) == ["the quick", "brown fox", "jumps"])
    }

    @Test func aNoBreakSpaceKeepsAValueWithItsLabelAndIsDrawnAsASpace() {
        let nbsp = TextWrap.noBreakSpace
        #expect(texts(TextWrap.wrap("child: hostname = demo, getpid = 1", width: 32)) == ["child: hostname = demo, getpid =", "1"])
        let lines = TextWrap.wrap("child: hostname = demo, getpid\(nbsp)=\(nbsp)1", width: 32)
        #expect(texts(lines) == ["child: hostname = demo,", "getpid = 1"])
        #expect(!lines.flatMap { $0 }.contains { $0.text.contains(nbsp) })
    }

    /// At 11 columns a word of 2-column syllables breaks after 10; the 11th column
    /// stays empty rather than holding half a syllable.
    @Test func koreanWrapsAtAnOddWidthWithoutSplittingSyllables() {
        let text = "네임스페이스는 프로세스에게 자기만의 시스템 자원을 보여 줍니다"
        let lines = TextWrap.wrap(text, width: 11)
        #expect(
            texts(lines) == [
                "네임스페이",
                "스는",
                "프로세스에",
                "게 자기만의",
                "시스템",
                "자원을 보여",
                "줍니다",
            ])
        for line in lines { #expect(line.displayWidth <= 11) }
    }

    @Test func aLongKoreanWordBreaksBetweenSyllablesAndNeverAtTheLastOddColumn() {
        let lines = TextWrap.wrap("가나다라마바사아자차", width: 5)
        #expect(texts(lines) == ["가나", "다라", "마바", "사아", "자차"])
        for line in lines { #expect(line.displayWidth == 4) }
    }

    @Test func keepsStylesAcrossBreaks() {
        let bold = Style(bold: true)
        let lines = TextWrap.wrap([Span("plain "), Span("bold words here", bold)], width: 11)
        #expect(texts(lines) == ["plain bold", "words here"])
        #expect(lines[0] == [Span("plain "), Span("bold", bold)])
        #expect(lines[1] == [Span("words here", bold)])
    }

    @Test func newlinesForceBreaksAndEmptyInputGivesOneLine() {
        #expect(texts(TextWrap.wrap("a\nb", width: 10)) == ["a", "b"])
        #expect(TextWrap.wrap("", width: 10).count == 1)
    }

    @Test func truncateAndPadCountDisplayColumns() {
        #expect(TextWrap.truncate("한글 텍스트", width: 6) == "한글 …")
        #expect(TextWrap.truncate("한글텍스트", width: 6) == "한글…")
        #expect(DisplayWidth.of(TextWrap.pad("한글", width: 7)) == 7)
        #expect(TextWrap.pad("abcdef", width: 4) == "abc…")
    }

    @Test func aWordLongerThanTheLineBreaksAfterABarOrSlash() {
        let flags = "launcher: unshare(CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWPID)"
        #expect(texts(TextWrap.wrap(flags, width: 30)) == ["launcher:", "unshare(CLONE_NEWNS|", "CLONE_NEWUTS|CLONE_NEWIPC|", "CLONE_NEWPID)"])
        // A space still wins when there is one; a path that fits is never split.
        #expect(texts(TextWrap.wrap("read /proc/42/ns/uts now", width: 20)) == ["read /proc/42/ns/uts", "now"])
        // With no bar or slash, a too-long word is cut where the line ends.
        #expect(texts(TextWrap.wrap("abcdefghij", width: 4)) == ["abcd", "efgh", "ij"])
    }
}
