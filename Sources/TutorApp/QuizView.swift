import TutorCore
import TutorUI

/// The quiz screen: a question in the form its kind is answered in; in practice,
/// the verdict and why; an exam's countdown; at the end the score and, for every
/// question missed (every question, after an exam), the right answer and why.
enum QuizView {
    static func draw(_ state: AppState, _ area: Rect, _ buffer: inout ScreenBuffer) {
        guard let quiz = state.quiz else { return }
        let lines: [StyledLine]
        var scroll = 0
        switch quiz.phase {
        case .loading:
            lines = TextWrap.wrap(QuizText.loading[state.language], width: state.textWidth, style: Theme.dim)
        case .probing(let probes):
            lines = TextWrap.wrap(QuizText.probing(probes)[state.language], width: state.textWidth, style: Theme.dim)
        case .asking where quiz.finished:
            lines = endLines(state)
            scroll = min(quiz.scroll, max(0, lines.count - area.height))
        case .asking:
            lines = QuizQuestionLayout.lines(state)
            scroll = max(0, lines.count - area.height)
        }
        ScrollView.draw(lines, scroll: scroll, area, &buffer)
    }

    /// What the status bar says the keys do, for the question on screen.
    static func keys(_ state: AppState) -> String {
        guard let quiz = state.quiz else { return "" }
        // Leaving a quiz `ctutor quiz` opened ends the program; otherwise the quiz waits to be resumed.
        let leave =
            quiz.quitsOnLeave
            ? Localized(ko: "Esc 끝내기", en: "Esc quit") : Localized(ko: "Esc 나가기(다시 열면 이어서)", en: "Esc leave (resume later)")
        let keys: Localized
        if quiz.phase != .asking {
            keys = Localized("")
        } else if quiz.finished {
            return Localized(ko: "↑↓ 스크롤  Enter 나가기", en: "↑↓ scroll  Enter leave")[state.language]
        } else if quiz.verdict != nil {
            keys = Localized(ko: "Enter 다음", en: "Enter next")
        } else {
            switch quiz.current?.style {
            case .pickOne?:
                keys = Localized(ko: "1-9 바로 답하기  ↑↓ 고르고 Enter 답하기", en: "1-9 answer  ↑↓ then Enter answer")
            case .pickSeveral?:
                keys = Localized(ko: "1-9·Space 표시  ↑↓ 이동  Enter 제출", en: "1-9/Space mark  ↑↓ move  Enter submit")
            case .arrange?:
                keys = Localized(ko: "↑↓ 이동  Space 집기/놓기  Enter 제출", en: "↑↓ move  Space pick up/put down  Enter submit")
            case .pair?:
                let last = QuizItem.letter(max(0, (quiz.current?.order.count ?? 1) - 1))
                keys = Localized(ko: "↑↓ 왼쪽 고르기  a-\(last)·←→ 짝  Enter 제출", en: "↑↓ left side  a-\(last)/←→ pair  Enter submit")
            case .type?, nil:
                keys = Localized(ko: "답 입력  Backspace 지우기  Enter 제출", en: "type  Backspace erase  Enter submit")
            }
        }
        return [keys[state.language], leave[state.language]].filter { !$0.isEmpty }.joined(separator: "  ")
    }

    /// The score, then each question missed (after an exam, every question) with the
    /// learner's answer, the right one and the explanation.
    static func endLines(_ state: AppState) -> [StyledLine] {
        guard let session = state.quiz?.session else { return [] }
        let language = state.language
        let width = state.textWidth
        var lines: [StyledLine] = [[Span(UIText.quizDone.text(language), Theme.heading1)], []]
        lines.append([Span(QuizText.finalScore(session.score, session.total)[language], Theme.bold)])
        let shown = session.mode == .exam ? Array(session.items.indices) : session.missed
        lines.append([])
        if shown.isEmpty {
            lines += TextWrap.wrap(QuizText.allRight[language], width: width, style: Theme.ok)
            return lines
        }
        lines.append([Span((session.mode == .exam ? QuizText.resultsHeading : QuizText.missedHeading)[language], Theme.heading2)])
        for index in shown {
            let item = session.items[index]
            let correct = session.isCorrect(index)
            let mark = Span(correct ? "✓ " : "✗ ", correct ? Theme.ok : Theme.bad)
            let prompt = LessonLayout.spans(Inlines(markdown: "\(index + 1). " + item.prompt(language)), base: Theme.bold)
            lines.append([])
            lines += LessonLayout.hanging(prompt, first: mark, rest: Span("  "), width: width)
            let answer = session.responses[index].map { item.written($0) } ?? QuizText.unanswered[language]
            let indent = Span("  ")
            lines += LessonLayout.hanging([Span(QuizText.yourAnswer(answer)[language])], first: indent, rest: indent, width: width)
            let right = LessonLayout.spans(Inlines(markdown: QuizText.rightAnswer(item.rightAnswer(language))[language]), base: Theme.ok)
            lines += LessonLayout.hanging(right, first: indent, rest: indent, width: width)
            let why = LessonLayout.spans(Inlines(markdown: item.explanation(language)), base: Theme.dim)
            lines += LessonLayout.hanging(why, first: indent, rest: indent, width: width)
        }
        return lines
    }
}
