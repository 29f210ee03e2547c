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
        let loader = LessonLoader(directory: dir.url, knownDemos: ["uts"])
        let entries = loader.loadAll()
        #expect(entries.count == 1)
        let lesson = try #require(entries.first?.lesson)
        #expect(lesson.id == "sample")
        #expect(lesson.text(.ko).title == "견본")
        #expect(lesson.text(.en).title == "Sample")
        #expect(lesson.demos == ["uts"])
        #expect(lesson.quiz?.questions.count == 3)
        #expect(entries[0].entry.diagnostics.isEmpty, "\(entries[0].entry.diagnostics)")
        // The menu's view of it: front matter only, the same facts.
        let index = loader.index()
        #expect(index.map(\.info) == [lesson.info])
        #expect(index[0].info?.overview(.ko) == LessonOverview(title: "견본", summary: "s", objectives: ["o"]))
        #expect(index[0].info?.hasQuiz == true)
        #expect(index[0].info?.minutes == 5)
    }

    /// Start-up reads front matter only: a broken body or quiz shows when the
    /// lesson is opened (and in lint), a broken front matter at once.
    @Test func theIndexReadsFrontMatterOnlyAndOpeningFindsTheRest() throws {
        let dir = try TempDirectory()
        try dir.write("01-bad-body/lesson.ko.md", Self.lesson("본문", id: "bad-body", body: "# x\n\n```\nnever closed"))
        try dir.write("01-bad-body/lesson.en.md", Self.lesson("Body", id: "bad-body"))
        try dir.write("02-bad-quiz/lesson.ko.md", Self.lesson("퀴즈", id: "bad-quiz"))
        try dir.write("02-bad-quiz/lesson.en.md", Self.lesson("Quiz", id: "bad-quiz"))
        try dir.write("02-bad-quiz/quiz.yaml", "questions: 3\n")
        try dir.write("03-bad-front/lesson.ko.md", Self.lesson("앞", id: "Bad Id"))
        try dir.write("03-bad-front/lesson.en.md", Self.lesson("Front", id: "Bad Id"))
        let loader = LessonLoader(directory: dir.url, knownDemos: ["uts"])
        let index = loader.index()
        #expect(index.map { $0.info != nil } == [true, true, false])
        #expect(
            index[2].diagnostics.first?.description
                == "03-bad-front/lesson.ko.md:2: id 'Bad Id' must use lowercase letters, digits and dashes")
        let body = loader.load(folder: "01-bad-body")
        #expect(body.lesson == nil)
        #expect(
            body.entry.diagnostics.filter { $0.severity == .error }.map(\.description) == [
                "01-bad-body/lesson.ko.md:12: code block opened here is never closed with ```"
            ])
        // A broken quiz leaves the lesson readable, without its quiz.
        let quiz = loader.load(folder: "02-bad-quiz")
        #expect(quiz.lesson != nil)
        #expect(quiz.lesson?.quiz == nil)
        #expect(quiz.entry.quizProblems.count == 1)
        #expect(quiz.entry.diagnostics.map(\.description) == ["02-bad-quiz/quiz.yaml:1: expected a non-empty 'questions:' list"])
    }

    /// Start-up reads a lesson file's first 8 KB; a longer front matter is read whole.
    @Test func aFrontMatterLongerThanTheFirstReadIsReadWhole() throws {
        let dir = try TempDirectory()
        let long = String(repeating: "네임스페이스 ", count: 1500)
        try dir.write(
            "01-long/lesson.ko.md", Self.lesson("긴 요약", id: "long").replacingOccurrences(of: "summary: s", with: "summary: \(long)"))
        try dir.write("01-long/lesson.en.md", Self.lesson("Long", id: "long"))
        let entry = LessonLoader(directory: dir.url, knownDemos: ["uts"]).index(folder: "01-long")
        #expect(entry.diagnostics.isEmpty, "\(entry.diagnostics)")
        #expect(entry.info?.overview(.ko).summary.count == long.count - 1)
        #expect(entry.info?.minutes == 5)
    }

    @Test func lessonsAreInCourseOrderByNumber() throws {
        let dir = try TempDirectory()
        for (folder, id) in [("10-ten", "ten"), ("2-two", "two"), ("01-one", "one")] {
            try dir.write("\(folder)/lesson.ko.md", Self.lesson(id, id: id))
            try dir.write("\(folder)/lesson.en.md", Self.lesson(id, id: id))
        }
        #expect(LessonLoader(directory: dir.url, knownDemos: ["uts"]).folders() == ["01-one", "2-two", "10-ten"])
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

        let entries = LessonLoader(directory: dir.url, knownDemos: ["uts"]).loadAll().map(\.entry)
        #expect(entries.map(\.folder) == ["01-good", "02-no-english", "03-bad-yaml", "04-unknown-demo", "05-bad-quiz"])
        #expect(entries[0].info != nil)
        #expect(entries[1].info == nil)
        #expect(
            entries[1].diagnostics.map(\.description) == [
                "02-no-english/lesson.en.md:1: missing lesson.en.md: every lesson needs both lesson.ko.md and lesson.en.md"
            ])
        #expect(entries[2].info == nil)
        #expect(entries[2].diagnostics.first?.file == "03-bad-yaml/lesson.ko.md")
        #expect(entries[2].diagnostics.first?.line == 4)
        #expect(entries[2].diagnostics.first?.message.hasSuffix("started on line 3)") == true)
        #expect(entries[3].info == nil)
        #expect(
            entries[3].diagnostics.map(\.description).contains(
                "04-unknown-demo/lesson.ko.md:7: unknown demo 'warp' in demos:; known demos: uts"))
        #expect(entries[4].info != nil)
        #expect(entries[4].diagnostics.map(\.description) == ["05-bad-quiz/quiz.yaml:1: expected a non-empty 'questions:' list"])
    }

    @Test func missingFrontMatterIsAnError() throws {
        let dir = try TempDirectory()
        try dir.write("01-x/lesson.ko.md", "# no front matter")
        try dir.write("01-x/lesson.en.md", Self.lesson("X", id: "x"))
        let entry = LessonLoader(directory: dir.url, knownDemos: ["uts"]).load(folder: "01-x").entry
        #expect(entry.info == nil)
        #expect(entry.diagnostics.first?.line == 1)
        #expect(entry.diagnostics.first?.file == "01-x/lesson.ko.md")
    }

    @Test func languagesOutOfParityAreWarned() throws {
        let dir = try TempDirectory()
        try dir.write("01-x/lesson.ko.md", Self.lesson("엑스", id: "x"))
        try dir.write("01-x/lesson.en.md", Self.lesson("X", id: "x", body: "# Title\n\nBody."))
        let entry = LessonLoader(directory: dir.url, knownDemos: ["uts"]).load(folder: "01-x").entry
        #expect(entry.info != nil)
        #expect(entry.warnings.count == 1)
        #expect(entry.warnings.first?.message.hasPrefix("structure differs from lesson.ko.md") == true)
    }

    /// The lessons that ship must load cleanly, in both languages.
    @Test func shippedLessonsAreClean() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Lessons")
        // The demo ids of the engine's catalog (this module does not depend on the engine).
        let demos: Set<String> = [
            "os", "process", "threads", "pid", "uts", "ipc", "mnt", "net", "user", "cgroup", "time", "namespaces", "container",
            "versions", "layers", "forkbomb", "oom", "cpu", "container-net", "virt", "docker-chain",
        ]
        let entries = LessonLoader(directory: root, knownDemos: demos).loadAll()
        #expect(!entries.isEmpty)
        for loaded in entries {
            #expect(loaded.entry.diagnostics.isEmpty, "\(loaded.entry.folder): \(loaded.entry.diagnostics)")
            #expect(loaded.lesson != nil)
        }
        let uts = try #require(entries.first { $0.entry.id == "uts-namespace" }?.lesson)
        #expect(uts.demos == ["uts"])
        #expect(uts.text(.ko).blocks.count == uts.text(.en).blocks.count)
        #expect((uts.quiz?.questions.count ?? 0) >= 4)
        // The container half: five lessons, each with a demo and at least eight questions.
        for id in ["containers", "images-and-layers", "resource-limits", "container-networking", "virtualization"] {
            let lesson = try #require(entries.first { $0.entry.id == id }?.lesson, "no lesson \(id)")
            #expect(!lesson.demos.isEmpty)
            #expect((lesson.quiz?.questions.count ?? 0) >= 8, "\(id)")
        }
    }
}
