import Foundation
import Testing

/// `ctutor lint` as a teacher uses it (issue 9): errors and warnings told apart,
/// a summary line, and the exit status a script can rely on.
@Suite(.enabled(if: Binary.available, Binary.missingReason))
struct LintCommandTests {
    private let environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": NSTemporaryDirectory()]

    private func lessons(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-lint-\(UUID().uuidString)")
        for (path, text) in files {
            let file = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
        return dir
    }

    private static func lesson(id: String, body: String) -> String {
        "---\nid: \(id)\ntitle: T\nsummary: s\nobjectives:\n  - o\ndemos: [uts]\n---\n\(body)"
    }

    /// A nested list is one warning, not one per line; warnings alone exit 0, and
    /// 1 with --strict.
    @Test func warningsAloneExitZeroUnlessStrict() throws {
        let nested = "# H\n\n- a\n" + (1...50).map { "  - nested \($0)\n" }.joined()
        let dir = try lessons([
            "01-nested/lesson.ko.md": Self.lesson(id: "nested", body: nested),
            "01-nested/lesson.en.md": Self.lesson(id: "nested", body: nested),
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try run(Binary.path!, ["lint", dir.path], environment: environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2, "\(result.stdout)")
        #expect(lines.allSatisfy { $0.hasSuffix(":12: warning: nested lists are not supported; keep list items at the left margin") })
        #expect(result.stderr.contains("ctutor lint: 1 lesson checked: 0 errors, 2 warnings"))
        let strict = try run(Binary.path!, ["lint", "--strict", dir.path], environment: environment)
        #expect(strict.status == 1)
    }

    /// Errors exit 1 and are counted apart from warnings; two folders with one id
    /// are named, both files at their lines; a directory named quiz.yaml is an error.
    @Test func errorsExitOneWithASummary() throws {
        let dir = try lessons([
            "01-first/lesson.ko.md": Self.lesson(id: "same", body: "# H\n"),
            "01-first/lesson.en.md": Self.lesson(id: "same", body: "# H\n"),
            "02-copy/lesson.ko.md": Self.lesson(id: "same", body: "# H\n"), "02-copy/lesson.en.md": Self.lesson(id: "same", body: "# H\n"),
            "03-quiz/lesson.ko.md": Self.lesson(id: "quiz", body: "# H\n"), "03-quiz/lesson.en.md": Self.lesson(id: "quiz", body: "# H\n"),
            "03-quiz/quiz.yaml/keep": "",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try run(Binary.path!, ["lint", dir.path], environment: environment)
        #expect(result.status == 1)
        #expect(result.stdout.contains("02-copy/lesson.ko.md:2: id 'same' is already used by 01-first/lesson.ko.md:2"), "\(result.stdout)")
        #expect(result.stdout.contains("03-quiz/quiz.yaml:1: quiz.yaml is a directory, not a file"), "\(result.stdout)")
        #expect(result.stderr.contains("ctutor lint: 3 lessons checked: 2 errors, 0 warnings"), "\(result.stderr)")
    }
}
