import Foundation
import Testing

@testable import TutorCore

/// Two tutors of one learner, a corrupt file twice in a second, a folder that cannot
/// be written: progress is kept, merged, or held in memory with one clear line.
@Suite struct ProgressMergeTests {
    @Test func twoTutorsRecordingAtOnceLoseNothing() async throws {
        let dir = try TempDirectory()
        let store = ProgressStore(directory: dir.url)
        // Each of 8 "tutors" started from the same empty snapshot, as two TUIs would.
        await withTaskGroup(of: Void.self) { group in
            for tutor in 0..<8 {
                group.addTask {
                    for _ in 0..<10 {
                        _ = try? store.record([.demoRan(demo: "uts", mode: "real", lessons: ["uts-namespace"])])
                    }
                    _ = try? store.record([.labStepDone(lab: "uts", lesson: "uts-namespace", step: "s\(tutor)")])
                }
            }
        }
        let merged = store.load().progress
        #expect(merged[lesson: "uts-namespace"].demoRuns == 80)
        #expect(Set(merged.labs["uts"]?.stepsDone ?? []) == Set((0..<8).map { "s\($0)" }))
    }

    @Test func recordReturnsWhatTheOtherTutorSaved() throws {
        let dir = try TempDirectory()
        let first = ProgressStore(directory: dir.url)
        let second = ProgressStore(directory: dir.url)
        try first.record([.finishedReading(lesson: "a")])
        let seen = try second.record([.languageChosen(.ko)])
        #expect(seen[lesson: "a"].finishedReading)
        #expect(seen.language == .ko)
        #expect(first.rememberedLanguage() == .ko)
    }

