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
}

/// A lesson that loaded: both languages, its demos and its quiz.
public struct Lesson: Equatable, Sendable {
    public var id: String
    public var texts: [Language: LessonText]
    public var demos: [String]
    public var minutes: Int?
    public var quiz: Quiz?

    public init(id: String, texts: [Language: LessonText], demos: [String], minutes: Int?, quiz: Quiz?) {
        self.id = id
        self.texts = texts
        self.demos = demos
        self.minutes = minutes
        self.quiz = quiz
    }

    /// The lesson in `language`; both exist for every loaded lesson.
    public func text(_ language: Language) -> LessonText {
        texts[language] ?? texts.values.first!
    }
}

/// One folder under `Lessons/`: a lesson, or the reasons it could not be loaded.
public struct LessonEntry: Equatable, Sendable {
    public enum State: Equatable, Sendable {
        case ready(Lesson)
        case broken([Diagnostic])
    }

    /// Folder name, e.g. `04-uts-namespace`.
    public var folder: String
    public var state: State
    /// Problems that did not stop the lesson from loading.
    public var warnings: [Diagnostic]

    public init(folder: String, state: State, warnings: [Diagnostic] = []) {
        self.folder = folder
        self.state = state
        self.warnings = warnings
    }

    public var lesson: Lesson? {
        if case .ready(let lesson) = state { return lesson }
        return nil
    }

    /// The lesson id, or the folder name without its number for a broken lesson.
    public var id: String {
        lesson?.id ?? String(folder.drop(while: { $0.isNumber || $0 == "-" }))
    }

    public func title(_ language: Language) -> String {
        lesson?.text(language).title ?? folder
    }

    /// Every problem found, errors first.
    public var diagnostics: [Diagnostic] {
        if case .broken(let errors) = state { return errors + warnings }
        return warnings
    }
}
