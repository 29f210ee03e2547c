import Foundation
import Testing

@testable import TutorCore

@Suite struct ProgressStoreTests {
    @Test func roundTripsAndLeavesNoTempFile() throws {
        let dir = try TempDirectory()
        let store = ProgressStore(directory: dir.url.appendingPathComponent("data/ctutor"))
        var progress = Progress()
        progress[lesson: "uts-namespace"].finishedReading = true
        progress.recordQuiz(lesson: "uts-namespace", score: 4, total: 6, at: Date(timeIntervalSince1970: 1_790_000_000))
        try store.save(progress)
        let loaded = try store.load()
        #expect(loaded.notice == nil)
        #expect(loaded.progress == progress)
        let files = try FileManager.default.contentsOfDirectory(atPath: store.directory.path)
        #expect(files == ["progress.json"])
    }

    @Test func saveReplacesTheFileByRenameNotInPlace() throws {
        let dir = try TempDirectory()
        let store = ProgressStore(directory: dir.url)
        try store.save(Progress())
        let before = try FileManager.default.attributesOfItem(atPath: store.file.path)[.systemFileNumber] as? UInt64
        var progress = Progress()
        progress[lesson: "a"].demoRuns = 2
        try store.save(progress)
        let after = try FileManager.default.attributesOfItem(atPath: store.file.path)[.systemFileNumber] as? UInt64
        // A new inode means the reader saw either the old file or the new one, never a partial write.
        #expect(before != nil && after != nil && before != after)
        #expect(try store.load().progress[lesson: "a"].demoRuns == 2)
    }

    @Test func missingFileIsAFreshStart() throws {
        let dir = try TempDirectory()
        let loaded = try ProgressStore(directory: dir.url).load()
        #expect(loaded.progress == Progress())
        #expect(loaded.notice == nil)
    }

    @Test func corruptFileIsMovedAsideKeptAndReported() throws {
        let dir = try TempDirectory()
        let store = ProgressStore(directory: dir.url)
        try dir.write("progress.json", "{\"version\": 1, \"lessons\": {\"a\": ")
        let loaded = try store.load(now: Date(timeIntervalSince1970: 0))
        #expect(loaded.progress == Progress())
        let notice = try #require(loaded.notice)
        #expect(notice.en.contains("progress.json.corrupt-1970-01-01T000000Z"))
        #expect(notice.ko.contains("옮겨"))
        #expect(!FileManager.default.fileExists(atPath: store.file.path))
        let aside = dir.url.appendingPathComponent("progress.json.corrupt-1970-01-01T000000Z")
        #expect(try String(contentsOf: aside, encoding: .utf8) == "{\"version\": 1, \"lessons\": {\"a\": ")
    }

