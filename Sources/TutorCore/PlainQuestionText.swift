/// A question as plain text: `ctutor quiz --plain` asks with it and `ctutor read
/// --plain` lists the quiz with it, one line per option, markup removed.
public enum PlainQuestionText {
    /// The heading, the prompt, the numbered options (match: left sides numbered,
    /// right sides lettered) and, when `hint` is set, how to answer.
    public static func lines(_ item: QuizItem, number: Int, total: Int, language: Language, hint: Bool) -> [String] {
        var lines = [UIText.quizQuestion.format(language, number, total) + " · " + item.lesson]
        if item.live != nil { lines.append("(" + QuizText.liveTag[language] + ")") }
        lines.append(plain(item.prompt(language)))
        if case .match = item.question.answer {
            for (index, left) in item.leftSides(language).enumerated() { lines.append("  \(index + 1). \(plain(left))") }
            for (index, right) in item.options(language).enumerated() { lines.append("  \(QuizItem.letter(index)). \(plain(right))") }
        } else {
            for (index, option) in item.options(language).enumerated() { lines.append("  \(index + 1). \(plain(option))") }
        }
        if hint { lines.append(QuizInput.hint(for: item)[language]) }
        return lines
    }

    /// Inline markup (`code`, **bold**) as plain text.
    public static func plain(_ text: String) -> String {
        [InlineRun](markdown: text).plainText
    }
}
