import Foundation
import Testing
import TutorCore
import TutorUI

@testable import TutorApp

@Suite struct ReducerTests {
    @Test func enterOpensTheLessonAndEscapeGoesBack() {
        var state = Fixture.state()
        Fixture.press([.enter], &state)
        #expect(state.screen == .reader)
        #expect(state.openLesson?.id == "sample")
        Fixture.press([.escape], &state)
        #expect(state.screen == .menu)
    }

    @Test func qOnTheMenuAndCtrlCAnywhereQuit() {
        var state = Fixture.state()
        #expect(Fixture.press([.character("q")], &state) == [.quit])
        Fixture.press([.enter], &state)
        #expect(Fixture.press([.interrupt], &state) == [.quit])
    }

    /// The sample lesson open at the smallest window, with twenty paragraphs more so
    /// that it is several pages long, and nothing of it seen but the first page.
    static func longLessonOpen(_ language: Language = .ko) -> AppState {
        var state = Fixture.state(language, size: Size(columns: 60, rows: 18))
        Fixture.press([.enter], &state)
        for language in Language.allCases {
            state.lessons["01-sample"]?.texts[language]?.blocks += (1...20).map { .paragraph(Inlines(markdown: "Paragraph \($0).")) }
        }
        state.reader = ReaderState(entryIndex: 0)
        Fixture.press([.home], &state)
        return state
    }

    @Test func scrollingIsClampedAndReachingTheEndMarksTheLessonRead() {
        var state = Self.longLessonOpen()
        let total = state.readerLines().count
        #expect(total > 2 * state.contentHeight, "fixture must be longer than two pages")
        Fixture.press([.up, .up], &state)
        #expect(state.reader?.scroll == 0)
        #expect(state.progress[lesson: "sample"].finishedReading == false)
        // End jumps to the last page: the lesson is shown to its end, but not read.
        #expect(Fixture.press([.end], &state).isEmpty)
        #expect(state.reader?.scroll == total - state.contentHeight)
        #expect(state.progress[lesson: "sample"].finishedReading == false)
        // Paging down from the top through every page is reading it.
        Fixture.press([.home], &state)
        var effects: [Effect] = []
        while state.reader!.scroll < total - state.contentHeight {
            #expect(effects.isEmpty, "read before the last page")
            effects = Fixture.press([.pageDown], &state)
        }
        #expect(state.progress[lesson: "sample"].finishedReading)
        #expect(effects == [.recordProgress([.finishedReading(lesson: "sample")])])
        Fixture.press([.pageDown, .down], &state)
        #expect(state.reader?.scroll == total - state.contentHeight)
        // Read once is enough: no second save.
        #expect(Fixture.press([.home, .end], &state).isEmpty)
    }

    @Test func readingGoesOnAfterAJumpBackButNotPastASkip() {
        var state = Self.longLessonOpen(.en)
        Fixture.press([.pageDown], &state)
        let seen = state.reader!.readUpTo
        #expect(seen == state.reader!.scroll + state.contentHeight)
        // A jump ahead shows lines past what was read without counting them.
        Fixture.press([.end], &state)
        #expect(state.reader!.readUpTo == seen)
        // Back where reading stopped, line by line on from there counts again.
        Fixture.press([.home, .pageDown, .down], &state)
        #expect(state.reader!.readUpTo == seen + 1)
        // A language switch lays the lesson out again; what was read keeps its share.
        let before = Double(state.reader!.readUpTo) / Double(state.readerLines().count)
        Fixture.press([.character("l"), .up], &state)
        let after = Double(state.reader!.readUpTo) / Double(state.readerLines().count)
        #expect(abs(after - before) < 0.1)
        #expect(state.progress[lesson: "sample"].finishedReading == false)
    }

    @Test func languageToggleRelaysOutAndKeepsScrollInRange() {
        var state = Fixture.state(size: Size(columns: 60, rows: 18))
        Fixture.press([.enter, .end], &state)
        let koreanLines = state.readerLines().map(\.plainText)
        Fixture.press([.character("l")], &state)
        #expect(state.language == .en)
        #expect(state.readerLines().map(\.plainText) != koreanLines)
        #expect(state.reader!.scroll <= max(0, state.readerLines().count - state.contentHeight))
    }

