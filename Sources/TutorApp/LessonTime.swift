import TutorCore

import struct Foundation.Date
import struct Foundation.TimeInterval

/// Time spent in the lesson in front (its reader, its demo, its quiz), counted from
/// the times actions come with and recorded as one ``ProgressEvent/timeSpent(lesson:seconds:)``
/// when the learner leaves the lesson or quits. A gap between two actions counts at
/// most ``idleLimit``: a screen left open over lunch is not an hour of study.
public struct LessonTime: Equatable, Sendable {
    public static let idleLimit: TimeInterval = 5 * 60

    public var lesson: String
    /// When the last action in this lesson happened.
    public var since: Date
    /// Time counted so far, not yet recorded.
    public var seconds: TimeInterval = 0

    public init(lesson: String, since: Date) {
        self.lesson = lesson
        self.since = since
    }

    /// Counts the gap up to `now`, capped.
    mutating func advance(to now: Date) {
        seconds += min(max(0, now.timeIntervalSince(since)), Self.idleLimit)
        since = now
    }
}

extension AppState {
    /// The lesson whose screens are in front: its reader, its demo or its quiz.
    public var lessonInFront: String? {
        let index: Int?
        switch screen {
        case .menu: index = nil
        case .reader, .demo: index = reader?.entryIndex
        case .quiz: index = quiz?.entryIndex
        }
        guard let index, entries.indices.contains(index) else { return nil }
        return entries[index].info?.id
    }

    /// Counts time up to now in the lesson that was in front.
    mutating func countLessonTime() {
        lessonTime?.advance(to: now)
    }

    /// After an action: when the lesson in front changed or the session ends, the
    /// time counted in the one left is recorded (before the quit, so it is saved).
    mutating func settleLessonTime(_ effects: [Effect]) -> [Effect] {
        let quitting = effects.contains(.quit)
        let front = quitting ? nil : lessonInFront
        guard lessonTime?.lesson != front else { return effects }
        var recorded: [Effect] = []
        if let time = lessonTime, Int(time.seconds) > 0 {
            recorded = record(.timeSpent(lesson: time.lesson, seconds: Int(time.seconds)))
        }
        lessonTime = front.map { LessonTime(lesson: $0, since: now) }
        return recorded + effects
    }
}
