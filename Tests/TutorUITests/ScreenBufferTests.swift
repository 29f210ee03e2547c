import Testing

@testable import TutorUI

@Suite struct ScreenBufferTests {
    @Test func wideCharacterTakesACellAndAContinuation() {
        var buffer = ScreenBuffer(size: Size(columns: 6, rows: 1))
        let end = buffer.put("가a", x: 0, y: 0)
        #expect(end == 3)
        #expect(buffer[0, 0].text == "가")
        #expect(buffer[1, 0].isContinuation)
        #expect(buffer[2, 0].text == "a")
        #expect(buffer.text(row: 0) == "가a")
    }

    @Test func wideCharacterNeverCrossesTheEdge() {
        var buffer = ScreenBuffer(size: Size(columns: 5, rows: 1))
        buffer.put("가나다", x: 0, y: 0)
        #expect(buffer.text(row: 0) == "가나")
        #expect(!buffer[4, 0].isContinuation)
        #expect(buffer[4, 0].text == " ")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = ScreenBuffer(size: Size(columns: 4, rows: 1))
        buffer.put("가나", x: 0, y: 0)
        buffer.put("x", x: 1, y: 0)
        #expect(buffer.text(row: 0) == " x나")
        buffer.put("y", x: 2, y: 0)
        #expect(buffer.text(row: 0) == " xy")
        #expect(!buffer[3, 0].isContinuation)
    }

    @Test func clipsAtMaxX() {
        var buffer = ScreenBuffer(size: Size(columns: 10, rows: 1))
        let end = buffer.put("abcdefgh", x: 2, y: 0, maxX: 6)
        #expect(end == 6)
        #expect(buffer.text(row: 0) == "  abcd")
    }

    @Test func outOfBoundsRowsAreIgnored() {
        var buffer = ScreenBuffer(size: Size(columns: 3, rows: 1))
        buffer.put("abc", x: 0, y: 5)
        buffer.put("abc", x: 0, y: -1)
        #expect(buffer.lines == [""])
    }
}
