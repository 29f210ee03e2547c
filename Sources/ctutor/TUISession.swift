import CShim
import Engine
import Foundation
import TutorApp
import TutorCore
import TutorTerminal
import TutorUI

/// The run loop of the full-screen tutor: terminal events become actions, the
/// reducer updates the state, effects (demos, saving) are performed here, and
/// every frame is rendered into a buffer that the terminal diffs and flushes.
struct TUISession {
    let context: AppContext

    func run(openLesson folder: String?) throws {
        let store = context.progressStore
        let loaded = try store.load()
        let entries = context.loadLessons()
        let terminal = try CursesTerminal(environment: context.environment)
        defer { terminal.close() }

        var state = AppState(
            language: context.language, entries: entries, progress: loaded.progress,
            demoTitles: context.demoTitles, size: terminal.size, notice: loaded.notice)
        if let folder, let index = entries.firstIndex(where: { $0.folder == folder }) {
            state.menuSelection = index
            perform(Reducer.reduce(&state, .key(.enter)), &state, terminal, store)
        }
        while true {
            terminal.draw(AppView.render(state))
            switch terminal.nextEvent(timeoutMilliseconds: 250) {
            case .signal(let number):
                terminal.close()
                ctutor_signals_reraise(number)
                return
            case .resize(let size):
                _ = Reducer.reduce(&state, .resize(size))
            case .key(let key):
                if !perform(Reducer.reduce(&state, .key(key)), &state, terminal, store) { return }
            case .timeout:
                continue
            }
        }
    }

    /// Performs effects; returns false when the app should quit.
    @discardableResult
    private func perform(_ effects: [Effect], _ state: inout AppState, _ terminal: CursesTerminal, _ store: ProgressStore) -> Bool {
        var queue = effects[...]
        while let effect = queue.popFirst() {
            switch effect {
            case .quit:
                return false
            case .saveProgress(let progress):
                do {
                    try store.save(progress)
                } catch {
                    queue += Reducer.reduce(&state, .progressSaveFailed("\(error)"))
                }
            case .runDemo(let id):
                // Show "running" before the demo blocks the loop for its few milliseconds.
                terminal.draw(AppView.render(state))
                let report =
                    DemoCatalog.run(id)
                    ?? DemoReport(
                        demo: id, title: Localized(id), mode: .unavailable,
                        reason: Localized(ko: "이 ctutor 에는 '\(id)' 데모가 없습니다.", en: "This ctutor has no demo called '\(id)'."))
                queue += Reducer.reduce(&state, .demoFinished(report))
            }
        }
        return true
    }
}
