import Foundation
import Testing

@testable import TutorCore

/// `quiz_pass:` in the front matter and the lab's step count: what makes a lesson
/// done, read at start-up with the rest of the front matter.
@Suite struct LessonPassMarkTests {
    static func lesson(_ title: String, passLine: String) -> String {
        LessonLoaderTests.lesson(title).replacingOccurrences(of: "minutes: 5", with: "minutes: 5\n" + passLine)
    }

    static func folder(ko: String, en: String, lab: String? = nil) throws -> TempDirectory {
        let dir = try TempDirectory()
        try dir.write("01-sample/lesson.ko.md", Self.lesson("견본", passLine: ko))
        try dir.write("01-sample/lesson.en.md", Self.lesson("Sample", passLine: en))
        try dir.write("01-sample/quiz.yaml", QuizTests.good)
        if let lab { try dir.write("01-sample/lab.yaml", lab) }
        return dir
    }

    @Test func theLessonsPassMarkDecidesWhenItsQuizIsPassed() throws {
        let dir = try Self.folder(ko: "quiz_pass: 100", en: "quiz_pass: 100")
        let loader = LessonLoader(directory: dir.url, knownDemos: ["uts"])
        let info = try #require(loader.index()[0].info)
        #expect(info.quizPassPercent == 100)
        #expect(loader.load(folder: "01-sample").lesson?.info == info)
        var progress = LessonProgress()
        progress.finishedReading = true
        progress.demoRuns = 1
        progress.quizBest = 2
        progress.quizTotal = 3
        #expect(progress.status(info.requirements) == .started)
        progress.quizBest = 3
        #expect(progress.status(info.requirements) == .done)
    }

    @Test func withoutAPassMarkTheDefaultApplies() throws {
        let dir = try TempDirectory()
        try dir.write("01-sample/lesson.ko.md", LessonLoaderTests.lesson("견본"))
        try dir.write("01-sample/lesson.en.md", LessonLoaderTests.lesson("Sample"))
        let info = try #require(LessonLoader(directory: dir.url, knownDemos: ["uts"]).index()[0].info)
        #expect(info.quizPassPercent == LessonRequirements.defaultPassPercent)
        #expect(info.labSteps == 0)
    }

    @Test(arguments: ["quiz_pass: 0", "quiz_pass: 101", "quiz_pass: seventy", "quiz_pass: \"70\""])
    func aPassMarkOutsideOneToAHundredIsAnErrorWithItsLine(line: String) throws {
        let dir = try Self.folder(ko: line, en: "quiz_pass: 70")
        let entry = LessonLoader(directory: dir.url, knownDemos: ["uts"]).index()[0]
        #expect(entry.info == nil)
        #expect(
            entry.diagnostics.map(\.description).contains(
                "01-sample/lesson.ko.md:9: 'quiz_pass' must be a percent from 1 to 100, like quiz_pass: 70"), "\(entry.diagnostics)")
    }

    @Test func theTwoLanguagesMustAgreeOnThePassMark() throws {
        let dir = try Self.folder(ko: "quiz_pass: 70", en: "quiz_pass: 80")
        let loaded = LessonLoader(directory: dir.url, knownDemos: ["uts"]).load(folder: "01-sample")
        #expect(loaded.lesson == nil)
        #expect(
            loaded.entry.diagnostics.map(\.description) == [
                "01-sample/lesson.en.md:9: quiz_pass 80 differs from lesson.ko.md's 70; the pass mark must agree"
            ])
    }

    @Test func theLabsStepsAreCounted() throws {
        let lab = """
            id: uts-lab
            title:
              ko: 실습
              en: Lab
            steps:
              # the first step
              - id: make
                check: {kind: file}
                hints:
                  - id: not-a-step
              - id: name
              - id: compare
            after: 1
            """
        #expect(LabStepCount.count(lab) == 3)
        #expect(LabStepCount.count("steps:\n- id: a\n- id: b\nother:\n  - id: c\n") == 2)
        #expect(LabStepCount.count("title: no steps\n") == 0)
        let dir = try Self.folder(ko: "quiz_pass: 70", en: "quiz_pass: 70", lab: lab)
        #expect(LessonLoader(directory: dir.url, knownDemos: ["uts"]).index()[0].info?.labSteps == 3)
    }
}
