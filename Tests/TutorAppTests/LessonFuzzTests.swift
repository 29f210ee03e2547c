import Foundation
import Testing
import TutorApp
import TutorCore
import TutorUI

/// Thousands of generated and mutated lesson, quiz and progress files through the
/// loader (start-up's index and `lint`'s full read), the progress store, and the
/// whole interface rendered headless (issue 9): nothing crashes or hangs, every
/// diagnostic is one printable `file:line: message` at a line the file has, and
/// no screen holds a control character or a row of the wrong width.
///
/// The seed is printed; `CTUTOR_FUZZ_SEED=N` repeats a run, `CTUTOR_FUZZ_CASES=N`
/// sets its size. A case still running after two minutes stops the run, naming it.
@Suite struct LessonFuzzTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func filesOfEveryKindNeverCrashHangOrGarble() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["CTUTOR_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        let cases = environment["CTUTOR_FUZZ_CASES"].flatMap { Int($0) } ?? 1000
        print("LessonFuzzTests: seed \(seed), \(cases) cases (repeat with CTUTOR_FUZZ_SEED=\(seed))")
        var inputs = FuzzInputs(random: SeededGenerator(seed: seed))
        let corpus = try Corpus(Self.repository)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-fuzz-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let watchdog = Watchdog(limit: 120)
        defer { watchdog.stop() }
        var findings: [String] = []
        let started = Date()
        for number in 0..<cases {
            let files = corpus.files(&inputs)
            watchdog.begin("case \(number) of seed \(seed)")
            try? FileManager.default.removeItem(at: scratch)
            for (name, bytes) in files {
                let file = scratch.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: file)
            }
            let problems = Self.check(scratch, files, &inputs)
            findings += problems.map { "seed \(seed) case \(number): \($0)" }
            watchdog.end()
        }
        print("LessonFuzzTests: \(cases) cases in \(Int(Date().timeIntervalSince(started))) s")
        #expect(findings.isEmpty, "\(findings.count) findings, first: \(findings.prefix(10).joined(separator: "\n"))")
    }

    /// Loads, lints and renders one case's files; what is wrong, one line each.
    static func check(_ scratch: URL, _ files: [String: [UInt8]], _ inputs: inout FuzzInputs) -> [String] {
        var findings: [String] = []
        let loader = LessonLoader(directory: scratch.appendingPathComponent("Lessons"), knownDemos: ["uts"])
        let entries = loader.index()
        let loaded = loader.loadAll()
        for diagnostic in entries.flatMap(\.diagnostics) + loaded.flatMap(\.entry.diagnostics) {
            if let problem = Self.problem(in: diagnostic, files) { findings.append(problem) }
        }
        let store = ProgressStore(directory: scratch.appendingPathComponent("progress"))
        let progress = store.load(now: Fixture.time)
        for notice in [progress.notice, progress.unsaved].compactMap({ $0 }) {
            for text in [notice.ko, notice.en] where text.unicodeScalars.contains(where: unprintable) || text.contains("\n") {
                findings.append("progress notice not one printable line: \(Diagnostic.quoted(text, limit: 200))")
            }
        }
        let size = inputs.chance(50) ? Size(columns: 80, rows: 24) : Size(columns: inputs.int(10...240), rows: inputs.int(4...70))
        var state = AppState(
            language: inputs.chance(50) ? .ko : .en, entries: entries, progress: progress.progress,
            demoTitles: ["uts": Localized(ko: "UTS 네임스페이스", en: "UTS namespace")], size: size, now: Fixture.time)
        let keys: [Key] = [.enter, .down, .pageDown, .end, .character("l"), .pageUp, .character("t"), .enter, .escape, .character("?")]
        for key in [nil] + keys {
            if let key {
                for effect in Reducer.reduce(&state, .key(key), at: Fixture.time) {
                    if case .loadLesson(let folder) = effect {
                        _ = Reducer.reduce(&state, .lessonLoaded(loader.load(folder: folder)), at: Fixture.time)
                    }
                }
            }
            if let problem = Self.problem(in: AppView.render(state)) {
                findings.append("after \(key.map { "\($0)" } ?? "start"): \(problem)")
            }
        }
        return findings
    }

    /// A diagnostic must be one printable line naming a file of the case at a
    /// line it has (counting every line break YAML knows).
    static func problem(in diagnostic: Diagnostic, _ files: [String: [UInt8]]) -> String? {
        let text = diagnostic.description
        if text.unicodeScalars.contains(where: unprintable) { return "unprintable diagnostic: \(Diagnostic.quoted(text, limit: 200))" }
        if diagnostic.message.isEmpty || diagnostic.message.count > Diagnostic.maxMessageLength { return "bad message length: \(text)" }
        guard let bytes = files["Lessons/" + diagnostic.file] else { return "diagnostic names no file of the case: \(text)" }
        let source = String(decoding: bytes, as: UTF8.self)
        let breaks = source.unicodeScalars.filter { ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains($0) }.count
        if diagnostic.line < 1 || diagnostic.line > breaks + 2 {
            return "line \(diagnostic.line) of a file of \(breaks + 1) lines: \(text)"
        }
        return nil
    }

    /// A screen must hold no control character and draw every row at its width,
    /// as the terminal is sent it.
    static func problem(in buffer: ScreenBuffer) -> String? {
        for y in 0..<buffer.size.rows {
            var columns = 0
            for x in 0..<buffer.size.columns where !buffer[x, y].isContinuation {
                let text = buffer[x, y].terminalText
                if text.unicodeScalars.contains(where: unprintable) { return "row \(y) column \(x) holds \(Diagnostic.quoted(text))" }
                columns += text.unicodeScalars.reduce(0) { $0 + DisplayWidth.of($1) }
            }
            if columns != buffer.size.columns {
                return "row \(y) is \(columns) columns, not \(buffer.size.columns): \(Diagnostic.quoted(buffer.text(row: y), limit: 120))"
            }
        }
        return nil
    }

    static func unprintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator, .surrogate: return true
        default: return (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
        }
    }
}

