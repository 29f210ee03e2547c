import Yams

/// One quiz question with its answer, in both languages.
public struct Question: Equatable, Sendable {
    public enum Answer: Equatable, Sendable {
        case single(Int)
        case multiple(Set<Int>)
        case trueFalse(Bool)
    }

    public var id: String
    public var prompt: Localized
    /// Empty for true/false questions; their choices are True and False.
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

    /// Number of options the learner picks from.
    public var optionCount: Int {
        if case .trueFalse = answer { return 2 }
        return choices.count
    }

    /// Whether the learner's picked options (0-based; for true/false 0 = true,
    /// 1 = false) are exactly right.
    public func isCorrect(_ picked: Set<Int>) -> Bool {
        correctOptions == picked
    }

    /// The options that make a correct answer.
    public var correctOptions: Set<Int> {
        switch answer {
        case .single(let index): return [index]
        case .multiple(let indices): return indices
        case .trueFalse(let value): return [value ? 0 : 1]
        }
    }

    /// The texts the learner picks from: the choices, or True and False.
    public func options(_ language: Language) -> [String] {
        if case .trueFalse = answer { return [UIText.quizTrue.text(language), UIText.quizFalse.text(language)] }
        return choices.map { $0[language] }
    }

    public var allowsSeveral: Bool {
        if case .multiple = answer { return true }
        return false
    }
}

/// A lesson's questions, read from `quiz.yaml`.
public struct Quiz: Equatable, Sendable {
    public var questions: [Question]

    public init(questions: [Question]) {
        self.questions = questions
    }

    /// Parses `quiz.yaml`; every problem is reported with its line.
    public static func parse(_ text: String, file: String) -> (Quiz?, [Diagnostic]) {
        var reader = YAMLReader(file: file)
        guard let root = reader.compose(text) else { return (nil, reader.diagnostics) }
        guard let list = root["questions"], case .sequence(let items) = list, !items.isEmpty else {
            reader.report(root, "expected a non-empty 'questions:' list")
            return (nil, reader.diagnostics)
        }
        var questions: [Question] = []
        var seen: Set<String> = []
        for item in items {
            guard case .mapping = item else {
                reader.report(item, "each question must be a mapping with id, type, prompt, answer, explain")
                continue
            }
            let before = reader.diagnostics.count
            let id = reader.string(item, "id")
            if let id {
                if seen.contains(id) { reader.report(item["id"], "duplicate question id '\(id)'") }
                seen.insert(id)
            }
            let type = reader.string(item, "type")
            let prompt = reader.localized(item, "prompt")
            let explanation = reader.localized(item, "explain")
            var choices: [Localized] = []
            var answer: Question.Answer?
            switch type {
            case "single", "multiple":
                if case .sequence(let nodes)? = item["choices"] {
                    for node in nodes {
                        guard case .mapping = node else {
                            reader.report(node, "each choice needs ko: and en:")
                            continue
                        }
                        let ko = reader.string(node, "ko")
                        let en = reader.string(node, "en")
                        if let ko, let en { choices.append(Localized(ko: ko, en: en)) }
                    }
                    if nodes.count < 2 { reader.report(item["choices"], "a \(type!) question needs at least 2 choices") }
                } else {
                    reader.report(item, "missing 'choices' list")
                }
                let answerNode = item["answer"]
                if type == "single" {
                    if let index = answerNode?.int {
                        if choices.indices.contains(index) {
                            answer = .single(index)
                        } else {
                            reader.report(answerNode, "answer \(index) is out of range: choices are numbered 0 to \(choices.count - 1)")
                        }
                    } else {
                        reader.report(answerNode ?? item, "'answer' must be the 0-based index of the right choice")
                    }
                } else {
                    let indices = answerNode?.array().compactMap(\.int) ?? []
                    if indices.isEmpty || indices.count != answerNode?.array().count {
                        reader.report(answerNode ?? item, "'answer' must be a list of 0-based choice indices, like [0, 2]")
                    } else if let bad = indices.first(where: { !choices.indices.contains($0) }) {
                        reader.report(answerNode, "answer \(bad) is out of range: choices are numbered 0 to \(choices.count - 1)")
                    } else {
                        answer = .multiple(Set(indices))
                    }
                }
            case "truefalse":
                if item["choices"] != nil { reader.report(item["choices"], "a truefalse question has no 'choices'") }
                if let value = reader.bool(item["answer"]) {
                    answer = .trueFalse(value)
                } else {
                    reader.report(item["answer"] ?? item, "'answer' must be true or false")
                }
            case nil:
                break
            case let other?:
                reader.report(item["type"], "unknown question type '\(other)'; use single, multiple or truefalse")
            }
            if reader.diagnostics.count == before, let id, let prompt, let explanation, let answer {
                questions.append(Question(id: id, prompt: prompt, choices: choices, answer: answer, explanation: explanation))
            }
        }
        let ok = reader.diagnostics.allSatisfy { $0.severity != .error }
        return (ok ? Quiz(questions: questions) : nil, reader.diagnostics)
    }
}
