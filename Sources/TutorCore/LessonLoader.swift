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
        markingDuplicateIDs(folders().map { index(folder: $0) })
    }

    /// Ids of the lessons whose front matter lists `demo` (what a run of it counts
    /// for). A lesson whose front matter does not even contain the id's bytes cannot
    /// list it and is not parsed: a demo run from the command line reads twelve small
    /// headers and parses one, instead of indexing the course.
    public func lessons(showing demo: String) -> [String] {
        let candidates = folders().filter { folder in
            guard case .success(let head) = SourceFile.read(path(folder, "lesson.ko.md"), enough: Self.closesFrontMatter) else { return false }
            return Self.bytes(Array(head.utf8), contain: Array(demo.utf8))
        }
        let entries = markingDuplicateIDs(candidates.map { index(folder: $0) })
        return entries.compactMap(\.info).filter { $0.demos.contains(demo) }.map(\.id)
    }

    private static func bytes(_ haystack: [UInt8], contain needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            var matched = 1
            while matched < needle.count && haystack[start + matched] == needle[matched] { matched += 1 }
            if matched == needle.count { return true }
        }
        return false
    }

    /// Every lesson read in full, with every problem: for `lint` and `lessons`.
    public func loadAll() -> [LoadedLesson] {
        let loaded = folders().map { load(folder: $0) }
        return zip(loaded, markingDuplicateIDs(loaded.map(\.entry))).map { lesson, entry in
            LoadedLesson(entry: entry, lesson: entry.info == nil ? nil : lesson.lesson)
        }
    }

    /// Progress is kept by lesson id, so two folders with one id (a folder copied as
    /// a template) would share it: the first in course order keeps the id, and the
    /// other is broken, with a diagnostic naming both files.
    private func markingDuplicateIDs(_ entries: [LessonEntry]) -> [LessonEntry] {
        var firstWithID: [String: Int] = [:]
        var result = entries
        for (index, entry) in entries.enumerated() {
            guard let id = entry.info?.id else { continue }
            guard let first = firstWithID[id] else {
                firstWithID[id] = index
                continue
            }
            let here = idLocation(entry.folder)
            let there = idLocation(entries[first].folder)
            let message =
                "id '\(Diagnostic.quoted(id))' is already used by \(there.file):\(there.line); give this lesson its own id (progress is kept by id)"
            result[index].state = .broken([Diagnostic(file: here.file, line: here.line, message: message)])
        }
        return result
    }

    /// Where a lesson's `id:` is written, for a diagnostic: read again, since
    /// this is needed only for the rare duplicate.
    private func idLocation(_ folder: String) -> (file: String, line: Int) {
        let file = "\(folder)/lesson.ko.md"
        guard case .success(let source) = SourceFile.read(path(folder, "lesson.ko.md"), enough: Self.closesFrontMatter) else {
            return (file, 1)
        }
        return (file, LessonFileParser.header(source, file: file, quick: true).frontMatter?.idLine ?? 1)
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
        guard problems.errors.isEmpty, let info = info(matters, hasQuiz: hasQuiz, folder: folder) else {
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
                problems.add([
                    Diagnostic(file: path, line: line, message: "unknown demo '\(Diagnostic.quoted(id))'; known demos: \(knownList)")
                ])
            }
        }
        problems.add(check(matters, folder: folder))
        if let ko = texts[.ko], let en = texts[.en] {
            problems.add(Self.structureParity(ko: ko, en: en, folder: folder))
        }
        let (quiz, quizProblems) = readQuiz(folder, &problems)
        let hasQuiz = quiz != nil || !quizProblems.isEmpty
        let labProblems = readLabProblems(folder, &problems)
        guard problems.errors.isEmpty, let info = info(matters, hasQuiz: hasQuiz, folder: folder) else {
            return LoadedLesson(
                entry: LessonEntry(folder: folder, state: .broken(problems.errors + quizProblems + labProblems), warnings: problems.warnings),
                lesson: nil)
        }
        var entry = LessonEntry(folder: folder, state: .ready(info), warnings: problems.warnings)
        entry.quizProblems = quizProblems
        entry.labProblems = labProblems
        return LoadedLesson(entry: entry, lesson: Lesson(info: info, texts: texts, quiz: quiz))
    }

    /// The folder's quiz, or the errors that keep it from being used: a broken
    /// quiz leaves the lesson readable (its warnings go with the lesson's).
    private func readQuiz(_ folder: String, _ problems: inout Problems) -> (Quiz?, [Diagnostic]) {
        let file = "\(folder)/quiz.yaml"
        switch SourceFile.read(path(folder, "quiz.yaml")) {
        case .success(let source):
            let (quiz, diagnostics) = Quiz.parse(source, file: file)
            let errors = diagnostics.filter { $0.severity == .error }
            problems.add(diagnostics.filter { $0.severity == .warning })
            return errors.isEmpty ? (quiz, []) : (nil, errors)
        case .failure(.missing):
            return (nil, [])
        case .failure(let problem):
            return (nil, [Diagnostic(file: file, line: 1, message: problem.message("quiz.yaml"))])
        }
    }

    /// Errors in `lab.yaml`, kept apart like the quiz's: a broken lab does not hide
    /// the lesson. Its warnings join the lesson's.
    private func readLabProblems(_ folder: String, _ problems: inout Problems) -> [Diagnostic] {
        guard let found = lab(folder: folder) else { return [] }
        problems.add(found.diagnostics.filter { $0.severity == .warning })
        return found.diagnostics.filter { $0.severity == .error }
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
        let file = "\(folder)/\(name)"
        let read = headOnly ? SourceFile.read(path(folder, name), enough: Self.closesFrontMatter) : SourceFile.read(path(folder, name))
        switch read {
        case .success(let source):
            return (source, file)
        case .failure(.missing):
            problems.add([
                Diagnostic(file: file, line: 1, message: "missing \(name): every lesson needs both lesson.ko.md and lesson.en.md")
            ])
        case .failure(let problem):
            problems.add([Diagnostic(file: file, line: 1, message: problem.message(name))])
        }
        return nil
    }

    private func info(_ matters: [Language: FrontMatter], hasQuiz: Bool, folder: String) -> LessonInfo? {
        guard let ko = matters[.ko], let en = matters[.en] else { return nil }
        return LessonInfo(
            id: ko.id, overviews: [.ko: ko.overview, .en: en.overview], demos: ko.demos.map(\.id), minutes: ko.minutes, hasQuiz: hasQuiz,
            quizPassPercent: ko.quizPass?.percent ?? LessonRequirements.defaultPassPercent,
            labSteps: (try? SourceFile.read(path(folder, "lab.yaml")).get()).map(LabStepCount.count) ?? 0)
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
                        message: "unknown demo '\(Diagnostic.quoted(demo.id))' in demos:; known demos: \(knownList)"))
            }
        }
        guard let ko = matters[.ko], let en = matters[.en] else { return result }
        let enFile = "\(folder)/lesson.en.md"
        if ko.id != en.id {
            result.append(
                Diagnostic(
                    file: enFile, line: en.idLine,
                    message: "id '\(Diagnostic.quoted(en.id))' differs from lesson.ko.md's '\(Diagnostic.quoted(ko.id))'"))
        }
        if ko.quizPass?.percent != en.quizPass?.percent {
            let shown = { (matter: FrontMatter) in matter.quizPass.map { "\($0.percent)" } ?? "none" }
            result.append(
                Diagnostic(
                    file: enFile, line: en.quizPass?.line ?? en.idLine,
                    message: "quiz_pass \(shown(en)) differs from lesson.ko.md's \(shown(ko)); the pass mark must agree"))
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

    /// Whether the bytes hold a second `---` line (a cut in the middle of a
    /// character is harmless: the front matter ends before it).
    private static func closesFrontMatter(_ bytes: [UInt8]) -> Bool {
        // Bytes, not Strings: this runs on every chunk of every lesson read at start-up.
        let blank: Set<UInt8> = [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")]
        let dash = UInt8(ascii: "-")
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().makeIterator()
        guard lines.next() != nil else { return false }
        while let line = lines.next() {
            let start = line.firstIndex { !blank.contains($0) } ?? line.endIndex
            let end = line.lastIndex { !blank.contains($0) }.map { $0 + 1 } ?? start
            if end - start == 3 && line[start] == dash && line[start + 1] == dash && line[start + 2] == dash { return true }
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
