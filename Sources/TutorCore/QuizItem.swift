/// A question as one quiz asks it: its options shuffled (repeatably, from the
/// quiz's seed), and for a live question the answer the probe found.
///
/// Responses to an item use the numbering on screen; the item turns them into the
/// file's numbering to score them.
public struct QuizItem: Equatable, Sendable {
    public var lesson: String
    public var question: Question
    /// Shown position → index in the file, of choices, True/False (never shuffled),
    /// order's items or match's right sides.
    public var order: [Int]
    public var live: LiveAnswer?

    /// Shuffles the options with a generator of this question under `seed`: the items
    /// of an order question and the right sides of a match always, choices when
    /// `shuffleChoices` is set.
    public init(lesson: String, question: Question, seed: UInt64, shuffleChoices: Bool = true, live: LiveAnswer? = nil) {
        var generator = SeededGenerator(seed: seed, name: lesson + "/" + question.id)
        var order = Array(0..<question.optionCount)
        switch question.answer {
        case .order, .match: order.shuffle(using: &generator)
        case .single, .multiple: if shuffleChoices { order.shuffle(using: &generator) }
        // True stays first.
        case .trueFalse, .short, .live: break
        }
        // An order question shown already in order would give its answer away.
        if case .order = question.answer, order.count > 1, order == order.sorted() { order.append(order.removeFirst()) }
        self.init(lesson: lesson, question: question, order: order, live: live)
    }

    public init(lesson: String, question: Question, order: [Int], live: LiveAnswer? = nil) {
        self.lesson = lesson
        self.question = question
        self.order = order
        self.live = live
    }

    public var style: Question.Style { question.style }

    public func prompt(_ language: Language) -> String {
        live?.fill(question.prompt[language]) ?? question.prompt[language]
    }

    public func explanation(_ language: Language) -> String {
        live?.fill(question.explanation[language]) ?? question.explanation[language]
    }

    /// What the learner picks from, in shown order: choices, True and False, order's
    /// items, or match's right sides; none for typed answers.
    public func options(_ language: Language) -> [String] {
        switch question.answer {
        case .trueFalse: return [UIText.quizTrue.text(language), UIText.quizFalse.text(language)]
        case .match(let right): return order.map { right[$0][language] }
        case .single, .multiple, .order: return order.map { question.choices[$0][language] }
        case .short, .live: return []
        }
    }

    /// A match question's left sides, in file order; empty for other questions.
    public func leftSides(_ language: Language) -> [String] {
        guard case .match = question.answer else { return [] }
        return question.choices.map { $0[language] }
    }

    /// Whether a response in shown numbering is right.
    public func isCorrect(_ shown: QuizResponse) -> Bool {
        question.isCorrect(fileNumbering(shown), live: live)
    }

    /// The right response in shown numbering, for answers that are picked, arranged or paired.
    public var rightResponse: QuizResponse? {
        guard let right = question.rightResponse else { return nil }
        let shown = { (index: Int) in order.firstIndex(of: index) ?? index }
        switch right {
        case .picked(let indices): return .picked(Set(indices.map(shown)))
        case .sequence(let indices): return .sequence(indices.map(shown))
        case .pairs(let indices): return .pairs(indices.map(shown))
        case .text: return right
        }
    }

    private func fileNumbering(_ shown: QuizResponse) -> QuizResponse {
        let file = { (index: Int) in order.indices.contains(index) ? order[index] : -1 }
        switch shown {
        case .picked(let indices): return .picked(Set(indices.map(file)))
        case .sequence(let indices): return .sequence(indices.map(file))
        case .pairs(let indices): return .pairs(indices.map(file))
        case .text: return shown
        }
    }

    /// A response as the learner would type it: `2`, `1,3`, `3,1,2`, `b,a,c`, or the text.
    public func written(_ response: QuizResponse) -> String {
        switch response {
        case .picked(let indices): return indices.sorted().map { String($0 + 1) }.joined(separator: ",")
        case .sequence(let indices): return indices.map { String($0 + 1) }.joined(separator: ",")
        case .pairs(let indices): return indices.map { QuizItem.letter($0) }.joined(separator: ",")
        case .text(let text): return text
        }
    }

    /// The right answer in words, for feedback and the end of an exam.
    public func rightAnswer(_ language: Language) -> String {
        let options = options(language)
        switch question.answer {
        case .short(let accepted): return (accepted[language].first ?? accepted.all.first ?? "")
        case .live: return live?.answer ?? "?"
        case .order:
            return question.choices.map { $0[language] }.joined(separator: " → ")
        case .match(let right):
            return zip(question.choices, right).map { "\($0[language]) → \($1[language])" }.joined(separator: "; ")
        case .single, .multiple, .trueFalse:
            guard case .picked(let indices)? = rightResponse else { return "" }
            return indices.sorted().map { "\($0 + 1). \(options[$0])" }.joined(separator: "; ")
        }
    }

    /// `a`, `b`, … for match's right sides.
    public static func letter(_ index: Int) -> String {
        String(UnicodeScalar(UInt8(97 + index % 26)))
    }
}