    @Test func twoCorruptFilesInOneSecondAreBothKept() throws {
        let dir = try TempDirectory()
        let store = ProgressStore(directory: dir.url)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try dir.write("progress.json", "first {")
        #expect(store.load(now: now).notice != nil)
        try dir.write("progress.json", "second {")
        let second = store.load(now: now)
        #expect(second.notice?.en.contains("-2") == true)
        let kept = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.contains("corrupt") }.sorted()
        #expect(kept.count == 2)
        let contents = Set(kept.map { String(decoding: FileManager.default.contents(atPath: dir.url.appendingPathComponent($0).path)!, as: UTF8.self) })
        #expect(contents == ["first {", "second {"])
    }

    @Test func aFolderWhereTheFileShouldBeKeepsProgressInMemory() throws {
        let dir = try TempDirectory()
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("progress.json"), withIntermediateDirectories: false)
        let loaded = ProgressStore(directory: dir.url).load()
        let line = try #require(loaded.unsaved)
        #expect(line.en.contains("a folder is where the file should be"))
        #expect(!line.ko.isEmpty && !line.en.contains("\n"))
        #expect(throws: ProgressStore.StoreError.self) { try ProgressStore(directory: dir.url).record([.finishedReading(lesson: "a")]) }
    }

    @Test(.enabled(if: geteuid() != 0, "root can write any folder: run as a learner to see a read-only one refused"))
    func aCorruptFileInAReadOnlyFolderIsNotLostAndNotFatal() throws {
        let dir = try TempDirectory()
        try dir.write("progress.json", "{ not json")
        chmod(dir.url.path, 0o500)
        defer { chmod(dir.url.path, 0o700) }
        let loaded = ProgressStore(directory: dir.url).load()
        #expect(loaded.progress == Progress())
        #expect(loaded.unsaved?.en.contains("in memory only") == true)
        #expect(FileManager.default.contents(atPath: dir.url.appendingPathComponent("progress.json").path) != nil)
    }

    @Test func attemptsRecordEveryAnswerAndWholeLessonScores() {
        var progress = Progress()
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let attempt = QuizAttempt(
            date: date, mode: .exam, seed: 7, wholeLessons: ["a"],
            results: [
                QuestionResult(lesson: "a", question: "q1", correct: true, answer: "2"),
                QuestionResult(lesson: "a", question: "q2", correct: false, answer: "1"),
                QuestionResult(lesson: "b", question: "q9", correct: false, answer: "x"),
            ])
        progress.apply(.quizAttempt(attempt), at: date)
        #expect(progress[lesson: "a"].quizBest == 1 && progress[lesson: "a"].quizTotal == 2 && progress[lesson: "a"].quizAttempts == 1)
        #expect(progress[lesson: "b"].quizBest == nil, "b's whole quiz was not in the attempt")
        #expect(progress[lesson: "a"].questionsToReview == ["q2"])
        #expect(progress[lesson: "b"].questionsToReview == ["q9"])
        let retry = QuizAttempt(date: date, mode: .review, wholeLessons: [], results: [QuestionResult(lesson: "a", question: "q2", correct: true)])
        progress.apply(.quizAttempt(retry), at: date)
        #expect(progress[lesson: "a"].questionsToReview.isEmpty)
        #expect(progress[lesson: "a"].questions["q2"] == QuestionRecord(right: 1, wrong: 1, lastCorrect: true, last: date))
        #expect(progress.attempts.count == 2)
    }

    @Test func anAttemptThatCannotBeReadIsLeftOutAndTheRestKept() throws {
        let dir = try TempDirectory()
        try dir.write(
            "progress.json",
            """
            {"version": 1, "lessons": {"a": {"finishedReading": true}},
             "attempts": [{"mode": "exam"}, {"date": "2026-11-30T01:00:00Z", "mode": "exam", "results": []}],
             "labs": {"uts": {"lesson": "uts-namespace", "stepsDone": ["one"]}, "bad": 3},
             "language": "ko"}
            """)
        let loaded = ProgressStore(directory: dir.url).load()
        #expect(loaded.notice == nil)
        #expect(loaded.progress[lesson: "a"].finishedReading)
        #expect(loaded.progress.attempts.count == 1)
        #expect(loaded.progress.labs.keys.sorted() == ["uts"])
        #expect(loaded.progress.language == .ko)
    }

    @Test func appendedEventsAreReadBackAndFoldedInOnce() throws {
        let dir = try TempDirectory()
        let store = ProgressStore(directory: dir.url)
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        try store.append([.demoRan(demo: "uts", mode: "real", lessons: ["uts-namespace"])], now: date)
        try store.append([.demoRan(demo: "uts", mode: "rootless", lessons: ["uts-namespace"])], now: date)
        #expect(!FileManager.default.fileExists(atPath: store.file.path), "an append does not rewrite progress.json")
        #expect(store.load().progress[lesson: "uts-namespace"].demoRuns == 2)
        #expect(store.load().progress[lesson: "uts-namespace"].lastDemoMode == "rootless")

        // A crash after the save but before the journal was removed: put it back.
        let journal = dir.url.appendingPathComponent("progress.journal")
        let kept = try Data(contentsOf: journal)
        try store.record([.finishedReading(lesson: "uts-namespace")], now: date)
        #expect(!FileManager.default.fileExists(atPath: journal.path), "folded in, then removed")
        try kept.write(to: journal)
        let reloaded = store.load().progress[lesson: "uts-namespace"]
        #expect(reloaded.demoRuns == 2, "what progress.json already holds is not counted twice")
        #expect(reloaded.finishedReading)

        // The same journal grown after the save: only the new line counts.
        try store.append([.demoRan(demo: "uts", mode: "real", lessons: ["uts-namespace"])], now: date)
        #expect(store.load().progress[lesson: "uts-namespace"].demoRuns == 3)
    }

    @Test func aLineACrashCutShortIsSkipped() throws {
        let dir = try TempDirectory()
        let store = ProgressStore(directory: dir.url)
        try store.append([.demoRan(demo: "pid", mode: "real", lessons: ["pid-namespace"])])
        let handle = try FileHandle(forWritingTo: dir.url.appendingPathComponent("progress.journal"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"at":"2026-11-30T01:00:00Z","event":{"demoRan":{"demo":"pid","#.utf8))
        try handle.close()
        let loaded = store.load()
        #expect(loaded.progress[lesson: "pid-namespace"].demoRuns == 1)
        #expect(loaded.notice == nil && loaded.unsaved == nil)
        try store.append([.demoRan(demo: "pid", mode: "real", lessons: ["pid-namespace"])])
        #expect(store.load().progress[lesson: "pid-namespace"].demoRuns == 2, "the torn line is ended; the next one counts")
    }

    @Test func appendsAndFullSavesAtOnceLoseNothing() async throws {
        let dir = try TempDirectory()
        let store = ProgressStore(directory: dir.url)
        await withTaskGroup(of: Void.self) { group in
            for tutor in 0..<6 {
                group.addTask {
                    for _ in 0..<10 {
                        if tutor % 2 == 0 {
                            _ = try? store.append([.demoRan(demo: "uts", mode: "real", lessons: ["uts-namespace"])])
                        } else {
                            _ = try? store.record([.demoRan(demo: "uts", mode: "real", lessons: ["uts-namespace"])])
                        }
                    }
                }
            }
        }
        #expect(store.load().progress[lesson: "uts-namespace"].demoRuns == 60)
    }
}
