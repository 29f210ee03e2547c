import Foundation
import Testing

@testable import TutorCore

@Suite struct LessonLoaderTests {
    static func lesson(_ title: String, id: String = "sample", demos: String = "[uts]", body: String = "# 제목\n\n본문.\n\n:::demo uts")
        -> String
    {
        """
        ---
        id: \(id)
        title: \(title)
        summary: s
        objectives:
          - o
        demos: \(demos)
        minutes: 5
        ---
        \(body)
        """
    }

    @Test func loadsAGoodLessonWithItsQuiz() throws {
        let dir = try TempDirectory()
        try dir.write("01-sample/lesson.ko.md", Self.lesson("견본"))
        try dir.write("01-sample/lesson.en.md", Self.lesson("Sample"))
        try dir.write("01-sample/quiz.yaml", QuizTests.good)
        try dir.write("notes.txt", "not a lesson")
        let entries = LessonLoader(directory: dir.url, knownDemos: ["uts"]).loadAll()
        #expect(entries.count == 1)
        let lesson = try #require(entries.first?.lesson)
        #expect(lesson.id == "sample")
        #expect(lesson.text(.ko).title == "견본")
        #expect(lesson.text(.en).title == "Sample")
        #expect(lesson.demos == ["uts"])
        #expect(lesson.quiz?.questions.count == 3)
        #expect(entries[0].diagnostics.isEmpty, "\(entries[0].diagnostics)")
    }

    @Test func brokenLessonsAreListedWithReasonsAndTheRestStillLoad() throws {
        let dir = try TempDirectory()
        try dir.write("01-good/lesson.ko.md", Self.lesson("좋음", id: "good"))
        try dir.write("01-good/lesson.en.md", Self.lesson("Good", id: "good"))
        try dir.write("02-no-english/lesson.ko.md", Self.lesson("영어 없음", id: "no-english"))
        try dir.write("03-bad-yaml/lesson.ko.md", "---\nid: bad\ntitle: [oops\n---\n# x")
        try dir.write("03-bad-yaml/lesson.en.md", Self.lesson("Bad", id: "bad"))
        try dir.write("04-unknown-demo/lesson.ko.md", Self.lesson("데모", id: "unknown-demo", demos: "[warp]"))
        try dir.write("04-unknown-demo/lesson.en.md", Self.lesson("Demo", id: "unknown-demo", demos: "[warp]"))
        try dir.write("05-bad-quiz/lesson.ko.md", Self.lesson("퀴즈", id: "bad-quiz"))
        try dir.write("05-bad-quiz/lesson.en.md", Self.lesson("Quiz", id: "bad-quiz"))
        try dir.write("05-bad-quiz/quiz.yaml", "questions: 3\n")

        let entries = LessonLoader(directory: dir.url, knownDemos: ["uts"]).loadAll()
        #expect(entries.map(\.folder) == ["01-good", "02-no-english", "03-bad-yaml", "04-unknown-demo", "05-bad-quiz"])
        #expect(entries[0].lesson != nil)
        #expect(entries[1].lesson == nil)
        #expect(
            entries[1].diagnostics.map(\.description) == [
                "02-no-english/lesson.en.md:1: missing lesson.en.md: every lesson needs both lesson.ko.md and lesson.en.md"
            ])
        #expect(entries[2].lesson == nil)
        #expect(entries[2].diagnostics.first?.file == "03-bad-yaml/lesson.ko.md")
        #expect(entries[2].diagnostics.first?.line == 4)
        #expect(entries[2].diagnostics.first?.message.hasSuffix("started on line 3)") == true)
        #expect(entries[3].lesson == nil)
        #expect(
            entries[3].diagnostics.map(\.description).contains(
                "04-unknown-demo/lesson.ko.md:7: unknown demo 'warp' in demos:; known demos: uts"))
        #expect(entries[4].lesson == nil)
        #expect(entries[4].diagnostics.map(\.description) == ["05-bad-quiz/quiz.yaml:1: expected a non-empty 'questions:' list"])
    }

    @Test func missingFrontMatterIsAnError() throws {
        let dir = try TempDirectory()
        try dir.write("01-x/lesson.ko.md", "# no front matter")
        try dir.write("01-x/lesson.en.md", Self.lesson("X", id: "x"))
        let entry = LessonLoader(directory: dir.url, knownDemos: ["uts"]).load(folder: "01-x")
        #expect(entry.lesson == nil)
        #expect(entry.diagnostics.first?.line == 1)
        #expect(entry.diagnostics.first?.file == "01-x/lesson.ko.md")
    }

    @Test func languagesOutOfParityAreWarned() throws {
        let dir = try TempDirectory()
        try dir.write("01-x/lesson.ko.md", Self.lesson("엑스", id: "x"))
        try dir.write("01-x/lesson.en.md", Self.lesson("X", id: "x", body: "# Title\n\nBody."))
        let entry = LessonLoader(directory: dir.url, knownDemos: ["uts"]).load(folder: "01-x")
        #expect(entry.lesson != nil)
        #expect(entry.warnings.count == 1)
        #expect(entry.warnings.first?.message.hasPrefix("structure differs from lesson.ko.md") == true)
    }

    /// The lessons that ship must load cleanly, in both languages.
    @Test func shippedLessonsAreClean() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Lessons")
        // The demo ids of the engine's catalog (this module does not depend on the engine).
        let demos: Set<String> = ["os", "process", "threads", "pid", "uts", "ipc", "mnt", "net", "user", "cgroup", "time", "namespaces"]
        let entries = LessonLoader(directory: root, knownDemos: demos).loadAll()
        #expect(!entries.isEmpty)
        for entry in entries {
            #expect(entry.diagnostics.isEmpty, "\(entry.folder): \(entry.diagnostics)")
            #expect(entry.lesson != nil)
        }
        let uts = try #require(entries.first { $0.id == "uts-namespace" }?.lesson)
        #expect(uts.demos == ["uts"])
        #expect(uts.text(.ko).blocks.count == uts.text(.en).blocks.count)
        #expect((uts.quiz?.questions.count ?? 0) >= 4)
    }
}
