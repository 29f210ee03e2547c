/// What a learner answered, in the numbering of `quiz.yaml` (``QuizItem`` turns the
/// numbers on screen into these).
public enum QuizResponse: Equatable, Sendable {
    /// Options picked, 0-based; for true/false 0 is True and 1 is False.
    case picked(Set<Int>)
    /// An order question's items, by index, in the order the learner put them.
    case sequence([Int])
    /// A match question: for each left side in turn, the right side the learner paired with it.
    case pairs([Int])
    /// A short or live answer as typed.
    case text(String)
}

extension Question {
    /// Whether `response` is exactly right. A response of another kind than the
    /// question's is wrong; a live question without its probe's answer cannot be right.
    public func isCorrect(_ response: QuizResponse, live: LiveAnswer? = nil) -> Bool {
        switch (answer, response) {
        case (.single(let right), .picked(let picked)):
            return picked == [right]
        case (.multiple(let right), .picked(let picked)):
            return picked == right
        case (.trueFalse(let value), .picked(let picked)):
            return picked == [value ? 0 : 1]
        case (.short(let accepted), .text(let typed)):
            return AnswerNormalizer.matches(typed, anyOf: accepted.all)
        case (.order, .sequence(let sequence)):
            return sequence == Array(choices.indices)
        case (.match(let right), .pairs(let pairs)):
            return pairs == Array(right.indices)
        case (.live, .text(let typed)):
            guard let live else { return false }
            return AnswerNormalizer.matches(typed, anyOf: [live.answer])
        default:
            return false
        }
    }

    /// The right response, for questions answered by picking, arranging or pairing.
    public var rightResponse: QuizResponse? {
        switch answer {
        case .single(let index): return .picked([index])
        case .multiple(let indices): return .picked(indices)
        case .trueFalse(let value): return .picked([value ? 0 : 1])
        case .order: return .sequence(Array(choices.indices))
        case .match(let right): return .pairs(Array(right.indices))
        case .short, .live: return nil
        }
    }
}