/// The files a case starts from: the shipped lessons and quizzes, and progress
/// files of every shipped format.
struct Corpus {
    var lessons: [[UInt8]] = []
    var quizzes: [[UInt8]] = []
    var progress: [[UInt8]] = []

    init(_ repository: URL) throws {
        let lessonsDirectory = repository.appendingPathComponent("Lessons")
        for folder in try FileManager.default.contentsOfDirectory(atPath: lessonsDirectory.path).sorted() {
            let base = lessonsDirectory.appendingPathComponent(folder)
            for name in ["lesson.ko.md", "lesson.en.md"] {
                if let data = FileManager.default.contents(atPath: base.appendingPathComponent(name).path) { lessons.append(Array(data)) }
            }
            if let data = FileManager.default.contents(atPath: base.appendingPathComponent("quiz.yaml").path) {
                quizzes.append(Array(data))
            }
        }
        let fixtures = repository.appendingPathComponent("Tests/TutorCoreTests/Fixtures")
        for name in try FileManager.default.contentsOfDirectory(atPath: fixtures.path).sorted() where name.hasPrefix("progress") {
            progress.append(Array(FileManager.default.contents(atPath: fixtures.appendingPathComponent(name).path) ?? Data()))
        }
        guard !lessons.isEmpty, !quizzes.isEmpty, !progress.isEmpty else { throw CocoaError(.fileNoSuchFile) }
    }

    /// One case: a lesson folder and maybe a progress file, by path under the scratch directory.
    func files(_ inputs: inout FuzzInputs) -> [String: [UInt8]] {
        var ko = lessons.randomElement(using: &inputs.random)!
        var en = lessons.randomElement(using: &inputs.random)!
        var quiz: [UInt8]? = inputs.chance(70) ? quizzes.randomElement(using: &inputs.random)! : nil
        switch inputs.int(0...3) {
        case 0:
            ko = inputs.mutate(ko)
            if inputs.chance(50) { en = inputs.mutate(en) }
        case 1:
            ko = inputs.lesson()
            en = inputs.chance(50) ? inputs.lesson() : ko
        case 2:
            quiz = inputs.mutate(quiz ?? quizzes[0])
        default:
            let victim = inputs.int(0...2)
            let bytes = inputs.piece()
            if victim == 0 { ko = bytes } else if victim == 1 { en = bytes } else { quiz = bytes }
        }
        var files = ["Lessons/01-fuzz/lesson.ko.md": ko, "Lessons/01-fuzz/lesson.en.md": en]
        if let quiz { files["Lessons/01-fuzz/quiz.yaml"] = quiz }
        if inputs.chance(40) {
            let base = progress.randomElement(using: &inputs.random)!
            files["progress/progress.json"] = inputs.chance(80) ? inputs.mutate(base) : inputs.piece()
        }
        return files
    }
}

/// Stops the run when one case takes far longer than any should: a hang is named
/// with its case and seed instead of stalling the suite without a word.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var label: String?
    private var since = Date()
    private var running = true

    init(limit: TimeInterval) {
        Thread.detachNewThread { [self] in
            while true {
                sleep(1)
                lock.lock()
                defer { lock.unlock() }
                guard running else { return }
                if let label, Date().timeIntervalSince(since) > limit {
                    fatalError("LessonFuzzTests watchdog: \(label) still running after \(Int(limit)) s")
                }
            }
        }
    }

    func begin(_ label: String) {
        lock.lock()
        self.label = label
        since = Date()
        lock.unlock()
    }

    func end() {
        lock.lock()
        label = nil
        lock.unlock()
    }

    func stop() {
        lock.lock()
        running = false
        lock.unlock()
    }
}
