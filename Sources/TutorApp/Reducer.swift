import TutorCore
import TutorUI

/// The pure update function: applies an action to the state and returns the
/// effects to perform. Nothing here touches the terminal, the disk or the kernel.
public enum Reducer {
    public static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .resize(let size):
            state.size = size
            clampScrolls(&state)
            return []
        case .demoFinished(let report):
            guard state.demo?.demoID == report.demo else { return [] }
            state.demo?.report = report
            state.demo?.scroll = 0
            guard let lesson = state.openLesson else { return [] }
            var entry = state.progress[lesson: lesson.id]
            entry.demoRuns += 1
            entry.lastDemoMode = report.mode.rawValue
            state.progress[lesson: lesson.id] = entry
            return [.saveProgress(state.progress)]
        case .progressSaveFailed(let message):
            state.notice = Localized(
                ko: UIText.progressSaveFailed.format(.ko, message),
                en: UIText.progressSaveFailed.format(.en, message))
            return []
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
        switch key {
        case .character("?"):
            state.showHelp = true
            return []
        case .character("l"):
            state.language = state.language.other
            clampScrolls(&state)
            return []
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
