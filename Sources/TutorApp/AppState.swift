import TutorCore
import TutorUI

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

/// A demo that is running or has reported.
public struct DemoState: Equatable, Sendable {
    public var demoID: String
    public var report: DemoReport?
    public var scroll: Int = 0
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
    public var score: Int = 0
    public var finished: Bool = false
}

/// Everything the interface shows, as one value. Views are functions of it.
public struct AppState: Equatable, Sendable {
    public static let minimumSize = Size(columns: 60, rows: 18)

    public var language: Language
    public var entries: [LessonEntry]
    public var progress: Progress
    public var demoTitles: [String: Localized]
    public var size: Size
    public var screen: Screen = .menu
    public var menuSelection: Int = 0
    public var reader: ReaderState?
    public var demo: DemoState?
    public var quiz: QuizState?
    public var showHelp = false
    /// A one-line message shown above the status bar until the next key.
    public var notice: Localized?

    public init(
        language: Language, entries: [LessonEntry], progress: Progress, demoTitles: [String: Localized], size: Size,
        notice: Localized? = nil
    ) {
        self.language = language
        self.entries = entries
        self.progress = progress
        self.demoTitles = demoTitles
        self.size = size
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

    public var openLesson: Lesson? {
        guard let index = reader?.entryIndex, entries.indices.contains(index) else { return nil }
        return entries[index].lesson
    }

    /// The open lesson laid out at the current width and language.
    public func readerLines() -> [StyledLine] {
        guard let lesson = openLesson else { return [] }
        let titles = demoTitles.mapValues { $0[language] }
        return LessonLayout.lines(for: lesson.text(language), language: language, width: textWidth, demoTitles: titles)
            + [[], [Span(UIText.readerEnd.text(language), Theme.dim)]]
    }

    public func demoLines() -> [StyledLine] {
        guard let report = demo?.report else { return [] }
        return DemoReportLayout.lines(for: report, language: language, width: textWidth)
    }
}

/// Something that happened: a key, a resize, or an effect's result.
public enum Action: Equatable, Sendable {
    case key(Key)
    case resize(Size)
    case demoFinished(DemoReport)
    case progressSaveFailed(String)
}

/// Work the reducer asks the runner to do; the reducer itself does no I/O.
public enum Effect: Equatable, Sendable {
    case runDemo(String)
    case saveProgress(Progress)
    case quit
}
