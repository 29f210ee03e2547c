import Foundation
import Testing
import TutorCore
import TutorUI

@testable import TutorApp

@Suite struct LessonTimeTests {
    static func at(_ seconds: TimeInterval) -> Date { Fixture.time.addingTimeInterval(seconds) }

    @Test func timeInALessonIsRecordedWhenTheLearnerLeavesIt() {
        var state = Fixture.state()
        Fixture.press([.enter], &state, at: Self.at(0))
        #expect(Fixture.press([.down], &state, at: Self.at(40)).isEmpty, "nothing is saved while reading")
        let effects = Fixture.press([.escape], &state, at: Self.at(100))
        #expect(effects == [.recordProgress([.timeSpent(lesson: "sample", seconds: 100)])])
        #expect(state.progress[lesson: "sample"].secondsSpent == 100)
        #expect(state.lessonTime == nil)
        // Time on the menu is no lesson's.
        Fixture.press([.enter], &state, at: Self.at(1000))
        #expect(Fixture.press([.escape], &state, at: Self.at(1010)) == [.recordProgress([.timeSpent(lesson: "sample", seconds: 10)])])
        #expect(state.progress[lesson: "sample"].secondsSpent == 110)
    }

    @Test func aLongIdleGapCountsAtMostTheIdleLimit() {
        var state = Fixture.state()
        Fixture.press([.enter], &state, at: Self.at(0))
        Fixture.press([.down], &state, at: Self.at(30))
        // An hour without a key: five minutes of it count.
        Fixture.press([.down], &state, at: Self.at(30 + 3600))
        Fixture.press([.escape], &state, at: Self.at(30 + 3600 + 20))
        #expect(state.progress[lesson: "sample"].secondsSpent == 30 + Int(LessonTime.idleLimit) + 20)
    }

    @Test func theDemoAndTheQuizOfALessonCountAsTimeInIt() {
        var state = Fixture.state()
        Fixture.press([.enter], &state, at: Self.at(0))
        Fixture.press([.character("d")], &state, at: Self.at(10))
        #expect(state.screen == .demo)
        Fixture.reduce(.demoFinished(run: 1, Fixture.report), &state, at: Self.at(25))
        Fixture.press([.escape, .character("t")], &state, at: Self.at(40))
        #expect(state.screen == .quiz)
        #expect(state.lessonTime?.lesson == "sample")
        #expect(state.progress[lesson: "sample"].secondsSpent == 0, "not recorded while inside the lesson")
        Fixture.press([.interrupt], &state, at: Self.at(70))
        #expect(state.progress[lesson: "sample"].secondsSpent == 70)
    }

    @Test func quittingRecordsTheTimeBeforeTheQuit() {
        var state = Fixture.state()
        Fixture.press([.enter], &state, at: Self.at(0))
        let effects = Fixture.press([.interrupt], &state, at: Self.at(12))
        #expect(effects == [.recordProgress([.timeSpent(lesson: "sample", seconds: 12)]), .quit])
    }

    @Test(arguments: [Key.escape, .character("q"), .left, .backspace])
    func leavingALessonOpenedFromTheCommandLineQuits(key: Key) {
        var state = Fixture.state()
        state.openedFromCommandLine = true
        Fixture.press([.enter], &state, at: Self.at(0))
        #expect(state.screen == .reader)
        let effects = Fixture.press([key], &state, at: Self.at(5))
        #expect(effects == [.recordProgress([.timeSpent(lesson: "sample", seconds: 5)]), .quit])
    }

    @Test func aQuizOrDemoOpenedFromTheCommandLineLessonStillGoesBackToIt() {
        var state = Fixture.state()
        state.openedFromCommandLine = true
        Fixture.press([.enter, .character("t"), .escape], &state)
        #expect(state.screen == .reader)
    }
}
