import TutorCore
import TutorUI

/// Keys on the quiz screen. Each kind of question has its own: pick with digits or
/// ↑↓ and Enter, mark several with Space, move an order question's items, pair a
/// match question's sides with letters, type a short answer. Esc leaves and keeps the
/// quiz where it was.
enum QuizKeys {
    /// Whether keys are text for a typed answer: then `l`, `q` and `?` are letters, not commands.
    static func capturesText(_ state: AppState) -> Bool {
        state.screen == .quiz && state.quiz?.current?.style == .type
    }

    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard let quiz = state.quiz else {
            state.screen = .menu
            return []
        }
        if key == .escape || (key == .character("q") && !capturesText(state)) { return QuizFlow.leave(&state) }
        if quiz.finished { return finishedKey(key, &state) }
        if quiz.verdict != nil {
            if key == .enter || key == .right || key == .character(" ") { QuizFlow.next(&state) }
            return []
        }
        guard let item = quiz.current else { return [] }
        switch item.style {
        case .pickOne, .pickSeveral: return pickKey(key, item, &state)
        case .arrange: return arrangeKey(key, item, &state)
        case .pair: return pairKey(key, item, &state)
        case .type: return typeKey(key, &state)
        }
    }

    private static func finishedKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        if key == .enter { return QuizFlow.leave(&state) }
        let scroll = state.quiz?.scroll ?? 0
        let total = QuizView.endLines(state).count
        if let offset = Reducer.scrolled(scroll, by: key, page: state.contentHeight, total: total) { state.quiz?.scroll = offset }
        return []
    }

    /// One answer: a digit answers at once, as the footer says; ↑↓ then Enter does too.
    /// Several: digits and Space mark, Enter submits what is marked.
    private static func pickKey(_ key: Key, _ item: QuizItem, _ state: inout AppState) -> [Effect] {
        guard var quiz = state.quiz else { return [] }
        let count = item.options(state.language).count
        let several = item.style == .pickSeveral
        switch key {
        case .up, .character("k"):
            quiz.cursor = max(0, quiz.cursor - 1)
        case .down, .character("j"), .tab:
            quiz.cursor = min(count - 1, quiz.cursor + 1)
        case .character(" ") where several:
            quiz.marked.formSymmetricDifference([quiz.cursor])
        case .character(let c) where c.isASCII && c.isNumber:
            guard let number = c.wholeNumberValue, (1...count).contains(number) else { return [] }
            quiz.cursor = number - 1
            if several {
                quiz.marked.formSymmetricDifference([number - 1])
            } else {
                state.quiz = quiz
                return QuizFlow.submit(.picked([number - 1]), &state)
            }
        case .enter:
            let picked: Set<Int> = several ? quiz.marked : [quiz.cursor]
            guard !picked.isEmpty else { return [] }
            state.quiz = quiz
            return QuizFlow.submit(.picked(picked), &state)
        default:
            break
        }
        state.quiz = quiz
        return []
    }

    /// ↑↓ move the cursor; Space picks the item up (or puts it down), and while held
    /// ↑↓ carry it; Enter submits the order shown.
    private static func arrangeKey(_ key: Key, _ item: QuizItem, _ state: inout AppState) -> [Effect] {
        guard var quiz = state.quiz else { return [] }
        let last = quiz.arrangement.count - 1
        switch key {
        case .up, .character("k"), .down, .character("j"):
            let step = key == .up || key == .character("k") ? -1 : 1
            let target = min(max(0, quiz.cursor + step), last)
            if quiz.holding { quiz.arrangement.swapAt(quiz.cursor, target) }
            quiz.cursor = target
        case .character(" "):
            quiz.holding.toggle()
        case .enter:
            state.quiz = quiz
            return QuizFlow.submit(.sequence(quiz.arrangement), &state)
        default:
            break
        }
        state.quiz = quiz
        return []
    }

    /// ↑↓ choose a left side; a letter (or ←→) gives it a right side and moves on;
    /// Enter submits once every left side has one.
    private static func pairKey(_ key: Key, _ item: QuizItem, _ state: inout AppState) -> [Effect] {
        guard var quiz = state.quiz else { return [] }
        let lefts = quiz.pairs.count
        let rights = item.order.count
        switch key {
        case .up, .character("k"):
            quiz.cursor = max(0, quiz.cursor - 1)
        case .down, .character("j"), .tab:
            quiz.cursor = min(lefts - 1, quiz.cursor + 1)
        case .left, .right:
            let step = key == .right ? 1 : rights - 1
            quiz.pairs[quiz.cursor] = quiz.pairs[quiz.cursor].map { ($0 + step) % rights } ?? (key == .right ? 0 : rights - 1)
        case .character(let c) where c.isLetter && c.isLowercase && c.isASCII:
            let index = Int(c.asciiValue! - 97)
            guard index < rights else { return [] }
            quiz.pairs[quiz.cursor] = index
            quiz.cursor = min(lefts - 1, quiz.cursor + 1)
        case .backspace:
            quiz.pairs[quiz.cursor] = nil
        case .enter:
            guard !quiz.pairs.contains(nil) else {
                quiz.cursor = quiz.pairs.firstIndex(of: nil) ?? quiz.cursor
                state.quiz = quiz
                state.notice = QuizText.pairEveryLeft
                return []
            }
            state.quiz = quiz
            return QuizFlow.submit(.pairs(quiz.pairs.compactMap { $0 }), &state)
        default:
            break
        }
        state.quiz = quiz
        return []
    }

    /// Letters, Hangul and digits are typed; Backspace erases one; Enter submits.
    private static func typeKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard let typed = state.quiz?.typed else { return [] }
        switch key {
        case .character(let c):
            state.quiz?.typed.append(c)
        case .backspace:
            if !typed.isEmpty { state.quiz?.typed.removeLast() }
        case .enter:
            guard !AnswerNormalizer.normalize(typed).isEmpty else { return [] }
            return QuizFlow.submit(.text(typed), &state)
        default:
            break
        }
        return []
    }
}
