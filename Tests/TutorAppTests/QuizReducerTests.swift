import Foundation
import Testing
import TutorApp
import TutorCore
import TutorUI

/// The quiz screen's reducer: each kind of question answered with keys, the footer
/// telling the truth, Esc keeping the quiz for `t` to resume, the end screen naming
/// what was missed, an exam's clock, live questions answered by the worker.
@Suite struct QuizReducerTests {
    /// The fixture lesson with its quiz replaced by `yaml`, opened on the quiz screen.
    static func quiz(_ yaml: String, plan: QuizPlan = QuizPlan(mode: .practice, seed: 1, seedGiven: true, shuffles: false)) throws
        -> AppState
    {
        var state = Fixture.state(.en)
        let loaded = try #require(Fixture.loader.load(folder: "01-sample").lesson)
        let (quiz, diagnostics) = Quiz.parse(yaml, file: "quiz.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        state.lessons["01-sample"] = Lesson(info: loaded.info, texts: loaded.texts, quiz: quiz)
        Fixture.reduce(.startQuiz(QuizRequest(folders: ["01-sample"], plan: plan)), &state)
        #expect(state.screen == .quiz)
        return state
    }

    static func footer(_ state: AppState) -> String {
        AppView.render(state).lines.last ?? ""
    }

    @Test func lessonQuizGivesFeedbackScoresAndSavesAtTheEnd() throws {
        var state = Fixture.state(.en)
        Fixture.press([.enter, .character("t")], &state)
        #expect(state.screen == .quiz)
        // Question 1: the right answer is option 2.
        Fixture.press([.down, .enter], &state)
        #expect(state.quiz?.verdict == 0)
        #expect(state.quiz?.session?.score == 1)
        // Keys other than Enter do not skip the explanation.
        Fixture.press([.down], &state)
        #expect(state.quiz?.verdict == 0)
        Fixture.press([.enter], &state)
        #expect(state.quiz?.session?.position == 1)
        // Question 2 is true/false; False (wrong) with the number key, which answers at once.
        let effects = Fixture.press([.character("2")], &state)
        #expect(state.quiz?.session?.score == 1)
        #expect(state.progress[lesson: "sample"].quizBest == 1)
        #expect(state.progress[lesson: "sample"].quizTotal == 2)
        #expect(state.progress.attempts.count == 1)
        #expect(effects == [.recordProgress([.quizAttempt(state.progress.attempts[0])])])
        Fixture.press([.enter], &state)
        #expect(state.quiz?.finished == true)
        // The end screen names the question missed, its right answer and why.
        let screen = AppView.render(state).lines.joined(separator: "\n")
        #expect(screen.contains("Score: 1 / 2"))
        #expect(screen.contains("✗ 2. A container shares the host's kernel."))
        #expect(screen.contains("Your answer: 2"))
        #expect(screen.contains("Right answer: 1. True"))
        #expect(screen.contains("There is one kernel."))
        #expect(!screen.contains("The hostname"), "a question answered right is not listed")
        Fixture.press([.enter], &state)
        #expect(state.screen == .reader)
    }

    /// The footer says a digit answers a single-choice question at once, and it does.
    @Test func footerTellsTheTruth() throws {
        var state = Fixture.state(.en)
        Fixture.press([.enter, .character("t")], &state)
        #expect(Self.footer(state).contains("1-9 answer"))
        Fixture.press([.character("2")], &state)
        #expect(state.quiz?.verdict == 0, "the digit answered")
        #expect(Self.footer(state).contains("Enter next"))
        state.language = .ko
        #expect(Self.footer(state).contains("Enter 다음"))
    }

    @Test func escapeKeepsTheQuizAndTResumesIt() throws {
        var state = Fixture.state(.en)
        Fixture.press([.enter, .character("t"), .character("2"), .enter], &state)
        #expect(state.quiz?.session?.position == 1)
        Fixture.press([.escape], &state)
        #expect(state.screen == .reader)
        Fixture.press([.character("t")], &state)
        #expect(state.screen == .quiz)
        #expect(state.quiz?.session?.position == 1, "resumed, not restarted")
        #expect(state.quiz?.session?.score == 1)
        // A finished quiz is not resumed: t starts a new one.
        // True is option 1, and right.
        Fixture.press([.character("1")], &state)
        #expect(state.quiz?.session?.score == 2)
        Fixture.press([.enter, .enter], &state)
        #expect(state.screen == .reader)
        Fixture.press([.character("t")], &state)
        #expect(state.quiz?.session?.position == 0)
    }

    @Test func shortAnswersAreTypedWithEveryLetter() throws {
        var state = try Self.quiz(
            """
            questions:
              - id: cmd
                type: short
                prompt: {ko: "명령?", en: "Command?"}
                accept: {ko: ["lsns"], en: ["lsns"]}
                explain: {ko: "lsns", en: "lsns"}
            """)
        #expect(Self.footer(state).contains("Backspace erase"))
        // l, q and ? are letters here, not the language toggle, quit or help.
        Fixture.press([.character("l"), .character("q"), .backspace, .character("s"), .character("n"), .character("S")], &state)
        #expect(state.quiz?.typed == "lsnS")
        #expect(state.language == .en)
        #expect(AppView.render(state).lines.joined().contains("› lsnS▏"))
        Fixture.press([.enter], &state)
        #expect(state.quiz?.session?.score == 1)
        #expect(AppView.render(state).lines.joined().contains("Correct!"))
    }

    @Test func orderItemsAreCarriedWithSpaceAndArrows() throws {
        var state = try Self.quiz(
            """
            questions:
              - id: chain
                type: order
                prompt: {ko: "순서", en: "Order"}
                items:
                  - {ko: "client", en: "client"}
                  - {ko: "dockerd", en: "dockerd"}
                  - {ko: "runc", en: "runc"}
                explain: {ko: "차례", en: "In turn"}
            """)
        let item = try #require(state.quiz?.current)
        #expect(item.order != [0, 1, 2], "never shown already in order")
        #expect(Self.footer(state).contains("Space pick up"))
        // Sort by carrying: for each position, find the item that belongs there and carry it up.
        for position in 0..<3 {
            let arrangement = try #require(state.quiz?.arrangement)
            let from = try #require(arrangement.firstIndex { item.order[$0] == position })
            state.quiz?.cursor = from
            Fixture.press([.character(" ")] + Array(repeating: Key.up, count: from - position) + [.character(" ")], &state)
        }
        #expect(state.quiz?.arrangement.map { item.order[$0] } == [0, 1, 2])
        Fixture.press([.enter], &state)
        #expect(state.quiz?.session?.score == 1)
    }

    @Test func matchSidesArePairedWithLetters() throws {
        var state = try Self.quiz(
            """
            questions:
              - id: ns
                type: match
                prompt: {ko: "짝", en: "Match"}
                pairs:
                  - {left: {ko: "uts", en: "uts"}, right: {ko: "호스트 이름", en: "hostname"}}
                  - {left: {ko: "pid", en: "pid"}, right: {ko: "PID", en: "PIDs"}}
                explain: {ko: "각자", en: "Each"}
            """)
        let item = try #require(state.quiz?.current)
        // Enter before every left side has a pair only says so.
        Fixture.press([.enter], &state)
        #expect(state.quiz?.session?.position == 0)
        #expect(state.notice == QuizText.pairEveryLeft)
        let letters = (0..<2).map { left in QuizItem.letter(item.order.firstIndex(of: left)!) }
        Fixture.press(letters.map { Key.character(Character($0)) } + [.enter], &state)
        #expect(state.quiz?.session?.score == 1)
        let screen = AppView.render(state).lines.joined(separator: "\n")
        #expect(screen.contains("uts  →  \(letters[0]). hostname ✓"))
    }

    @Test func examCountsDownAndTimeRunningOutEndsIt() throws {
        let plan = QuizPlan(mode: .exam, seed: 3, seedGiven: true, timeLimit: 60)
        var state = Fixture.state(.en)
        Fixture.press([.enter], &state)
        Fixture.reduce(.startQuiz(QuizRequest(folders: ["01-sample"], plan: plan)), &state)
        #expect(AppView.render(state).lines.joined().contains("⏱ 1:00 left"))
        // An exam shows no verdict: the next question comes at once.
        Fixture.press([.character("1")], &state, at: Fixture.time.addingTimeInterval(5))
        #expect(state.quiz?.verdict == nil)
        #expect(state.quiz?.session?.position == 1)
        Fixture.reduce(.tick, &state, at: Fixture.time.addingTimeInterval(45.2))
        #expect(AppView.render(state).lines.joined().contains("⏱ 0:15 left"))
        let effects = Fixture.reduce(.tick, &state, at: Fixture.time.addingTimeInterval(60))
        #expect(state.quiz?.finished == true)
        #expect(state.notice == QuizText.outOfTime)
        let attempt = try #require(state.progress.attempts.last)
        #expect(effects == [.recordProgress([.quizAttempt(attempt)])])
        #expect(attempt.mode == .exam && attempt.seed == 3 && attempt.results.count == 2)
        #expect(attempt.results[1].correct == false && attempt.results[1].answer == nil)
        // After an exam every question is listed with its explanation.
        let screen = AppView.render(state).lines.joined(separator: "\n")
        #expect(screen.contains("Results") && screen.contains("Only the hostname") && screen.contains("There is one kernel."))
    }

    @Test func liveQuestionsWaitForTheWorkersProbes() throws {
        let yaml = """
            questions:
              - id: pid
                type: live
                probe: child-pid-in-new-pidns
                prompt: {ko: "호스트 PID {host-pid}, 안에서는?", en: "Host PID {host-pid}; inside?"}
                explain: {ko: "{answer}", en: "It is {answer}."}
              - id: tf
                type: truefalse
                prompt: {ko: "참?", en: "True?"}
                answer: true
                explain: {ko: "네", en: "Yes"}
            """
        var state = Fixture.state(.en)
        let loaded = try #require(Fixture.loader.load(folder: "01-sample").lesson)
        state.lessons["01-sample"] = Lesson(info: loaded.info, texts: loaded.texts, quiz: Quiz.parse(yaml, file: "q").0)
        let plan = QuizPlan(mode: .practice, seed: 1, seedGiven: true, shuffles: false)
        let effects = Fixture.reduce(.startQuiz(QuizRequest(folders: ["01-sample"], plan: plan)), &state)
        #expect(effects == [.resolveLiveProbes([.childPIDInNewPIDNamespace])])
        #expect(AppView.render(state).lines.joined().contains("child-pid-in-new-pidns"))

        var answered = state
        Fixture.reduce(
            .liveProbesResolved([.childPIDInNewPIDNamespace: .answered(LiveAnswer(answer: "1", values: ["host-pid": "777"]))]), &answered)
        #expect(AppView.render(answered).lines.joined().contains("Host PID 777; inside?"))
        Fixture.press([.character("1"), .enter], &answered)
        #expect(answered.quiz?.session?.score == 1)

        let reason = Localized(ko: "root가 아님", en: "not root")
        Fixture.reduce(.liveProbesResolved([.childPIDInNewPIDNamespace: .skipped(reason)]), &state)
        #expect(state.quiz?.session?.items.map(\.question.id) == ["tf"])
        #expect(state.notice?.en.contains("not root") == true)
    }

    @Test func menuQOpensACourseQuizAndQuitsBackToTheMenu() throws {
        var state = Fixture.state(.en)
        Fixture.press([.character("Q")], &state)
        #expect(state.screen == .quiz)
        #expect(state.quiz?.entryIndex == nil)
        #expect(state.quiz?.session?.total == 2)
        Fixture.press([.character("q")], &state)
        #expect(state.screen == .menu)
        Fixture.press([.character("Q")], &state)
        #expect(state.quiz?.session?.position == 0)
        // `ctutor quiz` on a terminal: leaving the quiz quits instead of showing a menu.
        Fixture.reduce(.startQuiz(QuizRequest(folders: ["01-sample"], plan: QuizPlan(mode: .practice, seed: 1, seedGiven: true))), &state)
        #expect(Fixture.press([.escape], &state) == [.quit])
    }
}
