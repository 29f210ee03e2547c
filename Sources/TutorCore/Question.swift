/// One quiz question with its answer, in both languages.
public struct Question: Equatable, Sendable {
    public enum Answer: Equatable, Sendable {
        /// The index of the one right choice.
        case single(Int)
        /// The indices of every right choice.
        case multiple(Set<Int>)
        case trueFalse(Bool)
        /// Typed text; any accepted answer of either language counts.
        case short(AcceptedAnswers)
        /// The choices, as written, are in the right order; the learner puts them back.
        case order
        /// The choices are the left sides; `right[i]` is what choice `i` pairs with.
        case match(right: [Localized])
        /// Typed text, compared with what a probe finds on this machine at quiz time.
        case live(LiveProbe)
    }

    public var id: String
    public var prompt: Localized
    /// The options of single and multiple, the items of order, the left sides of
    /// match; empty for the rest.
    public var choices: [Localized]
    public var answer: Answer
    public var explanation: Localized

    public init(id: String, prompt: Localized, choices: [Localized], answer: Answer, explanation: Localized) {
        self.id = id
        self.prompt = prompt
        self.choices = choices
        self.answer = answer
        self.explanation = explanation
    }

    /// The kinds of answer a learner gives, which decide how a question is asked.
    public enum Style: Equatable, Sendable {
        /// Pick one option; true/false is two options, True then False.
        case pickOne
        case pickSeveral
        case type
        case arrange
        case pair
    }

    public var style: Style {
        switch answer {
        case .single, .trueFalse: return .pickOne
        case .multiple: return .pickSeveral
        case .short, .live: return .type
        case .order: return .arrange
        case .match: return .pair
        }
    }

    /// How many options the learner orders or picks from: choices, True and False,
    /// order's items, match's right sides; short and live have none.
    public var optionCount: Int {
        switch answer {
        case .single, .multiple, .order: return choices.count
        case .trueFalse: return 2
        case .match(let right): return right.count
        case .short, .live: return 0
        }
    }

    /// The probe a live question needs.
    public var probe: LiveProbe? {
        if case .live(let probe) = answer { return probe }
        return nil
    }
}

/// The answers a short-answer question accepts, as written in `quiz.yaml`: a
/// learner may type any of them, in either language.
public struct AcceptedAnswers: Equatable, Sendable {
    public var ko: [String]
    public var en: [String]

    public init(ko: [String], en: [String]) {
        self.ko = ko
        self.en = en
    }

    public var all: [String] { ko + en }

    public subscript(_ language: Language) -> [String] { language == .ko ? ko : en }
}
