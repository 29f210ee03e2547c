import Foundation
import Testing
import TutorCore
import TutorUI

@testable import TutorApp

@Suite struct DemoReportLayoutTests {
    private func text(_ report: DemoReport, _ language: Language = .en, width: Int) -> [String] {
        DemoReportLayout.lines(for: report, language: language, width: width).map(\.plainText)
    }

    @Test func aValueStaysWithItsLabel() {
        let nbsp = TextWrap.noBreakSpace
        #expect(DemoReportLayout.gluingValues("getpid = 1, host PID 4242") == "getpid\(nbsp)=\(nbsp)1, host PID\(nbsp)4242")
    }

    /// `ctutor demo uts` prints these lines at 78 columns.
    @Test func plainTextAt78Columns() {
        let lines = text(DemoReports.twoSided, width: 78)
        #expect(lines.contains("Cleanup: ok — released child process 12149 and its namespaces"))
        #expect(lines.contains { $0.hasSuffix("getpid = 1") })
        #expect(lines.contains("UTS namespace   uts:[4026531838]  uts:[4026532201]  differs ✓"))
        #expect(lines.contains("Kernel release  6.1.0-18-amd64    6.1.0-18-amd64    shared ="))
        for line in lines { #expect(DisplayWidth.of(line) <= 78, "\(line)") }
    }

    /// Sides too many and too wide for either table: a block per observation,
    /// every value whole.
    @Test func observationsTooWideForATableBecomeBlocks() {
        let sides = (1...6).map { ObservationSide(role: "p\($0)", label: Localized("process \($0)"), value: "mnt:[40265322\($0)0]") }
        let report = DemoReport(
            demo: "mnt", title: Localized("Mount namespaces"), mode: .real,
            observations: [
                Observation(id: "mnt", label: Localized("Mount namespace"), sides: sides),
                Observation(
                    id: "root", label: Localized("Root directory"), expect: .match,
                    sides: sides.map { side in
                        var copy = side
                        copy.value = "/var/lib/ctutor/rootfs"
                        return copy
                    }),
                Observation(
                    id: "cwd", label: Localized("Working directory"), expect: .match,
                    sides: sides.map { side in
                        var copy = side
                        copy.value = "/home/student/project"
                        return copy
                    }),
            ])
        let lines = text(report, width: 56)
        #expect(lines.contains("Mount namespace  differs ✓"))
        #expect(lines.contains("  process 1  mnt:[4026532210]"))
        #expect(lines.contains("Root directory  shared ="))
        #expect(lines.contains("  process 6  /var/lib/ctutor/rootfs"))
    }

    /// A failed expectation is marked in the verdict and said in words.
    @Test func aFailedExpectationIsMarked() {
        var report = DemoReports.twoSided
        report.observations[1].sides[1].value = report.observations[1].sides[0].value
        let lines = text(report, width: 76)
        #expect(lines.contains { $0.hasPrefix("UTS namespace") && $0.hasSuffix("same ✗") })
        #expect(lines.contains("✗ UTS namespace: should differ, but every side saw the same"))
    }
}

/// Nothing the reader or the demo screen lays out is wider than the text width
/// it was laid out for: checked for the shipped lessons and the report shapes, in
/// both languages, at the smallest, usual and capped widths.
@Suite struct LayoutWidthTests {
    static let widths = [AppState.minimumSize.columns - 4, 76, LessonLayout.maxTextWidth]

    @Test(arguments: widths)
    func shippedLessonsFitTheirWidth(width: Int) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Lessons")
        // Every demo the course plans (DESIGN.md): the lessons' demo ids do not matter here, only their text.
        let demos: Set<String> = [
            "os", "process", "threads", "pid", "uts", "ipc", "mnt", "net", "user", "cgroup", "time", "namespaces", "container",
            "versions", "layers", "forkbomb", "oom", "cpu", "container-net", "virt", "docker-chain",
        ]
        let loaded = LessonLoader(directory: root, knownDemos: demos).loadAll()
        let lessons = loaded.compactMap(\.lesson)
        #expect(lessons.count == loaded.count, "\(loaded.flatMap(\.entry.diagnostics))")
        #expect(!lessons.isEmpty)
        for lesson in lessons {
            for language in Language.allCases {
                for line in LessonLayout.lines(for: lesson.text(language), language: language, width: width) {
                    #expect(line.displayWidth <= width, "\(lesson.id) \(language): \(line.plainText)")
                }
            }
        }
    }

    @Test(arguments: widths)
    func demoReportsFitTheirWidth(width: Int) {
        for (name, report) in DemoReports.all {
            for language in Language.allCases {
                for line in DemoReportLayout.lines(for: report, language: language, width: width) {
                    #expect(line.displayWidth <= width, "\(name) \(language): \(line.plainText)")
                }
            }
        }
    }

}
