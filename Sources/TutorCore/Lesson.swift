/// What a lesson's front matter says in one language: all the menu shows of it.
public struct LessonOverview: Equatable, Sendable {
    public var title: String
    public var summary: String
    public var objectives: [String]

    public init(title: String, summary: String, objectives: [String]) {
        self.title = title
        self.summary = summary
        self.objectives = objectives
    }
}

/// A lesson as its front matter describes it, in both languages: read at start-up
/// for the menu, without parsing the lesson's body or its quiz.
public struct LessonInfo: Equatable, Sendable {
    public var id: String
    public var overviews: [Language: LessonOverview]
    public var demos: [String]
    public var minutes: Int?
    /// Whether the folder has a `quiz.yaml` (it is parsed when the lesson is opened).
    public var hasQuiz: Bool
    /// The quiz's pass mark in percent (front matter `quiz_pass:`).
    public var quizPassPercent: Int
    /// Steps in the folder's `lab.yaml`, 0 when it has none.
    public var labSteps: Int

    public init(
        id: String, overviews: [Language: LessonOverview], demos: [String], minutes: Int?, hasQuiz: Bool,
        quizPassPercent: Int = LessonRequirements.defaultPassPercent, labSteps: Int = 0
    ) {
        self.id = id
        self.overviews = overviews
        self.demos = demos
        self.minutes = minutes
        self.hasQuiz = hasQuiz
        self.quizPassPercent = quizPassPercent
        self.labSteps = labSteps
    }

    /// What makes this lesson done.
    public var requirements: LessonRequirements {
        LessonRequirements(hasQuiz: hasQuiz, hasDemo: !demos.isEmpty, quizPassPercent: quizPassPercent)
    }

    /// The overview in `language`; both exist for every listed lesson.
    public func overview(_ language: Language) -> LessonOverview {
        overviews[language] ?? overviews.values.first!
    }
}

/// A lesson's text in one language.
public struct LessonText: Equatable, Sendable {
    public var title: String
    public var summary: String
    public var objectives: [String]
    public var blocks: [Block]

    public init(title: String, summary: String, objectives: [String], blocks: [Block]) {
        self.title = title
        self.summary = summary
        self.objectives = objectives
        self.blocks = blocks
    }

    public var overview: LessonOverview { LessonOverview(title: title, summary: summary, objectives: objectives) }
}

/// A lesson read in full: its text in both languages and its quiz.
public struct Lesson: Equatable, Sendable {
    public var info: LessonInfo
    public var texts: [Language: LessonText]
    public var quiz: Quiz?

    public init(info: LessonInfo, texts: [Language: LessonText], quiz: Quiz?) {
        self.info = info
        self.texts = texts
        self.quiz = quiz
    }

    public var id: String { info.id }
    public var demos: [String] { info.demos }
    public var minutes: Int? { info.minutes }

    /// The lesson in `language`; both exist for every loaded lesson.
    public func text(_ language: Language) -> LessonText {
        texts[language] ?? texts.values.first!
    }
}

/// One folder under `Lessons/`: a lesson, or the reasons it could not be loaded.
public struct LessonEntry: Equatable, Sendable {
    public enum State: Equatable, Sendable {
        case ready(LessonInfo)
        case broken([Diagnostic])
    }

    /// Folder name, e.g. `04-uts-namespace`.
    public var folder: String
    public var state: State
    /// Problems that did not stop the lesson from loading.
    public var warnings: [Diagnostic]
    /// Errors in `quiz.yaml`: the lesson still reads, without its quiz.
    public var quizProblems: [Diagnostic] = []
    /// Errors in `lab.yaml`: the lesson still reads, without its lab.
    public var labProblems: [Diagnostic] = []

    public init(folder: String, state: State, warnings: [Diagnostic] = []) {
        self.folder = folder
        self.state = state
        self.warnings = warnings
    }

    public var info: LessonInfo? {
        if case .ready(let info) = state { return info }
        return nil
    }

    /// The lesson id, or the folder name without its number for a broken lesson.
    public var id: String {
        info?.id ?? String(folder.drop(while: { $0.isNumber || $0 == "-" }))
    }

    /// The lesson's title; a broken lesson is named by its id, since it has none.
    public func title(_ language: Language) -> String {
        info?.overview(language).title ?? id
    }

    /// Every problem found, errors first.
    public var diagnostics: [Diagnostic] {
        if case .broken(let errors) = state { return errors + warnings }
        return quizProblems + labProblems + warnings
    }
}

/// A lesson folder read in full (`lint`, `lessons`, opening a lesson): the entry
/// with every problem found, and the lesson when it has no errors.
public struct LoadedLesson: Equatable, Sendable {
    public var entry: LessonEntry
    public var lesson: Lesson?

    public init(entry: LessonEntry, lesson: Lesson?) {
        self.entry = entry
        self.lesson = lesson
    }
}