    @Test func openingALessonReadsItOnceAndReadingItsEndIsTimestamped() {
        var state = Fixture.state(size: Size(columns: 60, rows: 18))
        #expect(Reducer.reduce(&state, .key(.enter), at: Fixture.time) == [.loadLesson(folder: "01-sample")])
        #expect(state.screen == .reader)
        #expect(state.openLesson == nil)
        Fixture.reduce(.lessonLoaded(Fixture.loader.load(folder: "01-sample")), &state)
        #expect(state.openLesson?.id == "sample")
        let later = Fixture.time.addingTimeInterval(60)
        Fixture.press(Array(repeating: .pageDown, count: 20), &state, at: later)
        #expect(state.progress[lesson: "sample"].finishedReading)
        #expect(state.progress[lesson: "sample"].updated == later)
        // Read once: opening it again needs no reading.
        Fixture.press([.escape], &state)
        #expect(Reducer.reduce(&state, .key(.enter), at: Fixture.time).isEmpty)
        #expect(state.screen == .reader)
    }

    @Test func aLessonWhoseBodyIsBrokenGoesBackToTheMenuWithItsProblems() {
        var state = Fixture.state(.en)
        let broken = LessonEntry(
            folder: "01-sample", state: .broken([Diagnostic(file: "01-sample/lesson.ko.md", line: 12, message: "code block never closed")]))
        _ = Reducer.reduce(&state, .key(.enter), at: Fixture.time)
        Fixture.reduce(.lessonLoaded(LoadedLesson(entry: broken, lesson: nil)), &state)
        #expect(state.screen == .menu)
        #expect(state.entries[0] == broken)
        #expect(state.notice == UIText.brokenLessonTitle.localized)
    }

    @Test func aDemoThisMachineDoesNotAllowIsShownButNotCounted() {
        var state = Fixture.state()
        Fixture.press([.enter, .character("d")], &state)
        var refused = Fixture.report
        refused.mode = .unavailable
        #expect(Fixture.reduce(.demoFinished(run: 1, refused), &state).isEmpty)
        #expect(state.demo?.report == refused)
        #expect(state.progress[lesson: "sample"].demoRuns == 0)
    }

    @Test func demoRunsAsAnEffectAndItsReportIsRecorded() {
        var state = Fixture.state()
        Fixture.press([.enter], &state)
        #expect(Fixture.press([.character("d")], &state) == [.runDemo("uts", run: 1)])
        #expect(state.screen == .demo)
        #expect(state.demo?.isRunning == true)
        #expect(state.demo?.startedAt == Fixture.time)
        let finished = Fixture.time.addingTimeInterval(0.4)
        let effects = Fixture.reduce(.demoFinished(run: 1, Fixture.report), &state, at: finished)
        #expect(state.demo?.report == Fixture.report)
        #expect(state.progress[lesson: "sample"].demoRuns == 1)
        #expect(state.progress[lesson: "sample"].lastDemoMode == "real")
        #expect(state.progress[lesson: "sample"].updated == finished)
        #expect(effects == [.recordProgress([.demoRan(demo: "uts", mode: "real", lessons: ["sample"])])])
        #expect(Fixture.press([.character("r")], &state) == [.runDemo("uts", run: 2)])
        // A result from another run is not this one's.
        #expect(Fixture.reduce(.demoFinished(run: 1, Fixture.report), &state).isEmpty)
        #expect(state.demo?.isRunning == true)
        #expect(Fixture.press([.character("r")], &state).isEmpty, "no second run while one runs")
    }

