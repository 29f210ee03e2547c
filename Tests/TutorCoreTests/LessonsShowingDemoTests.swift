import Foundation
import Testing

@testable import TutorCore

/// A demo run from the command line counts for the lessons that show it, found
/// without indexing the course: the answer must be the index's, for every demo.
@Suite struct LessonsShowingDemoTests {
    @Test func theQuickLookupAgreesWithTheIndexForEveryDemoOfTheCourse() {
        let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons")
        // The demo ids the lessons name (the engine's catalog is not visible from here).
        let named = (try? FileManager.default.contentsOfDirectory(atPath: lessons.path))?.flatMap { folder -> [String] in
            let text = (try? String(contentsOf: lessons.appendingPathComponent("\(folder)/lesson.ko.md"), encoding: .utf8)) ?? ""
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("demos:") }) else { return [] }
            return line.dropFirst(6).split(whereSeparator: { "[], ".contains($0) }).map(String.init)
        }
        let loader = LessonLoader(directory: lessons, knownDemos: Set(named ?? []))
        let infos = loader.index().compactMap(\.info)
        let demos = Set(infos.flatMap(\.demos))
        #expect(demos.count >= 19)
        for demo in demos.sorted() + ["no-such-demo", "contain"] {
            let expected = infos.filter { $0.demos.contains(demo) }.map(\.id)
            #expect(loader.lessons(showing: demo) == expected, "\(demo)")
        }
    }
}
