/// A lesson's questions, read from `quiz.yaml`.
public struct Quiz: Equatable, Sendable {
    public var questions: [Question]

    public init(questions: [Question]) {
        self.questions = questions
    }

    /// Parses `quiz.yaml`; every problem is reported with its line, so `ctutor lint`
    /// shows it as `file:line: message`. The quiz is `nil` when any problem is an error.
    public static func parse(_ text: String, file: String) -> (Quiz?, [Diagnostic]) {
        var parser = QuizParser(file: file)
        let questions = parser.parse(text)
        let ok = parser.diagnostics.allSatisfy { $0.severity != .error }
        return (ok && questions != nil ? Quiz(questions: questions!) : nil, parser.diagnostics)
    }
}
