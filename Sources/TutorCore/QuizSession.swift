import Foundation

/// A quiz being sat: its questions in order, the answers so far, and the clock of
/// an exam. Pure: the time of every step is given, so tests drive the clock.
///
/// Practice and review show each answer's verdict as it is given; an exam shows
/// nothing until the end. A question left unanswered — the time ran out, the input
/// ended — counts as wrong.
public struct QuizSession: Equatable, Sendable {
    public let plan: QuizPlan
    public let items: [QuizItem]
    public let skipped: [SkippedQuestion]
    public let startedAt: Date
    /// Every question id of each lesson the quiz drew from, to tell which it covered whole.
    let lessonQuestions: [String: [String]]
    /// The answer to each item, in shown numbering; `nil` while unanswered.
    public private(set) var responses: [QuizResponse?]
    /// The item being asked.
    public private(set) var position = 0
    public private(set) var endedAt: Date?

    init(plan: QuizPlan, items: [QuizItem], skipped: [SkippedQuestion], lessonQuestions: [String: [String]], startedAt: Date) {
        self.plan = plan
        self.items = items
        self.skipped = skipped
        self.lessonQuestions = lessonQuestions
        self.startedAt = startedAt
        responses = Array(repeating: nil, count: items.count)
        if items.isEmpty { endedAt = startedAt }
    }

    public var mode: QuizAttempt.Mode { plan.mode }
    /// Whether each answer's verdict is shown as soon as it is given.
    public var showsFeedback: Bool { plan.mode != .exam }
    public var isFinished: Bool { endedAt != nil }

    /// The item to answer now; `nil` once the quiz has ended.
    public var current: QuizItem? {
        isFinished ? nil : items[position]
    }

    /// When an exam's time runs out.
    public var deadline: Date? {
        plan.timeLimit.map { startedAt.addingTimeInterval($0) }
    }

    /// Whole seconds left at `now`, never below zero; `nil` without a time limit.
    public func secondsLeft(at now: Date) -> Int? {
        deadline.map { max(0, Int(($0.timeIntervalSince(now)).rounded(.up))) }
    }

    /// Ends the quiz if its time has run out; true when it has.
    @discardableResult
    public mutating func endIfOutOfTime(at now: Date) -> Bool {
        guard !isFinished, let deadline, now >= deadline else { return isFinished }
        endedAt = deadline
        return true
    }

    /// Answers the current question and moves on; the quiz ends after the last one.
    /// Returns whether the answer is right, or `nil` when nothing could be answered:
    /// the quiz had ended, or its time ran out first (and it ends now).
    @discardableResult
    public mutating func answer(_ response: QuizResponse, at now: Date) -> Bool? {
        guard !endIfOutOfTime(at: now), let item = current else { return nil }
        responses[position] = response
        position += 1
        if position == items.count { endedAt = now }
        return item.isCorrect(response)
    }

    /// Ends the quiz now: questions not answered count as wrong.
    public mutating func end(at now: Date) {
        guard !isFinished else { return }
        endedAt = min(now, deadline ?? now)
    }

    /// Whether item `index` was answered right.
    public func isCorrect(_ index: Int) -> Bool {
        responses[index].map { items[index].isCorrect($0) } ?? false
    }

    public var score: Int { items.indices.filter(isCorrect).count }
    public var total: Int { items.count }

    /// Items answered wrong or not at all, by index.
    public var missed: [Int] { items.indices.filter { !isCorrect($0) } }

    /// Every item's result; an unanswered one is wrong, with no answer.
    public var results: [QuestionResult] {
        items.indices.map { index in
            let item = items[index]
            return QuestionResult(
                lesson: item.lesson, question: item.question.id, correct: isCorrect(index), answer: responses[index].map(item.written))
        }
    }

    /// Lessons whose every question was asked, or skipped because this machine could
    /// not run its probe: their score counts as the lesson's quiz score.
    public var wholeLessons: [String] {
        lessonQuestions.keys.sorted().filter { lesson in
            let covered = Set(items.filter { $0.lesson == lesson }.map(\.question.id))
                .union(skipped.filter { $0.lesson == lesson }.map(\.question))
            return !covered.isEmpty && lessonQuestions[lesson]!.allSatisfy(covered.contains)
        }
    }

    /// The attempt to record, once the quiz has ended.
    public var attempt: QuizAttempt {
        let end = endedAt ?? startedAt
        return QuizAttempt(
            date: end, mode: plan.mode, seed: plan.seedGiven ? plan.seed : nil, wholeLessons: wholeLessons, results: results,
            seconds: max(0, Int(end.timeIntervalSince(startedAt).rounded())))
    }
}
