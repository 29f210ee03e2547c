import Foundation
import TutorCore
import TutorUI

/// Keys on the lesson menu.
enum MenuKeys {
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        let count = state.entries.count
        switch key {
        case .character("q"), .escape:
            return [.quit]
        case .up, .character("k"):
            state.menuSelection = max(0, state.menuSelection - 1)
        case .down, .character("j"):
            state.menuSelection = min(max(0, count - 1), state.menuSelection + 1)
        case .home, .character("g"):
            state.menuSelection = 0
        case .end, .character("G"):
            state.menuSelection = max(0, count - 1)
        case .enter, .right:
            guard state.entries.indices.contains(state.menuSelection) else { return [] }
            guard state.entries[state.menuSelection].lesson != nil else {
                state.notice = UIText.brokenLessonTitle.localized
                return []
            }
            state.reader = ReaderState(entryIndex: state.menuSelection)
            state.screen = .reader
            return ReaderKeys.markReadIfAtEnd(&state)
        default:
            break
        }
        return []
    }
}

/// Keys in the lesson reader.
enum ReaderKeys {
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard let reader = state.reader, let lesson = state.openLesson else {
            state.screen = .menu
            return []
        }
        switch key {
        case .escape, .character("q"), .left, .backspace:
            state.screen = .menu
            return []
        case .character("d"):
            guard let demo = lesson.demos.first else { return [] }
            state.demo = DemoState(demoID: demo)
            state.screen = .demo
            return [.runDemo(demo)]
        case .character("t"):
            guard let quiz = lesson.quiz, !quiz.questions.isEmpty else {
                state.notice = UIText.readerNoQuiz.localized
                return []
            }
            state.quiz = QuizState(entryIndex: reader.entryIndex)
            state.screen = .quiz
            return []
        default:
            let total = state.readerLines().count
            guard let offset = Reducer.scrolled(reader.scroll, by: key, page: state.contentHeight, total: total) else { return [] }
            state.reader?.scroll = offset
            return markReadIfAtEnd(&state, total: total)
        }
    }

    /// Reaching the last page marks the lesson read (once).
    static func markReadIfAtEnd(_ state: inout AppState, total: Int? = nil) -> [Effect] {
        guard let reader = state.reader, let lesson = state.openLesson else { return [] }
        let total = total ?? state.readerLines().count
        guard reader.scroll + state.contentHeight >= total, !state.progress[lesson: lesson.id].finishedReading else { return [] }
        state.progress[lesson: lesson.id].finishedReading = true
        state.progress[lesson: lesson.id].updated = Date()
        return [.saveProgress(state.progress)]
    }
}

/// Keys on the demo screen.
enum DemoKeys {
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard let demo = state.demo else {
            state.screen = .reader
            return []
        }
        switch key {
        case .escape, .character("q"), .left, .backspace, .enter:
            state.screen = state.reader == nil ? .menu : .reader
            return []
        case .character("r"), .character("d"):
            guard demo.report != nil else { return [] }
            state.demo = DemoState(demoID: demo.demoID)
            return [.runDemo(demo.demoID)]
        default:
            let total = state.demoLines().count
            if let offset = Reducer.scrolled(demo.scroll, by: key, page: state.contentHeight, total: total) {
                state.demo?.scroll = offset
            }
            return []
        }
    }
}
