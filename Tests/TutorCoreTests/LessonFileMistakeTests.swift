import Foundation
import Testing

@testable import TutorCore

/// The mistakes a teacher makes in lesson files (issue 9): each is found, named at
/// its line in one printable line, and the rest of the lesson still works.
@Suite struct LessonFileMistakeTests {
    static func lesson(id: String = "sample", title: String = "T", body: String = "# H\n\nText.\n") -> String {
        "---\nid: \(id)\ntitle: \(title)\nsummary: s\nobjectives:\n  - o\ndemos: [uts]\n---\n\(body)"
    }

    static func folder(_ dir: TempDirectory, _ name: String, ko: String, en: String? = nil) throws {
        try dir.write("\(name)/lesson.ko.md", ko)
        try dir.write("\(name)/lesson.en.md", en ?? ko)
    }

    static func loader(_ dir: TempDirectory) -> LessonLoader { LessonLoader(directory: dir.url, knownDemos: ["uts"]) }

    /// A lesson saved on Windows: a byte order mark and CRLF line ends.
    @Test func crlfAndByteOrderMarkAreAccepted() throws {
        let dir = try TempDirectory()
        let windows =
            "\u{FEFF}"
            + Self.lesson(id: "win", body: "# H\r\n\r\n```\r\ncode\r\n```\r\n\r\nText.\r\n").replacingOccurrences(of: "\n", with: "\r\n")
            .replacingOccurrences(of: "\r\r\n", with: "\r\n")
        try Self.folder(dir, "01-win", ko: windows)
        try dir.write("01-win/quiz.yaml", "\u{FEFF}" + QuizTests.good.replacingOccurrences(of: "\n", with: "\r\n"))
        let loader = Self.loader(dir)
        #expect(loader.index()[0].diagnostics.isEmpty, "\(loader.index()[0].diagnostics)")
        let loaded = loader.load(folder: "01-win")
        #expect(loaded.entry.diagnostics.isEmpty, "\(loaded.entry.diagnostics)")
        let lesson = try #require(loaded.lesson)
        #expect(lesson.text(.ko).title == "T")
        #expect(
            lesson.text(.ko).blocks == [
                .heading(level: 1, [InlineRun("H")]), .code(language: "", lines: ["code"]), .paragraph([InlineRun("Text.")]),
            ])
        #expect(lesson.quiz?.questions.count == 3)
    }

    /// A mistake in a CRLF file is reported at the same line as in an LF one.
    @Test func crlfKeepsLineNumbers() throws {
        let dir = try TempDirectory()
        let text = Self.lesson(id: "Bad Id").replacingOccurrences(of: "\n", with: "\r\n")
        try Self.folder(dir, "01-x", ko: text)
        #expect(
            Self.loader(dir).load(folder: "01-x").entry.diagnostics.first?.description
                == "01-x/lesson.ko.md:2: id 'Bad Id' must use lowercase letters, digits and dashes")
    }

    /// A folder copied as a template keeps its id: the first keeps it, the copy is
    /// broken with a diagnostic naming both files, so they never share progress.
    @Test func duplicateIdsKeepTheFirstAndMarkTheOther() throws {
        let dir = try TempDirectory()
        try Self.folder(dir, "01-first", ko: Self.lesson(id: "same"))
        try Self.folder(
            dir, "02-copy",
            ko: ["---", "# a comment", "id: same", "title: T", "summary: s", "demos: [uts]", "---", "# H"].joined(separator: "\n"))
        let expected =
            "02-copy/lesson.ko.md:3: id 'same' is already used by 01-first/lesson.ko.md:2; give this lesson its own id (progress is kept by id)"
        let loader = Self.loader(dir)
        for entries in [loader.index(), loader.loadAll().map(\.entry)] {
            #expect(entries.map { $0.info != nil } == [true, false])
            #expect(entries[1].diagnostics.map(\.description) == [expected])
        }
        #expect(loader.loadAll()[1].lesson == nil)
    }

    /// Errors in the front matter: at the line of the mistake, the same line at
    /// start-up (the quick reader) and when the lesson is opened (Yams).
    @Test(arguments: [
        ("id: sample\ntitle: T\nsummary: s\nminutes: ten\n", "5: 'minutes' must be a positive number"),
        ("id: sample\ntitle: T\nsummary: s\nobjectives: yes\n", "5: 'objectives' must be a list"),
        ("id: sample\ntitle: T\nsummary: s\ncolour: red\n", "5: warning: unknown front matter key 'colour'"),
        ("id: sample\ntitle: \"two\n  lines\"\nsummary: s\nminutes: 0\n", "6: 'minutes' must be a positive number"),
        ("id: sample\ntitle: T\nsummary: s\ntitle: U\n", "3: YAML: key 'title' appears more than once in this mapping"),
        ("id: sample\ntitle: T\nsummary: \u{1B}[31mred\n", "4: YAML: control characters are not allowed (character U+001B)"),
        (
            "id: sample\ntitle: [a\nsummary: s\n",
            "4: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence started on line 3)"
        ),
    ])
    func frontMatterMistakesAreAtTheirLine(yaml: String, expected: String) throws {
        let dir = try TempDirectory()
        try Self.folder(dir, "01-x", ko: "---\n\(yaml)demos: [uts]\n---\n# H\n")
        let loader = Self.loader(dir)
        let atStart = loader.index(folder: "01-x").diagnostics.first { $0.file.hasSuffix("ko.md") }
        let opened = loader.load(folder: "01-x").entry.diagnostics.first { $0.file.hasSuffix("ko.md") }
        #expect(opened?.description == "01-x/lesson.ko.md:" + expected)
        #expect(atStart?.description == opened?.description)
    }

    /// Every diagnostic is one line of printable text, however wild the file.
    @Test func diagnosticsAreOnePrintableLine() throws {
        let wild = "\u{1B}[2J\u{7}\n\r\u{202E}gnp.exe" + String(repeating: "x", count: 5000)
        let diagnostic = Diagnostic(file: "01-x/\nlesson.ko.md", line: 0, message: "id '\(wild)'")
        #expect(diagnostic.line == 1)
        #expect(diagnostic.description.count <= 2 * Diagnostic.maxMessageLength)
        #expect(diagnostic.description.unicodeScalars.allSatisfy { !Self.unprintable($0) }, "\(diagnostic)")
        #expect(diagnostic.message.hasPrefix("id '\\x1b[2J\\x07\\n\\r\\u{202E}gnp.exe"))
        #expect(Diagnostic.quoted(String(repeating: "y", count: 100)).count == 60)

        let dir = try TempDirectory()
        try Self.folder(
            dir, "01-x", ko: Self.lesson(id: "x\u{1B}]0;pwned\u{7}" + String(repeating: "z", count: 400), body: ":::\u{1B}[31mred\n"))
        let all = Self.loader(dir).loadAll().flatMap(\.entry.diagnostics)
        #expect(!all.isEmpty)
        for problem in all {
            #expect(problem.description.unicodeScalars.allSatisfy { !Self.unprintable($0) }, "\(problem)")
            #expect(problem.message.count <= Diagnostic.maxMessageLength)
        }
    }

    static func unprintable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) || [0x2028, 0x2029, 0x202E, 0xFEFF].contains(scalar.value)
    }

    /// `quiz.yaml` that is not a file is an error at that path, not "no quiz";
    /// a FIFO is not waited on.
    @Test func aQuizThatIsNoFileIsReported() throws {
        let dir = try TempDirectory()
        try Self.folder(dir, "01-dir", ko: Self.lesson(id: "dir"))
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("01-dir/quiz.yaml"), withIntermediateDirectories: true)
        try Self.folder(dir, "02-fifo", ko: Self.lesson(id: "fifo"))
        #expect(mkfifo(dir.url.appendingPathComponent("02-fifo/quiz.yaml").path, 0o600) == 0)
        try Self.folder(dir, "03-device", ko: Self.lesson(id: "device"))
        try FileManager.default.createSymbolicLink(
            atPath: dir.url.appendingPathComponent("03-device/quiz.yaml").path, withDestinationPath: "/dev/zero")
        let loaded = Self.loader(dir).loadAll()
        #expect(
            loaded.map { $0.entry.diagnostics.map(\.description) } == [
                ["01-dir/quiz.yaml:1: quiz.yaml is a directory, not a file"],
                ["02-fifo/quiz.yaml:1: quiz.yaml is a FIFO, not a file"],
                ["03-device/quiz.yaml:1: quiz.yaml is a device, not a file"],
            ])
        #expect(loaded.allSatisfy { $0.lesson != nil && $0.lesson?.quiz == nil && $0.lesson?.info.hasQuiz == true })
    }

    /// One mistake in the quiz leaves the lesson's text readable; the quiz is
    /// marked broken with its reasons.
    @Test func aBrokenQuizLeavesTheLessonReadable() throws {
        let dir = try TempDirectory()
        try Self.folder(dir, "01-x", ko: Self.lesson(id: "x"))
        try dir.write("01-x/quiz.yaml", QuizTests.good.replacingOccurrences(of: "answer: 1", with: "answer: 9"))
        let loaded = Self.loader(dir).load(folder: "01-x")
        let lesson = try #require(loaded.lesson)
        #expect(lesson.text(.ko).blocks.count == 2)
        #expect(lesson.quiz == nil)
        #expect(loaded.entry.info != nil)
        #expect(loaded.entry.quizProblems.count == 1)
        #expect(loaded.entry.quizProblems.first?.file == "01-x/quiz.yaml")
        #expect(loaded.entry.diagnostics == loaded.entry.quizProblems)
    }

    /// A list written all indented (398 lines of one block once gave 398 warnings)
    /// is one warning, at its first nested line.
    @Test func aNestedListIsOneWarning() {
        let lines = ["- top"] + (1...398).map { "  - nested \($0)" }
        let (_, diagnostics) = MarkdownParser(file: "f.md").parse(lines, firstLine: 10)
        #expect(diagnostics.map(\.description) == ["f.md:11: warning: nested lists are not supported; keep list items at the left margin"])
    }
}

/// Lines no editor would save but a fuzzer does (issue 9).
@Suite struct HugeLineTests {
    /// A line of fifty thousand unclosed links is read once: the search for the
    /// closing mark used to start again from every opening one.
    @Test(arguments: ["[", "[x](", "a ** b `"])
    func aHugeLineOfUnclosedMarkupKeepsItsText(_ unit: String) {
        let line = String(repeating: unit, count: 50_000) + "[end"
        let (runs, _) = InlineParser.parse(line)
        #expect(runs.plainText.hasSuffix("[end"))
        #expect(runs.allSatisfy { $0.kind != .link(url: "") })
    }
}