    @Test func leavingARunningDemoCancelsItAndItsLateResultIsDropped() {
        var state = Fixture.state(.en)
        Fixture.press([.enter, .character("d")], &state)
        Fixture.press([.escape], &state)
        #expect(state.screen == .reader)
        #expect(state.demo?.cancelled == true)
        // Demos run one at a time: the one left is still cleaning up.
        #expect(Fixture.press([.character("d")], &state).isEmpty)
        #expect(state.notice?.en == "The uts demo you left is still cleaning up; press d again in a moment.")
        #expect(state.screen == .reader)
        #expect(Fixture.reduce(.demoFinished(run: 1, Fixture.report), &state).isEmpty)
        #expect(state.demo == nil)
        #expect(state.progress[lesson: "sample"].demoRuns == 0)
        #expect(state.screen == .reader)
        #expect(Fixture.press([.character("d")], &state) == [.runDemo("uts", run: 2)])
    }

    @Test(arguments: [Key.escape, .character("q"), .left])
    func everyWayBackLeavesARunningDemo(key: Key) {
        var state = Fixture.state()
        Fixture.press([.enter, .character("d"), key], &state)
        #expect(state.screen == .reader)
        #expect(state.demo?.cancelled == true)
    }

    @Test func aRunningDemoShowsHowLongItHasRun() {
        var state = Fixture.state(.en)
        Fixture.press([.enter, .character("d")], &state)
        Fixture.reduce(.tick, &state, at: Fixture.time.addingTimeInterval(3.27))
        let screen = AppView.render(state).lines.joined(separator: "\n")
        #expect(screen.contains("Running… 3.2 s"), "\(screen)")
    }

    @Test func theMenuScrollsToKeepTheSelectionInView() {
        var state = Fixture.state(.en)
        let entry = state.entries[0]
        state.entries = (1...30).map { number in
            var copy = entry
            copy.folder = String(format: "%02d-lesson", number)
            return copy
        }
        let height = state.menuListHeight
        #expect(height == 8)
        Fixture.press(Array(repeating: .down, count: 10), &state)
        #expect(state.menuSelection == 10)
        #expect(state.menuScroll == 10 - height + 1)
        // Moving back up inside the window does not scroll.
        Fixture.press([.up], &state)
        #expect(state.menuScroll == 10 - height + 1)
        Fixture.press([.end], &state)
        #expect(state.menuScroll == 30 - height)
        Fixture.press([.home], &state)
        #expect(state.menuScroll == 0)
        Fixture.press([.pageDown], &state)
        #expect(state.menuSelection == height - 1)
        // A taller window shows more of the list.
        Fixture.reduce(.resize(Size(columns: 80, rows: 40)), &state)
        #expect(state.menuListHeight > height)
    }

    @Test func helpOverlayClosesOnAnyKey() {
        var state = Fixture.state()
        Fixture.press([.character("?")], &state)
        #expect(state.showHelp)
        #expect(Fixture.press([.character("q")], &state).isEmpty)
        #expect(!state.showHelp)
    }

    @Test func aTooSmallWindowOnlyAcceptsQuit() {
        var state = Fixture.state(size: Size(columns: 50, rows: 10))
        Fixture.press([.enter], &state)
        #expect(state.screen == .menu)
        #expect(Fixture.press([.character("q")], &state) == [.quit])
        Fixture.reduce(.resize(Size(columns: 80, rows: 24)), &state)
        Fixture.press([.enter], &state)
        #expect(state.screen == .reader)
    }

    @Test func aBrokenLessonDoesNotOpen() {
        var state = Fixture.state()
        state.entries.append(
            LessonEntry(folder: "02-broken", state: .broken([Diagnostic(file: "02-broken/lesson.ko.md", line: 3, message: "bad")])))
        Fixture.press([.down, .enter], &state)
        #expect(state.screen == .menu)
        #expect(state.notice != nil)
    }

    @Test func saveFailureIsShownInOneLine() throws {
        var state = Fixture.state(.en)
        let error = ProgressStore.StoreError.io("open", path: "/x/progress.json", errno: EACCES)
        Fixture.reduce(.progressSaveFailed(error.localized), &state)
        let line = try #require(state.notice?.en)
        #expect(line.contains("open /x/progress.json: Permission denied"))
        #expect(line.contains("Make /x writable"))
        #expect(!line.contains("\n") && !line.contains("NSCocoaErrorDomain"))
    }
}
