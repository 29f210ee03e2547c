import Testing
import TutorCore
import TutorUI

@testable import TutorApp

/// A long lesson is laid out once per lesson, language and width, not on every
/// key and frame (issue 9: a 10 MB lesson took a second per scroll key).
@Suite struct ReaderLayoutCacheTests {
    private static let text = LessonText(title: "T", summary: "", objectives: [], blocks: [.paragraph([InlineRun("word ")])])

    @Test func laysOutOnceForTheSameKeyAndAgainWhenItChanges() {
        let cache = ReaderLayoutCache()
        var made = 0
        func layout(_ key: ReaderLayoutCache.Key) -> Int {
            cache.layout(for: key) {
                made += 1
                return ReaderLayoutCache.Layout(lines: Array(repeating: [], count: key.width), boxes: [])
            }.lines.count
        }
        let key = ReaderLayoutCache.Key(text: Self.text, language: .ko, width: 40, demoTitles: [:])
        #expect(layout(key) == 40)
        #expect(layout(key) == 40)
        #expect(made == 1)
        var wider = key
        wider.width = 60
        #expect(layout(wider) == 60)
        var english = wider
        english.language = .en
        _ = layout(english)
        var edited = english
        edited.text.blocks.append(.paragraph([InlineRun("more")]))
        _ = layout(edited)
        #expect(made == 4)
    }

    /// Keys, frames and `d` use the kept lines; a resize or a language change
    /// lays the lesson out again at once.
    @Test func theReaderFollowsWidthAndLanguage() {
        var state = Fixture.state(.ko, size: Size(columns: 80, rows: 24))
        Fixture.press([.enter], &state)
        let ko = state.readerLines()
        Fixture.press([.down, .down], &state)
        #expect(state.readerLines() == ko)
        #expect(state.demoToRun() == "uts")
        Fixture.reduce(.resize(Size(columns: 60, rows: 24)), &state)
        let narrow = state.readerLines()
        #expect(narrow != ko)
        #expect(narrow.allSatisfy { $0.displayWidth <= state.textWidth })
        Fixture.press([.character("l")], &state)
        #expect(state.readerLines() != narrow)
        #expect(state.readerLines().last?.plainText == UIText.readerEnd.text(.en))
    }
}
