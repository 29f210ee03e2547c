import Foundation
import Testing
import TutorCore
import TutorUI

@testable import TutorApp

/// In a lesson with several demos, `d` runs the one the learner is looking at.
@Suite struct DemoChoiceTests {
    /// The shipped namespaces lesson: boxes for ipc, user, cgroup, time, namespaces, in that order.
    private func namespacesLesson() throws -> (AppState, LessonLoader) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Lessons")
        let ids: Set<String> = ["os", "process", "threads", "pid", "uts", "ipc", "mnt", "net", "user", "cgroup", "time", "namespaces"]
        let loader = LessonLoader(directory: root, knownDemos: ids)
        let entries = loader.index()
        var state = AppState(
            language: .en, entries: entries, progress: Progress(), demoTitles: [:], size: Size(columns: 80, rows: 24),
            now: Fixture.time)
        state.menuSelection = try #require(entries.firstIndex { $0.id == "namespaces" })
        for effect in Reducer.reduce(&state, .key(.enter), at: Fixture.time) {
            if case .loadLesson(let folder) = effect { _ = Reducer.reduce(&state, .lessonLoaded(loader.load(folder: folder)), at: Fixture.time) }
        }
        return (state, loader)
    }

    private func pressD(_ state: inout AppState) -> String? {
        for effect in Reducer.reduce(&state, .key(.character("d")), at: Fixture.time) {
            if case .runDemo(let id, _) = effect { return id }
        }
        return nil
    }

    @Test func theBoxOnScreenOrTheLastOneScrolledPast() throws {
        let (reading, _) = try namespacesLesson()
        let text = try #require(reading.openLesson).text(.en)
        let placed = LessonLayout.demoBoxes(for: text, language: .en, width: reading.textWidth)
        #expect(placed.map(\.id) == ["ipc", "user", "cgroup", "time", "namespaces"])
        // The box really starts where it is said to.
        for (line, _) in placed { #expect(reading.readerLines()[line].plainText.hasPrefix("┌─ ")) }

        // At the top no box is on screen yet: the first one below.
        var top = reading
        #expect(pressD(&top) == "ipc")
        for (line, id) in placed {
            var looking = reading
            looking.reader?.scroll = line
            #expect(pressD(&looking) == id, "box at line \(line)")
            // Scrolled past it, with the next box not yet on screen: still that one.
            var past = reading
            past.reader?.scroll = line + 1
            let next = placed.first { $0.line > line }
            if next.map({ $0.line >= line + 1 + past.contentHeight }) ?? true {
                #expect(pressD(&past) == id)
            }
        }
    }
}
