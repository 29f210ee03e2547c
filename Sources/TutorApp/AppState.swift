import TutorCore
import TutorUI

import struct Foundation.Date

/// Which screen is in front.
public enum Screen: Equatable, Sendable {
    case menu
    case reader
    case demo
    case quiz
}

/// A lesson open in the reader.
public struct ReaderState: Equatable, Sendable {
    public var entryIndex: Int
    public var scroll: Int = 0
}

/// A demo run: running on the worker, or reported.
public struct DemoState: Equatable, Sendable {
    public var demoID: String
    /// Which run this is; a result from another run is not this one's.
    public var run: Int
    public var startedAt: Date
    public var report: DemoReport?
    /// The learner left while it ran: its result, when it comes, is dropped.
    public var cancelled = false
    public var scroll: Int = 0

    public var isRunning: Bool { report == nil }
}

/// A quiz in progress.
public struct QuizState: Equatable, Sendable {
    public var entryIndex: Int
    public var questionIndex: Int = 0
    /// The highlighted option.
    public var cursor: Int = 0
    /// Options marked with Space in a several-answer question.
    public var marked: Set<Int> = []
    /// Set once the current question is answered: what was picked.
    public var submitted: Set<Int>?
    /// Every answer so far, in order.
    public var results: [QuestionResult] = []
    public var score: Int { results.filter(\.correct).count }
    public var finished: Bool = false
}

/// Everything the interface shows, as one value. Views are functions of it.
public struct AppState: Equatable, Sendable {
    public static let minimumSize = Size(columns: 60, rows: 18)

    public var language: Language
    public var entries: [LessonEntry]
    /// Lessons read in full so far, by folder: each is parsed when first opened.
    public var lessons: [String: Lesson] = [:]
    public var progress: Progress
    public var demoTitles: [String: Localized]
    public var size: Size
    /// The time of the action being handled: the reducer never reads the clock.
    public var now: Date
    public var screen: Screen = .menu
    public var menuSelection: Int = 0
    /// The first lesson row shown when the list is longer than the screen.
    public var menuScroll: Int = 0
    public var reader: ReaderState?
    public var demo: DemoState?
    /// Demo runs started so far, to number the next one.
    public var demoRuns = 0
    public var quiz: QuizState?
    public var showHelp = false
    /// A message shown above the status bar until the next key.
    public var notice: Localized?

    public init(
        language: Language, entries: [LessonEntry], progress: Progress, demoTitles: [String: Localized], size: Size,
        now: Date, notice: Localized? = nil
    ) {
        self.language = language
        self.entries = entries
        self.progress = progress
        self.demoTitles = demoTitles
        self.size = size
        self.now = now
        self.notice = notice
    }

    public var isTooSmall: Bool {
        size.columns < Self.minimumSize.columns || size.rows < Self.minimumSize.rows
    }

    /// Rows between the title bar and the status bar.
    public var contentHeight: Int { max(1, size.rows - 2 - noticeLines.count) }

    /// The notice wrapped above the status bar: up to three lines, so a path in it stays readable.
    public var noticeLines: [StyledLine] {
        guard let notice else { return [] }
        return Array(TextWrap.wrap(notice[language], width: max(1, size.columns - 2)).prefix(3))
    }

    /// Width of lesson text: the window less margins, capped for readability.
    public var textWidth: Int { min(size.columns - 4, LessonLayout.maxTextWidth) }

    /// The lesson of an entry, once it has been read in full.
    public func lesson(at index: Int) -> Lesson? {
        guard entries.indices.contains(index) else { return nil }
        return lessons[entries[index].folder]
    }

    public var openLesson: Lesson? {
        reader.flatMap { lesson(at: $0.entryIndex) }
    }

    /// The open lesson laid out at the current width and language.
    public func readerLines() -> [StyledLine] {
        guard let lesson = openLesson else { return [] }
        let titles = demoTitles.mapValues { $0[language] }
        return LessonLayout.lines(for: lesson.text(language), language: language, width: textWidth, demoTitles: titles)
            + [[], [Span(UIText.readerEnd.text(language), Theme.dim)]]
    }

    /// The demo `d` runs in the reader: the first box on screen; else the nearest one
    /// scrolled past; else the first below; else the lesson's first demo.
    public func demoToRun() -> String? {
        guard let lesson = openLesson, let scroll = reader?.scroll else { return nil }
        let titles = demoTitles.mapValues { $0[language] }
        let boxes = LessonLayout.demoBoxes(for: lesson.text(language), language: language, width: textWidth, demoTitles: titles)
        let visible = scroll..<(scroll + contentHeight)
        if let onScreen = boxes.first(where: { visible.contains($0.line) }) { return onScreen.id }
        if let above = boxes.last(where: { $0.line < scroll }) { return above.id }
        return boxes.first?.id ?? lesson.demos.first
    }

    public func demoLines() -> [StyledLine] {
        guard let report = demo?.report else { return [] }
        return DemoReportLayout.lines(for: report, language: language, width: textWidth)
    }

    /// Applies an event to progress now and asks the runner to record it on disk.
    mutating func record(_ event: ProgressEvent) -> [Effect] {
        progress.apply(event, at: now)
        return [.recordProgress([event])]
    }

    /// Rows the menu gives the lesson list; the selected lesson's details take the rest.
    public var menuListHeight: Int { MenuView.listHeight(lessons: entries.count, contentHeight: contentHeight) }
}

/// Something that happened: a key, a resize, time passing, or an effect's result.
/// Each comes with the time it happened (``Reducer/reduce(_:_:at:)``).
public enum Action: Equatable, Sendable {
    case key(Key)
    case resize(Size)
    /// Time passed; a running demo's clock moves on.
    case tick
    case lessonLoaded(LoadedLesson)
    case demoFinished(run: Int, DemoReport)
    /// Saving failed: the one-line message says what, where, and what to do.
    case progressSaveFailed(Localized)
    /// Progress as saved, merged with what another tutor of this learner recorded.
    case progressRecorded(Progress)
}

/// Work the reducer asks the runner to do; the reducer itself does no I/O.
public enum Effect: Equatable, Sendable {
    /// Read a lesson's body and quiz; answered by ``Action/lessonLoaded(_:)``.
    case loadLesson(folder: String)
    /// Run a demo off the interface's thread; answered by ``Action/demoFinished(run:_:)``.
    case runDemo(String, run: Int)
    /// Record what the learner did; answered by ``Action/progressRecorded(_:)``.
    case recordProgress([ProgressEvent])
    /// Leave the full screen for the lesson's lab shell, then come back; answered by
    /// ``Action/progressRecorded(_:)`` with the progress the lab saved.
    case openLab(folder: String, language: Language)
    case quit
}
