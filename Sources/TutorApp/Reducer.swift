import TutorCore
import TutorUI

import struct Foundation.Date

/// The pure update function: applies an action to the state and returns the
/// effects to perform. Nothing here touches the terminal, the disk, the kernel or
/// the clock: the time an action happened comes with it.
public enum Reducer {
    public static func reduce(_ state: inout AppState, _ action: Action, at now: Date) -> [Effect] {
        state.now = now
        state.countLessonTime()
        return state.settleLessonTime(apply(action, &state))
    }

    private static func apply(_ action: Action, _ state: inout AppState) -> [Effect] {
        switch action {
        case .resize(let size):
            state.size = size
            clampScrolls(&state)
            return []
        case .tick:
            return QuizFlow.tick(&state)
        case .lessonLoaded(let loaded):
            return lessonLoaded(loaded, &state)
        case .demoFinished(let run, let report):
            return DemoKeys.finished(run: run, report, &state)
        case .progressSaveFailed(let message):
            state.notice = message
            return []
        case .progressRecorded(let progress):
            state.progress = progress
            return []
        case .startQuiz(let request):
            return QuizFlow.start(request, entryIndex: nil, quitsOnLeave: true, &state)
        case .liveProbesResolved(let outcomes):
            return QuizFlow.probesResolved(outcomes, &state)
        case .key(let key):
            return handle(key, &state)
        }
    }

    private static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        state.notice = nil
        if key == .interrupt { return [.quit] }
        if state.showHelp {
            state.showHelp = false
            return []
        }
        if state.isTooSmall {
            return key == .character("q") ? [.quit] : []
        }
        // A typed answer takes every letter, `l` and `?` included.
        if QuizKeys.capturesText(state) { return QuizKeys.handle(key, &state) }
        switch key {
        case .character("?"):
            state.showHelp = true
            return []
        case .character("l"):
            state.language = state.language.other
            clampScrolls(&state)
            return state.record(.languageChosen(state.language))
        default:
            break
        }
        switch state.screen {
        case .menu: return MenuKeys.handle(key, &state)
        case .reader: return ReaderKeys.handle(key, &state)
        case .demo: return DemoKeys.handle(key, &state)
        case .quiz: return QuizKeys.handle(key, &state)
        }
    }

    /// A lesson read in full: kept for the reader and the quiz, or, when its body or
    /// quiz turned out broken, listed as broken with its problems.
    private static func lessonLoaded(_ loaded: LoadedLesson, _ state: inout AppState) -> [Effect] {
        guard let index = state.entries.firstIndex(where: { $0.folder == loaded.entry.folder }) else { return [] }
        state.entries[index] = loaded.entry
        let waiting = state.screen == .reader && state.reader?.entryIndex == index
        guard let lesson = loaded.lesson else {
            if waiting {
                state.screen = .menu
                state.reader = nil
                state.notice = UIText.brokenLessonTitle.localized
            }
            return []
        }
        state.lessons[loaded.entry.folder] = lesson
        if state.quiz?.phase == .loading { return QuizFlow.lessonsRead(&state) }
        return waiting ? ReaderKeys.markReadIfAtEnd(&state) : []
    }

    /// Moves a scroll offset by a key; returns nil for keys that don't scroll.
    static func scrolled(_ offset: Int, by key: Key, page: Int, total: Int) -> Int? {
        let maxOffset = max(0, total - page)
        let step: Int
        switch key {
        case .up, .character("k"): step = -1
        case .down, .character("j"): step = 1
        case .pageUp, .character("b"): step = -max(1, page - 1)
        case .pageDown, .character(" "): step = max(1, page - 1)
        case .home, .character("g"): return 0
        case .end, .character("G"): return maxOffset
        default: return nil
        }
        return min(max(0, offset + step), maxOffset)
    }

    static func clampScrolls(_ state: inout AppState) {
        MenuKeys.keepSelectionVisible(&state)
        if let reader = state.reader {
            let limit = max(0, state.readerLines().count - state.contentHeight)
            state.reader?.scroll = min(reader.scroll, limit)
        }
        if let demo = state.demo {
            let limit = max(0, state.demoLines().count - state.contentHeight)
            state.demo?.scroll = min(demo.scroll, limit)
        }
    }
}
