import Foundation

/// One thing a learner did that progress keeps.
///
/// Events, not whole snapshots, are what a tutor saves: ``ProgressStore/record(_:now:)``
/// applies them, under a lock, to the file as it is on disk, so two tutors of the same
/// learner (a TUI and `ctutor lab check` in another terminal) never undo each other.
public enum ProgressEvent: Equatable, Sendable, Codable {
    case finishedReading(lesson: String)
    /// A demo ran to its report; it counts for every lesson that shows it.
    case demoRan(demo: String, mode: String, lessons: [String])
    case quizAttempt(QuizAttempt)
    case labStepDone(lab: String, lesson: String, step: String)
    case labFinished(lab: String, lesson: String)
    case labReset(lab: String)
    case timeSpent(lesson: String, seconds: Int)
    case languageChosen(Language)
}

extension Progress {
    /// Applies one event at `date`.
    public mutating func apply(_ event: ProgressEvent, at date: Date) {
        switch event {
        case .finishedReading(let lesson):
            self[lesson: lesson].finishedReading = true
            self[lesson: lesson].updated = date
        case .demoRan(_, let mode, let lessons):
            for lesson in lessons {
                self[lesson: lesson].demoRuns += 1
                self[lesson: lesson].lastDemoMode = mode
                self[lesson: lesson].updated = date
            }
        case .quizAttempt(let attempt):
            record(attempt, at: date)
        case .labStepDone(let lab, let lesson, let step):
            var entry = labs[lab] ?? LabProgress(lesson: lesson)
            if !entry.stepsDone.contains(step) { entry.stepsDone.append(step) }
            entry.updated = date
            labs[lab] = entry
        case .labFinished(let lab, let lesson):
            var entry = labs[lab] ?? LabProgress(lesson: lesson)
            entry.finished = true
            entry.updated = date
            labs[lab] = entry
        case .labReset(let lab):
            labs[lab] = nil
        case .timeSpent(let lesson, let seconds):
            guard seconds > 0 else { return }
            self[lesson: lesson].secondsSpent += seconds
        case .languageChosen(let language):
            self.language = language
        }
    }

    public mutating func apply(_ events: [ProgressEvent], at date: Date) {
        for event in events { apply(event, at: date) }
    }

    /// Records an attempt: every answer in its question's record, and a whole-lesson
    /// score where the attempt covered a lesson's whole quiz.
    private mutating func record(_ attempt: QuizAttempt, at date: Date) {
        for result in attempt.results {
            var question = self[lesson: result.lesson].questions[result.question] ?? QuestionRecord()
            if result.correct { question.right += 1 } else { question.wrong += 1 }
            question.lastCorrect = result.correct
            question.last = attempt.date
            self[lesson: result.lesson].questions[result.question] = question
            self[lesson: result.lesson].updated = date
        }
        for lesson in attempt.wholeLessons {
            let answered = attempt.results.filter { $0.lesson == lesson }
            let score = answered.filter(\.correct).count
            var entry = self[lesson: lesson]
            entry.quizLast = score
            entry.quizTotal = answered.count
            entry.quizBest = max(entry.quizBest ?? 0, score)
            entry.quizAttempts += 1
            entry.updated = date
            self[lesson: lesson] = entry
        }
        attempts.append(attempt)
        if attempts.count > Self.attemptLimit { attempts.removeFirst(attempts.count - Self.attemptLimit) }
    }
}
