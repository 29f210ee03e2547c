import Foundation
import Testing

@testable import TutorCore

/// The menu counts a lab's steps without parsing it; for every shipped lab the count
/// must be what the lab's own parser finds.
@Suite struct LabStepCountTests {
    @Test func theQuickCountAgreesWithTheParserForEveryShippedLab() throws {
        let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons")
        let loader = LessonLoader(directory: lessons, knownDemos: [])
        let folders = try FileManager.default.contentsOfDirectory(atPath: lessons.path).filter { $0.first?.isNumber == true }.sorted()
        #expect(folders.count >= 12)
        for folder in folders {
            let found = try #require(loader.lab(folder: folder), "\(folder) has no lab.yaml")
            let lab = try #require(found.lab, "\(folder)/lab.yaml: \(found.diagnostics)")
            let source = try String(contentsOf: lessons.appendingPathComponent("\(folder)/lab.yaml"), encoding: .utf8)
            #expect(LabStepCount.count(source) == lab.steps.count, "\(folder)")
            #expect(lab.steps.count >= 3, "\(folder): a lab has at least three checked steps")
        }
    }
}
