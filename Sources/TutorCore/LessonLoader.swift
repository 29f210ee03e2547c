import Foundation

/// Loads lessons from a directory at run time, so a teacher can add or edit one
/// without recompiling. Layout: `Lessons/NN-slug/lesson.ko.md`, `lesson.en.md`,
/// and optionally `quiz.yaml` and `lab.yaml`. A broken lesson is returned as broken, never thrown.
///
/// Start-up reads only what the menu shows (``index()``: each lesson's front matter);
/// a lesson's body and quiz are parsed when it is opened (``load(folder:)``), and
/// `lint` parses everything (``loadAll()``).
public struct LessonLoader: Sendable {
    public let directory: URL
    /// Demo ids the engine can run; `:::demo` and `demos:` must name one of them.
    public let knownDemos: Set<String>

    public init(directory: URL, knownDemos: Set<String>) {
        self.directory = directory
        self.knownDemos = knownDemos
    }

    /// Lesson folders in course order: by their number, then by name.
    public func folders() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter(Self.isLessonFolder).map { (number: Int($0.prefix(while: \.isNumber)) ?? 0, name: $0) }
            .sorted { ($0.number, $0.name) < ($1.number, $1.name) }.map(\.name)
    }

    /// Every lesson's front matter, for the menu. Problems in a body or a quiz are
    /// found when the lesson is opened, or by `lint`.
    public func index() -> [LessonEntry] {
        folders().map { index(folder: $0) }
    }

    /// Every lesson read in full, with every problem: for `lint` and `lessons`.
    public func loadAll() -> [LoadedLesson] {
        folders().map { load(folder: $0) }
    }

    /// A lesson folder's name starts with a number: `04-uts-namespace`.
    static func isLessonFolder(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isNumber, name.contains(where: { $0 == "-" }) else { return false }
        return true
    }

    /// One lesson's front matter in both languages.
    public func index(folder: String) -> LessonEntry {
        var problems = Problems()
        var matters: [Language: FrontMatter] = [:]
        for language in Language.allCases {
            guard let (source, path) = lessonFile(folder, language, &problems, headOnly: true) else { continue }
            let header = LessonFileParser.header(source, file: path, quick: true)
            problems.add(header.diagnostics)
            matters[language] = header.frontMatter
        }
        problems.add(check(matters, folder: folder))
        let hasQuiz = access(path(folder, "quiz.yaml"), F_OK) == 0
        guard problems.errors.isEmpty, let info = info(matters, hasQuiz: hasQuiz) else {
            return LessonEntry(folder: folder, state: .broken(problems.errors), warnings: problems.warnings)
        }
        return LessonEntry(folder: folder, state: .ready(info), warnings: problems.warnings)
    }

    /// One lesson in full: both languages' text and the quiz, with every problem.
    public func load(folder: String) -> LoadedLesson {
        var problems = Problems()
        var texts: [Language: LessonText] = [:]
        var matters: [Language: FrontMatter] = [:]
        for language in Language.allCases {
            guard let (source, path) = lessonFile(folder, language, &problems) else { continue }
            let (parsed, diagnostics) = LessonFileParser.parse(source, file: path)
            problems.add(diagnostics)
            guard let parsed else { continue }
            texts[language] = parsed.text
            matters[language] = parsed.frontMatter
            for (line, id) in parsed.demoLines where !knownDemos.contains(id) {
                problems.add([Diagnostic(file: path, line: line, message: "unknown demo '\(id)'; known demos: \(knownList)")])
            }
        }
        problems.add(check(matters, folder: folder))
        if let ko = texts[.ko], let en = texts[.en] {
            problems.add(Self.structureParity(ko: ko, en: en, folder: folder))
        }
        var quiz: Quiz?
        if let source = Self.text(atPath: path(folder, "quiz.yaml")) {
            let (parsed, diagnostics) = Quiz.parse(source, file: "\(folder)/quiz.yaml")
            problems.add(diagnostics)
            quiz = parsed
        }
        if let found = lab(folder: folder) { problems.add(found.diagnostics) }
        guard problems.errors.isEmpty, let info = info(matters, hasQuiz: quiz != nil) else {
            return LoadedLesson(
                entry: LessonEntry(folder: folder, state: .broken(problems.errors), warnings: problems.warnings), lesson: nil)
        }
        let entry = LessonEntry(folder: folder, state: .ready(info), warnings: problems.warnings)
        return LoadedLesson(entry: entry, lesson: Lesson(info: info, texts: texts, quiz: quiz))
    }

    private struct Problems {
        var errors: [Diagnostic] = []
        var warnings: [Diagnostic] = []

        mutating func add(_ diagnostics: [Diagnostic]) {
            errors += diagnostics.filter { $0.severity == .error }
            warnings += diagnostics.filter { $0.severity == .warning }
        }
    }

    private var knownList: String { knownDemos.sorted().joined(separator: ", ") }

    /// A lesson file's text: with `headOnly`, its first part, which holds the front
    /// matter of any lesson file of a sensible size (a longer one is read whole).
    private func lessonFile(_ folder: String, _ language: Language, _ problems: inout Problems, headOnly: Bool = false) -> (String, String)?
    {
        let name = "lesson.\(language.rawValue).md"
        guard let source = Self.text(atPath: path(folder, name), head: headOnly) else {
            problems.add([
                Diagnostic(
                    file: "\(folder)/\(name)", line: 1, message: "missing \(name): every lesson needs both lesson.ko.md and lesson.en.md")
            ])
            return nil
        }
        return (source, "\(folder)/\(name)")
    }

    private func info(_ matters: [Language: FrontMatter], hasQuiz: Bool) -> LessonInfo? {
        guard let ko = matters[.ko], let en = matters[.en] else { return nil }
        return LessonInfo(
            id: ko.id, overviews: [.ko: ko.overview, .en: en.overview], demos: ko.demos.map(\.id), minutes: ko.minutes, hasQuiz: hasQuiz)
    }

    /// What the front matters alone can show: demos the engine does not know, and
    /// two languages that do not describe the same lesson.
    private func check(_ matters: [Language: FrontMatter], folder: String) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for language in Language.allCases {
            guard let matter = matters[language] else { continue }
            for demo in matter.demos where !knownDemos.contains(demo.id) {
                result.append(
                    Diagnostic(
                        file: "\(folder)/lesson.\(language.rawValue).md", line: demo.line,
                        message: "unknown demo '\(demo.id)' in demos:; known demos: \(knownList)"))
            }
        }
        guard let ko = matters[.ko], let en = matters[.en] else { return result }
        let enFile = "\(folder)/lesson.en.md"
        if ko.id != en.id {
            result.append(Diagnostic(file: enFile, line: en.idLine, message: "id '\(en.id)' differs from lesson.ko.md's '\(ko.id)'"))
        }
        if ko.demos.map(\.id) != en.demos.map(\.id) {
            result.append(
                Diagnostic(file: enFile, line: en.demos.first?.line ?? 1, message: "demos differ from lesson.ko.md's", severity: .warning))
        }
        if ko.overview.objectives.count != en.overview.objectives.count {
            result.append(
                Diagnostic(
                    file: enFile, line: 1,
                    message: "\(en.overview.objectives.count) objectives, lesson.ko.md has \(ko.overview.objectives.count)",
                    severity: .warning))
        }
        return result
    }

    /// The two languages' bodies must have the same shape.
    private static func structureParity(ko: LessonText, en: LessonText, folder: String) -> [Diagnostic] {
        let koShape = ko.blocks.map(\.shape)
        let enShape = en.blocks.map(\.shape)
        guard koShape != enShape else { return [] }
        return [
            Diagnostic(
                file: "\(folder)/lesson.en.md", line: 1,
                message: "structure differs from lesson.ko.md (\(enShape.count) blocks vs \(koShape.count)); keep the languages in parity",
                severity: .warning)
        ]
    }

    /// A file in a lesson folder. Plain strings: URL's path handling costs more
    /// than reading a lesson's header.
    private func path(_ folder: String, _ name: String) -> String {
        "\(directory.path)/\(folder)/\(name)"
    }

    /// The file as UTF-8 text, or nil when it cannot be read: open, read, close,
    /// without FileManager's extra calls (a start reads sixty of these). With
    /// `head`, one read of 8 KB, unless that is not enough to close the front matter.
    private static func text(atPath path: String, head: Bool = false) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += chunk[..<count]
                if head, Self.closesFrontMatter(bytes) { return String(decoding: bytes, as: UTF8.self) }
            } else if count == 0 {
                return String(decoding: bytes, as: UTF8.self)
            } else if errno != EINTR {
                return nil
            }
        }
    }

    /// Whether the bytes hold a second `---` line (a cut in the middle of a
    /// character is harmless: the front matter ends before it).
    private static func closesFrontMatter(_ bytes: [UInt8]) -> Bool {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().makeIterator()
        guard lines.next() != nil else { return false }
        while let line = lines.next() {
            if String(decoding: line, as: UTF8.self).trimmingSpaces == "---" { return true }
        }
        return false
    }
}

extension Block {
    /// The kind of block, ignoring its text: used to compare the two languages.
    var shape: String {
        switch self {
        case .heading(let level, _): return "h\(level)"
        case .paragraph: return "p"
        case .bulletList(let items): return "ul\(items.count)"
        case .orderedList(_, let items): return "ol\(items.count)"
        case .code: return "code"
        case .table(_, let rows): return "table\(rows.count)"
        case .callout(let kind, _): return "callout-\(kind.rawValue)"
        case .demo(let id): return "demo-\(id)"
        }
    }
}
