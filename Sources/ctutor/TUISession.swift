import CShim
import Engine
import Foundation
import TutorApp
import TutorCore
import TutorSession
import TutorTerminal

/// Starts the full-screen tutor on this terminal: reads what the menu needs, runs
/// the session loop with the real engine, and on the way out says what a demo
/// still running is doing, then re-raises the signal that ended it.
struct TUISession {
    let context: AppContext

    func run(openLesson folder: String?, quiz: QuizRequest? = nil) throws {
        let store = context.progressStore
        let loaded = store.load()
        let loader = context.lessonLoader
        let terminal = try CursesTerminal(environment: context.environment)
        let language = context.language
        var state = AppState(
            language: language, entries: loader.index(), progress: loaded.progress, demoTitles: context.demoTitles,
            size: terminal.size, now: Date(), notice: loaded.unsaved ?? loaded.notice)
        // `ctutor read X` opens one lesson: leaving it ends the session, not at a menu never asked for.
        state.openedFromCommandLine = folder != nil
        let session = Session(
            terminal: terminal, state: state, engine: CatalogEngine(), lessons: loader, progressStore: store,
            savesProgress: loaded.unsaved == nil,
            onWaitingAtExit: { demo in printError("ctutor: " + UIText.exitWaitingForDemo.format(language, demo)) },
            liveAnswers: LiveQuestionProbes(),
            openLab: { [context] folder, language in LabShell.openFromTutor(folder: folder, language: language, context: context) })
        let end = session.run(opening: folder, quiz: quiz)
        if let demo = end.unfinishedDemo {
            printError("ctutor: " + UIText.exitDemoUnfinished.format(language, demo))
        }
        if let signal = end.signal { ctutor_signals_reraise(signal) }
    }
}

/// The engine's demo catalog, as the session runs it.
struct CatalogEngine: DemoEngine {
    func run(_ demoID: String) -> DemoReport {
        DemoCatalog.run(demoID)
            ?? DemoReport(
                demo: demoID, title: Localized(demoID), mode: .unavailable,
                reason: Localized(ko: "이 ctutor에는 '\(demoID)' 데모가 없습니다.", en: "This ctutor has no demo called '\(demoID)'."))
    }
}
