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

    @Test func scrollingIsClampedAndReachingTheEndMarksTheLessonRead() {
        var state = Fixture.state(size: Size(columns: 60, rows: 18))
        Fixture.press([.enter], &state)
        let total = state.readerLines().count
        #expect(total > state.contentHeight, "fixture must be longer than one page")
        Fixture.press([.up, .up], &state)
        #expect(state.reader?.scroll == 0)
        #expect(state.progress[lesson: "sample"].finishedReading == false)
        let effects = Fixture.press([.end], &state)
        #expect(state.reader?.scroll == total - state.contentHeight)
        #expect(state.progress[lesson: "sample"].finishedReading)
        #expect(effects == [.saveProgress(state.progress)])
        Fixture.press([.pageDown, .down], &state)
        #expect(state.reader?.scroll == total - state.contentHeight)
        // Read once is enough: no second save.
        #expect(Fixture.press([.home, .end], &state).isEmpty)
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

    @Test func demoRunsAsAnEffectAndItsReportIsRecorded() {
        var state = Fixture.state()
        Fixture.press([.enter], &state)
        #expect(Fixture.press([.character("d")], &state) == [.runDemo("uts")])
        #expect(state.screen == .demo)
        #expect(state.demo?.report == nil)
        let effects = Reducer.reduce(&state, .demoFinished(Fixture.report))
        #expect(state.demo?.report == Fixture.report)
        #expect(state.progress[lesson: "sample"].demoRuns == 1)
        #expect(state.progress[lesson: "sample"].lastDemoMode == "real")
        #expect(effects == [.saveProgress(state.progress)])
        #expect(Fixture.press([.character("r")], &state) == [.runDemo("uts")])
        Fixture.press([.escape], &state)
        #expect(state.screen == .reader)
    }

    @Test func quizGivesFeedbackScoresAndSavesAtTheEnd() {
        var state = Fixture.state()
        Fixture.press([.enter, .character("t")], &state)
        #expect(state.screen == .quiz)
        // Question 1: the right answer is option 2.
        Fixture.press([.down, .enter], &state)
        #expect(state.quiz?.submitted == [1])
        #expect(state.quiz?.score == 1)
        // Keys other than Enter do not skip the explanation.
        Fixture.press([.down], &state)
        #expect(state.quiz?.questionIndex == 0)
        Fixture.press([.enter], &state)
        #expect(state.quiz?.questionIndex == 1)
        // Question 2 is true/false; answer False (wrong) with the number key.
        Fixture.press([.character("2")], &state)
        #expect(state.quiz?.submitted == [1])
        #expect(state.quiz?.score == 1)
        let effects = Fixture.press([.enter], &state)
        #expect(state.quiz?.finished == true)
        #expect(state.progress[lesson: "sample"].quizBest == 1)
        #expect(state.progress[lesson: "sample"].quizTotal == 2)
        #expect(effects == [.saveProgress(state.progress)])
        Fixture.press([.enter], &state)
        #expect(state.screen == .reader)
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
        _ = Reducer.reduce(&state, .resize(Size(columns: 80, rows: 24)))
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

    @Test func saveFailureIsShown() {
        var state = Fixture.state(.en)
        _ = Reducer.reduce(&state, .progressSaveFailed("open /x: Permission denied"))
        #expect(state.notice?.en == "Could not save progress: open /x: Permission denied")
    }
}
