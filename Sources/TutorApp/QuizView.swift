import TutorCore
import TutorUI

/// A quiz question with its options; after an answer, which was right and why;
/// at the end, the score.
enum QuizView {
    static func draw(_ state: AppState, _ area: Rect, _ buffer: inout ScreenBuffer) {
        guard let quiz = state.quiz, let questions = state.lesson(at: quiz.entryIndex)?.quiz?.questions else { return }
        let language = state.language
        let width = state.textWidth
        var lines: [StyledLine] = []
        if quiz.finished {
            let best = state.progress[lesson: state.entries[quiz.entryIndex].id].quizBest ?? quiz.score
            lines.append([Span(UIText.quizDone.text(language), Theme.heading1)])
            lines.append([])
            lines.append([Span(UIText.quizScore.format(language, quiz.score, questions.count, best), Theme.bold)])
            lines.append([])
            lines += TextWrap.wrap(UIText.quizSaved.text(language), width: width)
            ScrollView.draw(lines, scroll: 0, area, &buffer)
            return
        }
        let question = questions[quiz.questionIndex]
        lines.append([Span(UIText.quizQuestion.format(language, quiz.questionIndex + 1, questions.count), Theme.heading2)])
        lines.append([])
        lines += TextWrap.wrap(LessonLayout.spans(Inlines(markdown: question.prompt[language]), base: Theme.bold), width: width)
        if question.allowsSeveral && quiz.submitted == nil {
            lines += TextWrap.wrap([Span(UIText.quizPickSeveral.text(language), Theme.dim)], width: width)
        }
        lines.append([])
        for (index, option) in question.options(language).enumerated() {
            let pointer = index == quiz.cursor && quiz.submitted == nil ? "›" : " "
            var box = ""
            if question.allowsSeveral { box = quiz.marked.contains(index) || quiz.submitted?.contains(index) == true ? "[x] " : "[ ] " }
            var style = index == quiz.cursor && quiz.submitted == nil ? Theme.selected : Theme.body
            var verdict = ""
            if let submitted = quiz.submitted {
                if question.correctOptions.contains(index) {
                    style = Theme.ok
                    verdict = " ✓"
                } else if submitted.contains(index) {
                    style = Theme.bad
                    verdict = " ✗"
                }
            }
            let label = "\(pointer) \(index + 1). \(box)"
            let indent = String(repeating: " ", count: DisplayWidth.of(label))
            let text = LessonLayout.spans(Inlines(markdown: option), base: style) + [Span(verdict, style)]
            lines += LessonLayout.hanging(text, first: Span(label, style), rest: Span(indent), width: width)
        }
        if let submitted = quiz.submitted {
            lines.append([])
            let correct = question.isCorrect(submitted)
            lines.append([
                Span(correct ? UIText.quizCorrect.text(language) : UIText.quizWrong.text(language), correct ? Theme.ok : Theme.bad)
            ])
            lines += TextWrap.wrap(LessonLayout.spans(Inlines(markdown: question.explanation[language])), width: width)
        }
        ScrollView.draw(lines, scroll: max(0, lines.count - area.height), area, &buffer)
    }
}
