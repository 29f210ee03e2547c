import TutorCore
import TutorUI

/// One question laid out for the quiz screen, in the form its kind is answered in,
/// with what the learner has entered; once answered in practice, the verdict and why.
enum QuizQuestionLayout {
    static func lines(_ state: AppState) -> [StyledLine] {
        guard let quiz = state.quiz, let session = quiz.session else { return [] }
        let index = quiz.verdict ?? session.position
        guard session.items.indices.contains(index) else { return [] }
        let item = session.items[index]
        let language = state.language
        let width = state.textWidth
        let response = quiz.verdict.flatMap { session.responses[$0] }

        var heading = UIText.quizQuestion.format(language, index + 1, session.total) + " · " + item.lesson
        if let left = session.secondsLeft(at: state.now) { heading += "   ⏱ " + QuizText.timeLeft(left)[language] }
        var lines: [StyledLine] = [[Span(heading, Theme.heading2)], []]
        if item.live != nil { lines += TextWrap.wrap(QuizText.liveTag[language], width: width, style: Theme.dim) }
        lines += TextWrap.wrap(LessonLayout.spans(Inlines(markdown: item.prompt(language)), base: Theme.bold), width: width)
        lines.append([])
        switch item.style {
        case .pickOne, .pickSeveral: lines += options(item, quiz, response, language, width)
        case .arrange: lines += arrangement(item, quiz, response, language, width)
        case .pair: lines += pairs(item, quiz, response, language, width)
        case .type: lines += typed(quiz, response, width)
        }
        if let response {
            let correct = item.isCorrect(response)
            lines.append([])
            lines.append([Span((correct ? UIText.quizCorrect : UIText.quizWrong).text(language), correct ? Theme.ok : Theme.bad)])
            if !correct {
                let right = Inlines(markdown: QuizText.rightAnswer(item.rightAnswer(language))[language])
                lines += TextWrap.wrap(LessonLayout.spans(right, base: Theme.ok), width: width)
            }
            lines += TextWrap.wrap(LessonLayout.spans(Inlines(markdown: item.explanation(language))), width: width)
        }
        return lines
    }

    /// `› 2. [x] text ✓`: the cursor, the number a digit picks, the mark, the verdict.
    private static func row(_ label: String, _ text: String, style: Style, verdict: String = "", width: Int) -> [StyledLine] {
        let indent = String(repeating: " ", count: DisplayWidth.of(label))
        let content = LessonLayout.spans(Inlines(markdown: text), base: style) + [Span(verdict, style)]
        return LessonLayout.hanging(content, first: Span(label, style), rest: Span(indent), width: width)
    }

    private static func options(_ item: QuizItem, _ quiz: QuizState, _ response: QuizResponse?, _ language: Language, _ width: Int)
        -> [StyledLine]
    {
        let several = item.style == .pickSeveral
        var lines: [StyledLine] = []
        if several && response == nil { lines += TextWrap.wrap(UIText.quizPickSeveral.text(language), width: width, style: Theme.dim) }
        guard case .picked(let right)? = item.rightResponse else { return lines }
        let picked: Set<Int> = if case .picked(let given)? = response { given } else { quiz.marked }
        for (index, option) in item.options(language).enumerated() {
            let here = response == nil && index == quiz.cursor
            var style = here ? Theme.selected : Theme.body
            var verdict = ""
            if response != nil, right.contains(index) {
                style = Theme.ok
                verdict = " ✓"
            } else if response != nil, picked.contains(index) {
                style = Theme.bad
                verdict = " ✗"
            }
            let box = several ? (picked.contains(index) ? "[x] " : "[ ] ") : ""
            lines += row("\(here ? "›" : " ") \(index + 1). \(box)", option, style: style, verdict: verdict, width: width)
        }
        return lines
    }

    private static func arrangement(
        _ item: QuizItem, _ quiz: QuizState, _ response: QuizResponse?, _ language: Language, _ width: Int
    ) -> [StyledLine] {
        let options = item.options(language)
        var order = quiz.arrangement
        if case .sequence(let given)? = response { order = given }
        var lines: [StyledLine] = []
        guard case .sequence(let right)? = item.rightResponse else { return lines }
        for (position, shown) in order.enumerated() {
            let here = response == nil && position == quiz.cursor
            var style = here ? (quiz.holding ? Theme.warning : Theme.selected) : Theme.body
            var verdict = ""
            if response != nil {
                let placed = right.indices.contains(position) && right[position] == shown
                style = placed ? Theme.ok : Theme.bad
                verdict = placed ? " ✓" : " ✗"
            }
            let pointer = here ? (quiz.holding ? "⇅" : "›") : " "
            lines += row("\(pointer) \(position + 1). ", options[shown], style: style, verdict: verdict, width: width)
        }
        return lines
    }

    private static func pairs(_ item: QuizItem, _ quiz: QuizState, _ response: QuizResponse?, _ language: Language, _ width: Int)
        -> [StyledLine]
    {
        let rights = item.options(language)
        var chosen = quiz.pairs
        if case .pairs(let given)? = response { chosen = given.map { $0 } }
        guard case .pairs(let right)? = item.rightResponse else { return [] }
        var lines: [StyledLine] = []
        for (index, left) in item.leftSides(language).enumerated() {
            let here = response == nil && index == quiz.cursor
            var style = here ? Theme.selected : Theme.body
            var verdict = ""
            let pick = chosen.indices.contains(index) ? chosen[index] : nil
            if response != nil {
                style = pick == right[index] ? Theme.ok : Theme.bad
                verdict = pick == right[index] ? " ✓" : " ✗"
            }
            let target = pick.map { "\(QuizItem.letter($0)). \(rights[$0])" } ?? "?"
            lines += row("\(here ? "›" : " ") \(index + 1). ", "\(left)  →  \(target)", style: style, verdict: verdict, width: width)
        }
        lines.append([])
        for (index, text) in rights.enumerated() {
            lines += row("     \(QuizItem.letter(index)). ", text, style: Theme.dim, width: width)
        }
        return lines
    }

    private static func typed(_ quiz: QuizState, _ response: QuizResponse?, _ width: Int) -> [StyledLine] {
        if case .text(let given)? = response {
            return LessonLayout.hanging([Span(given, Theme.bold)], first: Span("› "), rest: Span("  "), width: width)
        }
        return TextWrap.wrap([Span("› ", Theme.selected), Span(quiz.typed, Theme.bold), Span("▏", Theme.selected)], width: width)
    }
}
