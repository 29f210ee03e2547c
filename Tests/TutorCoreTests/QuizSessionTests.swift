import Foundation
import Testing

@testable import TutorCore

/// A quiz sat against an injected clock: answers move it on, an exam's time runs out
/// and every question not answered by then is wrong; the attempt says what happened.
@Suite struct QuizSessionTests {
    static let start = QuizDeckTests.start

    static func exam(limit: TimeInterval = 600) -> QuizSession {
        let plan = QuizPlan(mode: .exam, seed: 9, seedGiven: true, count: 4, timeLimit: limit)
        let candidates = QuizDeck.candidates(QuizDeckTests.lessons, plan: plan, progress: TutorCore.Progress())
        return QuizDeck.deal(candidates, from: QuizDeckTests.lessons, plan: plan, outcomes: [:], at: start)
    }

    /// The response that answers an item right, in shown numbering.
    static func right(_ item: QuizItem) -> QuizResponse { item.rightResponse! }

    @Test func examTimeRunsOutAndTheRestIsWrong() throws {
        var session = Self.exam()
        #expect(!session.showsFeedback)
        #expect(session.secondsLeft(at: Self.start) == 600)
        let answered1 = session.answer(Self.right(try #require(session.current)), at: Self.start.addingTimeInterval(30))
        #expect(answered1 == true)
        #expect(session.secondsLeft(at: Self.start.addingTimeInterval(30.5)) == 570)
        let answered2 = session.answer(.picked([0, 1]), at: Self.start.addingTimeInterval(60))
        #expect(answered2 == false)
        // Still inside the limit: nothing ends.
        let endedEarly = session.endIfOutOfTime(at: Self.start.addingTimeInterval(599))
        #expect(!endedEarly)
        // An answer after the limit is not taken; the quiz ends at the deadline.
        let late = try #require(session.current)
        let answered3 = session.answer(Self.right(late), at: Self.start.addingTimeInterval(601))
        #expect(answered3 == nil)
        #expect(session.isFinished)
        #expect(session.current == nil)
        #expect(session.secondsLeft(at: Self.start.addingTimeInterval(700)) == 0)
        #expect(session.score == 1)
        #expect(session.total == 4)
        let attempt = session.attempt
        #expect(attempt.mode == .exam)
        #expect(attempt.seed == 9)
        #expect(attempt.seconds == 600)
        #expect(attempt.results.map(\.correct) == [true, false, false, false])
        #expect(attempt.results.map(\.answer) == [session.items[0].written(Self.right(session.items[0])), "1,2", nil, nil])
    }

    @Test func theClockEndsAnExamWithNoAnswerComing() {
        var session = Self.exam(limit: 90)
        let before = session.endIfOutOfTime(at: Self.start.addingTimeInterval(89.9))
        let at = session.endIfOutOfTime(at: Self.start.addingTimeInterval(90))
        #expect(!before && at)
        #expect(session.missed == [0, 1, 2, 3])
    }

    @Test func practiceEndsAfterTheLastAnswer() throws {
        let plan = QuizPlan(mode: .practice, seed: 4, seedGiven: false, count: 2)
        let candidates = QuizDeck.candidates(QuizDeckTests.lessons, plan: plan, progress: TutorCore.Progress())
        var session = QuizDeck.deal(candidates, from: QuizDeckTests.lessons, plan: plan, outcomes: [:], at: Self.start)
        #expect(session.showsFeedback)
        #expect(session.secondsLeft(at: Self.start) == nil)
        let answered4 = session.answer(Self.right(try #require(session.current)), at: Self.start.addingTimeInterval(5))
        #expect(answered4 == true)
        let answered5 = session.answer(.picked([9]), at: Self.start.addingTimeInterval(9))
        #expect(answered5 == false)
        #expect(session.isFinished)
        let answered6 = session.answer(.picked([0]), at: Self.start.addingTimeInterval(10))
        #expect(answered6 == nil)
        #expect(session.attempt.seed == nil, "a seed the learner did not give is not recorded")
        #expect(session.attempt.seconds == 9)
        #expect(session.missed == [1])
    }

    @Test func theInputEndingLeavesTheRestUnanswered() throws {
        var session = Self.exam()
        session.answer(Self.right(try #require(session.current)), at: Self.start)
        session.end(at: Self.start.addingTimeInterval(10))
        #expect(session.isFinished)
        #expect(session.results.map(\.correct) == [true, false, false, false])
    }

    @Test func durations() {
        #expect(QuizDuration.parse("10m") == 600)
        #expect(QuizDuration.parse("90s") == 90)
        #expect(QuizDuration.parse("1h") == 3600)
        #expect(QuizDuration.parse("1h30m") == 5400)
        for bad in ["", "10", "m", "0m", "10x", "-5m", "1.5h"] { #expect(QuizDuration.parse(bad) == nil, "\(bad)") }
    }
}
