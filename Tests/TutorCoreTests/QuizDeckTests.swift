import Foundation
import Testing

@testable import TutorCore

/// Decks: a seed gives the same questions, order and options every time; review asks
/// exactly the questions last answered wrong; live questions that cannot be answered
/// here are skipped with their reason and replaced by the next question.
@Suite struct QuizDeckTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func choice(_ id: String, right: Int = 0) -> Question {
        let choices = (1...4).map { Localized("\(id)-\($0)") }
        return Question(id: id, prompt: Localized(id), choices: choices, answer: .single(right), explanation: Localized("why"))
    }

    static let lessons = [
        LessonQuiz(lesson: "one", questions: (1...6).map { choice("a\($0)") }),
        LessonQuiz(lesson: "two", questions: (1...6).map { choice("b\($0)") }),
    ]

    static func deal(seed: UInt64, count: Int? = 5, mode: QuizAttempt.Mode = .practice, progress: TutorCore.Progress = TutorCore.Progress())
        -> QuizSession
    {
        let plan = QuizPlan(mode: mode, seed: seed, seedGiven: true, count: count)
        let candidates = QuizDeck.candidates(lessons, plan: plan, progress: progress)
        return QuizDeck.deal(candidates, from: lessons, plan: plan, outcomes: [:], at: start)
    }

    @Test func sameSeedSameQuizAnotherSeedAnother() {
        let first = Self.deal(seed: 7)
        let again = Self.deal(seed: 7)
        #expect(first.items == again.items)
        #expect(first.items.count == 5)
        let other = Self.deal(seed: 8)
        #expect(other.items.map(\.question.id) != first.items.map(\.question.id))
        // The options are shuffled too, the same way for the same seed.
        #expect(first.items.map(\.order) == again.items.map(\.order))
        #expect(first.items.contains { $0.order != [0, 1, 2, 3] })
        // Every draw's questions are distinct.
        #expect(Set(first.items.map { $0.lesson + $0.question.id }).count == 5)
    }

    /// SplitMix64's first outputs for seed 0, as published with the algorithm.
    @Test func generatorIsSplitMix64() {
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func shownNumbersMapBackToTheFile() throws {
        let session = Self.deal(seed: 3, count: nil)
        for item in session.items {
            guard case .single(let right) = item.question.answer else { continue }
            let shown = try #require(item.order.firstIndex(of: right))
            #expect(item.isCorrect(.picked([shown])))
            #expect(!item.isCorrect(.picked([(shown + 1) % 4])))
            #expect(item.rightResponse == .picked([shown]))
        }
    }

    @Test func reviewAsksExactlyTheQuestionsLastAnsweredWrong() {
        var progress = TutorCore.Progress()
        let attempt = QuizAttempt(
            date: Self.start, mode: .practice, wholeLessons: [],
            results: [
                QuestionResult(lesson: "one", question: "a2", correct: false),
                QuestionResult(lesson: "one", question: "a3", correct: true),
                QuestionResult(lesson: "two", question: "b5", correct: false),
                QuestionResult(lesson: "two", question: "b6", correct: false),
            ])
        progress.apply(.quizAttempt(attempt), at: Self.start)
        // b6 was answered right later: no longer to review.
        progress.apply(
            .quizAttempt(
                QuizAttempt(
                    date: Self.start, mode: .review, wholeLessons: [],
                    results: [QuestionResult(lesson: "two", question: "b6", correct: true)])),
            at: Self.start)
        let session = Self.deal(seed: 1, count: nil, mode: .review, progress: progress)
        #expect(Set(session.items.map { "\($0.lesson)/\($0.question.id)" }) == ["one/a2", "two/b5"])
        #expect(Self.deal(seed: 1, mode: .review).items.isEmpty)
    }

    @Test func liveQuestionsSkippedWithTheirReasonAndReplaced() {
        let live = Question(
            id: "live", prompt: Localized("PID {host-pid}?"), choices: [], answer: .live(.childPIDInNewPIDNamespace),
            explanation: Localized("x"))
        let lessons = [LessonQuiz(lesson: "pid", questions: [live, Self.choice("c1"), Self.choice("c2"), Self.choice("c3")])]
        let plan = QuizPlan(mode: .practice, seed: 1, seedGiven: true, count: 3, shuffles: false)
        let candidates = QuizDeck.candidates(lessons, plan: plan, progress: TutorCore.Progress())
        #expect(QuizDeck.probesNeeded(candidates, count: 3) == [.childPIDInNewPIDNamespace])
        #expect(QuizDeck.probesNeeded(Array(candidates.dropFirst()), count: 3).isEmpty)

        let reason = Localized(ko: "user 네임스페이스가 꺼져 있음", en: "user namespaces are disabled")
        let skipped = QuizDeck.deal(
            candidates, from: lessons, plan: plan, outcomes: [.childPIDInNewPIDNamespace: .skipped(reason)], at: Self.start)
        #expect(skipped.items.map(\.question.id) == ["c1", "c2", "c3"])
        #expect(skipped.skipped == [SkippedQuestion(lesson: "pid", question: "live", probe: .childPIDInNewPIDNamespace, reason: reason)])

        let answer = LiveAnswer(answer: "1", values: ["host-pid": "4242"])
        let asked = QuizDeck.deal(
            candidates, from: lessons, plan: plan, outcomes: [.childPIDInNewPIDNamespace: .answered(answer)], at: Self.start)
        #expect(asked.items.map(\.question.id) == ["live", "c1", "c2"])
        #expect(asked.items[0].prompt(.en) == "PID 4242?")
    }

    /// A lesson whose every question was asked counts whole; a skipped live one does not stop it.
    @Test func wholeLessonsAreThoseFullyAsked() {
        var session = Self.deal(seed: 2, count: 8)
        session.end(at: Self.start)
        #expect(session.wholeLessons.isEmpty)
        var all = Self.deal(seed: 2, count: nil)
        all.end(at: Self.start)
        #expect(all.wholeLessons == ["one", "two"])
    }
}
