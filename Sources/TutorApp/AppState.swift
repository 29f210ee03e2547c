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
    /// Lines from the top the learner's view has passed over without a jump: a view
    /// that starts within them extends them, one that skips ahead (End) does not.
    /// The lesson is read when they reach its end.
    public var readUpTo: Int = 0
    /// The lesson's length in lines when ``readUpTo`` was measured: a language switch
    /// or a resize lays it out again, and what was read is scaled to the new length.
    public var measuredLines: Int = 0

    /// Moves the view to `scroll` in a lesson of `total` lines, `page` lines high,
    /// and extends what was read when the new view starts within it.
    mutating func view(at scroll: Int, page: Int, total: Int) {
        if measuredLines > 0, measuredLines != total {
            readUpTo = readUpTo * total / measuredLines
        }
        measuredLines = total
        self.scroll = scroll
        if scroll <= readUpTo { readUpTo = max(readUpTo, min(total, scroll + page)) }
    }

    /// Whether the view has passed over every line.
    func finished(total: Int) -> Bool { total > 0 && readUpTo >= total }
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

/// A quiz to start: the lesson folders it draws from and how it asks.
public struct QuizRequest: Equatable, Sendable {
    public var folders: [String]
    public var plan: QuizPlan

    public init(folders: [String], plan: QuizPlan) {
        self.folders = folders
        self.plan = plan
    }
}

/// A quiz on screen: its lessons being read, its live probes running, or its
/// session being sat, with what the learner has entered for the current question.
/// Leaving keeps it, so the learner comes back to the same question.
public struct QuizState: Equatable, Sendable {
    public enum Phase: Equatable, Sendable {
        /// The lessons' quizzes are being read.
        case loading
        /// Real demos are running for the live questions' answers.
        case probing([LiveProbe])
        case asking
    }

    public var request: QuizRequest
    /// The lesson open in the reader when the quiz began: `t` there resumes it.
    public var entryIndex: Int?
    /// Started by `ctutor quiz`: leaving it quits rather than showing a menu never asked for.
    public var quitsOnLeave = false
    public var phase: Phase = .loading
    public var session: QuizSession?
    /// The highlighted row: an option, an item of an order question, a left side of a match.
    public var cursor = 0
    /// Options marked in a several-answer question.
    public var marked: Set<Int> = []
    /// An order question's items as the learner has arranged them, by shown index.
    public var arrangement: [Int] = []
    /// The item under the cursor moves with ↑↓ while held.
    public var holding = false
    /// A match question's right side (shown index) chosen for each left side.
    public var pairs: [Int?] = []
    /// A short or live answer as typed so far.
    public var typed = ""
    /// The item whose verdict is on screen (practice and review) until the learner moves on.
    public var verdict: Int?
    /// The end screen's scroll.
    public var scroll = 0

    public init(request: QuizRequest, entryIndex: Int? = nil) {
        self.request = request
        self.entryIndex = entryIndex
    }

    /// The item the learner is answering now (not the one whose verdict is shown).
    public var current: QuizItem? { verdict == nil ? session?.current : nil }

    public var finished: Bool { session?.isFinished == true && verdict == nil }

    /// Clears what was entered, ready for the next item.
    mutating func resetInput(for item: QuizItem?) {
        cursor = 0
        marked = []
        holding = false
        typed = ""
        arrangement = Array(0..<(item?.order.count ?? 0))
        pairs = Array(repeating: nil, count: item?.question.choices.count ?? 0)
    }
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
    /// The session was opened for one lesson (`ctutor read X`): leaving it quits.
    public var openedFromCommandLine = false
    /// Time in the lesson in front, not yet recorded (``LessonTime``).
    public var lessonTime: LessonTime?
    /// A message shown above the status bar until the next key.
    public var notice: Localized?
    /// The open lesson's lines, laid out once per lesson, language and width.
    public var readerLayout = ReaderLayoutCache()

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
        readerLayoutNow()?.lines ?? []
    }

    /// Laid out when the lesson, language, width or demo titles changed; else kept.
    private func readerLayoutNow() -> ReaderLayoutCache.Layout? {
        guard let lesson = openLesson else { return nil }
        let key = ReaderLayoutCache.Key(
            text: lesson.text(language), language: language, width: textWidth, demoTitles: demoTitles.mapValues { $0[language] })
        return readerLayout.layout(for: key) {
            let laidOut = LessonLayout.laidOut(key.text, language: language, width: key.width, demoTitles: key.demoTitles)
            return ReaderLayoutCache.Layout(
                lines: laidOut.lines + [[], [Span(UIText.readerEnd.text(language), Theme.dim)]], boxes: laidOut.boxes)
        }
    }

    /// The demo `d` runs in the reader: the first box on screen; else the nearest one
    /// scrolled past; else the first below; else the lesson's first demo.
    public func demoToRun() -> String? {
        guard let lesson = openLesson, let scroll = reader?.scroll, let boxes = readerLayoutNow()?.boxes else { return nil }
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
    /// Opens the quiz screen on a new quiz (`ctutor quiz` on a terminal).
    case startQuiz(QuizRequest)
    /// What the live probes found, answering ``Effect/resolveLiveProbes(_:)``.
    case liveProbesResolved([LiveProbe: LiveOutcome])
}

/// Work the reducer asks the runner to do; the reducer itself does no I/O.
public enum Effect: Equatable, Sendable {
    /// Read a lesson's body and quiz; answered by ``Action/lessonLoaded(_:)``.
    case loadLesson(folder: String)
    /// Run a demo off the interface's thread; answered by ``Action/demoFinished(run:_:)``.
    case runDemo(String, run: Int)
    /// Record what the learner did; answered by ``Action/progressRecorded(_:)``.
    case recordProgress([ProgressEvent])
    /// Run real demos for live quiz questions, off the interface's thread; answered
    /// by ``Action/liveProbesResolved(_:)``.
    case resolveLiveProbes([LiveProbe])
    /// Leave the full screen for the lesson's lab shell, then come back; answered by
    /// ``Action/progressRecorded(_:)`` with the progress the lab saved.
    case openLab(folder: String, language: Language)
    case quit
}
