import Foundation

@testable import TutorCore

extension TutorCore.Progress {
    /// A whole-lesson practice attempt with `score` of `total` answered right.
    mutating func recordQuiz(lesson: String, score: Int, total: Int, at date: Date) {
        let results = (0..<total).map { QuestionResult(lesson: lesson, question: "q\($0)", correct: $0 < score) }
        apply(.quizAttempt(QuizAttempt(date: date, mode: .practice, wholeLessons: [lesson], results: results)), at: date)
    }
}