    /// Every format ctutor has written reads back whole (fixtures in Fixtures/).
    @Test(arguments: ["progress-v1", "progress-v1-before-demo-runs"])
    func everyShippedFormatReadsBack(_ name: String) throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name).json")
        let dir = try TempDirectory()
        try dir.write("progress.json", try String(contentsOf: fixture, encoding: .utf8))
        let loaded = try ProgressStore(directory: dir.url).load()
        #expect(loaded.notice == nil)
        let uts = loaded.progress[lesson: "uts-namespace"]
        #expect(uts.finishedReading)
        #expect(uts.updated == UTCTimestamp.date(name == "progress-v1" ? "2026-11-29T21:06:21Z" : "2026-11-20T09:00:00Z"))
        if name == "progress-v1" {
            #expect(uts.demoRuns == 3 && uts.lastDemoMode == "rootless" && uts.quizBest == 5 && uts.quizLast == 4 && uts.quizTotal == 9)
            #expect(loaded.progress[lesson: "namespaces"].finishedReading)
        } else {
            // Written before demo runs were counted: none, and the rest kept.
            #expect(uts.demoRuns == 0 && uts.lastDemoMode == nil && uts.quizBest == 3 && uts.quizTotal == 6)
        }
    }

    /// A field of the wrong type or an entry that is no object costs only itself.
    @Test func whatParsesIsKeptAndNothingIsSetAside() throws {
        let dir = try TempDirectory()
        try dir.write(
            "progress.json",
            """
            {"lessons": {"a": {"finishedReading": true, "demoRuns": "two", "quizBest": 4, "updated": "yesterday"},
                         "b": "not an entry", "c": {"demoRuns": 1}}}
            """)
        let loaded = try ProgressStore(directory: dir.url).load()
        #expect(loaded.notice == nil)
        #expect(loaded.progress.version == Progress.currentVersion)
        #expect(loaded.progress.lessons.keys.sorted() == ["a", "c"])
        let a = loaded.progress[lesson: "a"]
        #expect(a.finishedReading && a.demoRuns == 0 && a.quizBest == 4 && a.updated == nil)
        #expect(loaded.progress[lesson: "c"].demoRuns == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["progress.json"])
    }

    @Test func defaultDirectoryFollowsXDG() {
        #expect(ProgressStore.defaultDirectory(environment: ["XDG_DATA_HOME": "/x/data", "HOME": "/home/u"]).path == "/x/data/ctutor")
        #expect(ProgressStore.defaultDirectory(environment: ["HOME": "/home/u"]).path == "/home/u/.local/share/ctutor")
        // A relative XDG_DATA_HOME is invalid per the spec and ignored.
        #expect(
            ProgressStore.defaultDirectory(environment: ["XDG_DATA_HOME": "rel", "HOME": "/home/u"]).path == "/home/u/.local/share/ctutor")
    }

    @Test func doneNeedsReadingADemoRunAndAPassingQuiz() {
        let full = LessonRequirements(hasQuiz: true, hasDemo: true, quizPassPercent: 70)
        var record = LessonProgress()
        #expect(record.status(full) == .new)
        record.finishedReading = true
        #expect(record.status(full) == .started)
        #expect(record.status(LessonRequirements(hasQuiz: false, hasDemo: false)) == .done)
        record.demoRuns = 1
        #expect(record.status(LessonRequirements(hasQuiz: false, hasDemo: true)) == .done)
        // 0 of 6 answered is an attempt, not a pass.
        record.quizBest = 0
        record.quizTotal = 6
        #expect(record.status(full) == .started)
        record.quizBest = 4
        #expect(record.status(full) == .started, "4/6 is 66%, below 70%")
        record.quizBest = 5
        #expect(record.status(full) == .done)
    }

    @Test func quizKeepsTheBestScore() {
        var progress = Progress()
        let later = Date(timeIntervalSince1970: 1_790_000_100)
        progress.recordQuiz(lesson: "a", score: 5, total: 6, at: Date(timeIntervalSince1970: 1_790_000_000))
        progress.recordQuiz(lesson: "a", score: 2, total: 6, at: later)
        #expect(progress[lesson: "a"].quizBest == 5)
        #expect(progress[lesson: "a"].quizLast == 2)
        #expect(progress[lesson: "a"].updated == later)
    }

    @Test(.enabled(if: geteuid() == 0, "only root can give files to another user"))
    func underSudoTheLearnerOwnsWhatIsWritten() throws {
        let temp = try TempDirectory()
        let directory = temp.url.appendingPathComponent("home/.local/share/ctutor")
        let learner: (uid: uid_t, gid: gid_t) = (54321, 54322)
        try ProgressStore(directory: directory, owner: learner).save(Progress())
        for path in [directory.path, directory.deletingLastPathComponent().path, directory.path + "/progress.json"] {
            var info = stat()
            #expect(lstat(path, &info) == 0)
            #expect(info.st_uid == learner.uid && info.st_gid == learner.gid, "\(path) is owned by \(info.st_uid)")
        }
        let sudo = ["SUDO_UID": "65534", "SUDO_GID": "65534", "HOME": "/root", "XDG_DATA_HOME": "/root/.local/share"]
        let store = ProgressStore.forCurrentUser(environment: sudo)
        let home = try #require(getpwuid(65534)).pointee.pw_dir.map { String(cString: $0) }
        #expect(store.directory.path == (home ?? "") + "/.local/share/ctutor")
        #expect(store.owner?.uid == 65534)
        #expect(ProgressStore.forCurrentUser(environment: ["HOME": "/root"]).owner == nil)
    }
}
