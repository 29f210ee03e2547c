import Foundation

/// Loads lessons from a directory at run time, so a teacher can add or edit one
/// without recompiling. Layout: `Lessons/NN-slug/lesson.ko.md`, `lesson.en.md`,
/// and optionally `quiz.yaml`. A broken lesson is returned as broken, never thrown.
public struct LessonLoader {
    public let directory: URL
    /// Demo ids the engine can run; `:::demo` and `demos:` must name one of them.
    public let knownDemos: Set<String>

    public init(directory: URL, knownDemos: Set<String>) {
        self.directory = directory
        self.knownDemos = knownDemos
    }

    /// Every lesson folder in order of its name.
    public func loadAll() -> [LessonEntry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter(Self.isLessonFolder).sorted().map { load(folder: $0) }
    }

    /// A lesson folder's name starts with a number: `04-uts-namespace`.
    static func isLessonFolder(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isNumber, name.contains("-") else { return false }
        return true
    }

    public func load(folder: String) -> LessonEntry {
        let base = directory.appendingPathComponent(folder)
        var errors: [Diagnostic] = []
        var warnings: [Diagnostic] = []
        func sort(_ diagnostics: [Diagnostic]) {
            errors += diagnostics.filter { $0.severity == .error }
            warnings += diagnostics.filter { $0.severity == .warning }
        }

        var texts: [Language: LessonText] = [:]
        var frontMatters: [Language: FrontMatter] = [:]
        for language in Language.allCases {
            let name = "lesson.\(language.rawValue).md"
            let path = "\(folder)/\(name)"
            guard let source = Self.read(base.appendingPathComponent(name)) else {
                errors.append(
                    Diagnostic(file: path, line: 1, message: "missing \(name): every lesson needs both lesson.ko.md and lesson.en.md"))
                continue
            }
            let (parsed, diagnostics) = LessonFileParser.parse(source, file: path)
            sort(diagnostics)
            if let parsed {
                texts[language] = parsed.text
                frontMatters[language] = parsed.frontMatter
                for (line, id) in parsed.demoLines where !knownDemos.contains(id) {
                    errors.append(
                        Diagnostic(
                            file: path, line: line,
                            message: "unknown demo '\(id)'; known demos: \(knownDemos.sorted().joined(separator: ", "))"))
                }
            }
        }
        if let ko = frontMatters[.ko], let en = frontMatters[.en] {
            sort(Self.parity(ko: ko, en: en, koText: texts[.ko]!, enText: texts[.en]!, folder: folder))
        }
        for (language, matter) in frontMatters {
            for demo in matter.demos where !knownDemos.contains(demo.id) {
                errors.append(
                    Diagnostic(
                        file: "\(folder)/lesson.\(language.rawValue).md", line: demo.line,
                        message: "unknown demo '\(demo.id)' in demos:; known demos: \(knownDemos.sorted().joined(separator: ", "))"))
            }
        }

        var quiz: Quiz?
        if let source = Self.read(base.appendingPathComponent("quiz.yaml")) {
            let (parsed, diagnostics) = Quiz.parse(source, file: "\(folder)/quiz.yaml")
            sort(diagnostics)
            quiz = parsed
        }

        guard errors.isEmpty, let ko = frontMatters[.ko] else {
            return LessonEntry(folder: folder, state: .broken(errors), warnings: warnings)
        }
        let lesson = Lesson(id: ko.id, texts: texts, demos: ko.demos.map(\.id), minutes: ko.minutes, quiz: quiz)
        return LessonEntry(folder: folder, state: .ready(lesson), warnings: warnings)
    }

    private static func read(_ url: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The two languages must describe the same lesson.
    private static func parity(ko: FrontMatter, en: FrontMatter, koText: LessonText, enText: LessonText, folder: String) -> [Diagnostic] {
        let enFile = "\(folder)/lesson.en.md"
        var result: [Diagnostic] = []
        if ko.id != en.id {
            result.append(Diagnostic(file: enFile, line: en.idLine, message: "id '\(en.id)' differs from lesson.ko.md's '\(ko.id)'"))
        }
        if ko.demos.map(\.id) != en.demos.map(\.id) {
            result.append(
                Diagnostic(file: enFile, line: en.demos.first?.line ?? 1, message: "demos differ from lesson.ko.md's", severity: .warning))
        }
        if koText.objectives.count != enText.objectives.count {
            result.append(
                Diagnostic(
                    file: enFile, line: 1, message: "\(enText.objectives.count) objectives, lesson.ko.md has \(koText.objectives.count)",
                    severity: .warning))
        }
        let koShape = koText.blocks.map(\.shape)
        let enShape = enText.blocks.map(\.shape)
        if koShape != enShape {
            result.append(
                Diagnostic(
                    file: enFile, line: 1,
                    message:
                        "structure differs from lesson.ko.md (\(enShape.count) blocks vs \(koShape.count)); keep the languages in parity",
                    severity: .warning))
        }
        return result
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
