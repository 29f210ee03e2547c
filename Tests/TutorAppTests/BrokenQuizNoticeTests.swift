import Foundation
import Testing
import TutorApp
import TutorCore
import TutorUI

/// A lesson whose quiz.yaml has a mistake still opens; `t` says, in one line,
/// that the quiz is broken and why (issue 9).
@Suite struct BrokenQuizNoticeTests {
    @Test func tSaysTheQuizIsBrokenAndWhy() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-quiz-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let lesson = "---\nid: x\ntitle: X\nsummary: s\ndemos: [uts]\n---\n# Heading\n\nThe text.\n"
        for (name, text) in [("lesson.ko.md", lesson), ("lesson.en.md", lesson), ("quiz.yaml", "questions: 3\n")] {
            let file = dir.appendingPathComponent("01-x/\(name)")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
        let loader = LessonLoader(directory: dir, knownDemos: ["uts"])
        var state = AppState(
            language: .en, entries: loader.index(), progress: Progress(), demoTitles: [:], size: Size(columns: 100, rows: 24),
            now: Fixture.time)
        for effect in Reducer.reduce(&state, .key(.enter), at: Fixture.time) {
            if case .loadLesson(let folder) = effect {
                _ = Reducer.reduce(&state, .lessonLoaded(loader.load(folder: folder)), at: Fixture.time)
            }
        }
        #expect(state.screen == .reader)
        #expect(state.readerLines().contains { $0.plainText == "The text." })
        _ = Reducer.reduce(&state, .key(.character("t")), at: Fixture.time)
        #expect(state.screen == .reader)
        #expect(
            state.notice?.en
                == "This lesson's quiz cannot be taken; its file has a problem: 01-x/quiz.yaml:1: expected a non-empty 'questions:' list")
        let screen = AppView.render(state).lines
        #expect(screen.contains { $0.contains("quiz cannot be taken") })
    }
}
