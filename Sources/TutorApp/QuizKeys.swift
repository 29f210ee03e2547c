import TutorCore
import TutorUI

/// Keys in a quiz: pick, submit, see why, move on; the score is saved at the end.
enum QuizKeys {
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var quiz = state.quiz, let lesson = state.lesson(at: quiz.entryIndex), let questions = lesson.quiz?.questions else {
            state.screen = .reader
            return []
        }
        defer { state.quiz = quiz }
        if key == .escape || key == .character("q") {
            state.screen = .reader
            return []
        }
        if quiz.finished {
            if key == .enter { state.screen = .reader }
            return []
        }
        let question = questions[quiz.questionIndex]
        if quiz.submitted != nil {
            guard key == .enter || key == .right || key == .character(" ") else { return [] }
            if quiz.questionIndex + 1 < questions.count {
                quiz.questionIndex += 1
                quiz.cursor = 0
                quiz.marked = []
                quiz.submitted = nil
                return []
            }
            quiz.finished = true
            return state.record(.quizAttempt(QuizAttempt(date: state.now, mode: .practice, wholeLessons: [lesson.id], results: quiz.results)))
        }
        switch key {
        case .up, .character("k"):
            quiz.cursor = max(0, quiz.cursor - 1)
        case .down, .character("j"), .tab:
            quiz.cursor = min(question.optionCount - 1, quiz.cursor + 1)
        case .character(" ") where question.allowsSeveral:
            if quiz.marked.contains(quiz.cursor) { quiz.marked.remove(quiz.cursor) } else { quiz.marked.insert(quiz.cursor) }
        case .character(let c) where c.isASCII && c.isNumber:
            let index = Int(String(c))! - 1
            guard (0..<question.optionCount).contains(index) else { return [] }
            quiz.cursor = index
            if question.allowsSeveral {
                if quiz.marked.contains(index) { quiz.marked.remove(index) } else { quiz.marked.insert(index) }
            } else {
                submit([index], question, lesson.id, &quiz)
            }
        case .enter:
            let picked: Set<Int> = question.allowsSeveral ? quiz.marked : [quiz.cursor]
            guard !picked.isEmpty else { return [] }
            submit(picked, question, lesson.id, &quiz)
        default:
            break
        }
        return []
    }

    private static func submit(_ picked: Set<Int>, _ question: Question, _ lesson: String, _ quiz: inout QuizState) {
        quiz.submitted = picked
        let answer = picked.sorted().map { String($0 + 1) }.joined(separator: ",")
        quiz.results.append(QuestionResult(lesson: lesson, question: question.id, correct: question.isCorrect(picked), answer: answer))
    }
}
