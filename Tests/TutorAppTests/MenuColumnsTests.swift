import Foundation
import Testing
import TutorCore
import TutorUI

@testable import TutorApp

/// The menu's progress columns (read, demo, quiz best and pass mark, lab steps,
/// length) and the course bar above them.
@Suite struct MenuColumnsTests {
    /// The planned course, each lesson with a demo and a four-step lab; the first
    /// lesson done, the second with half its lab and a failed quiz.
    static func course(_ language: Language, size: Size) -> AppState {
        var state = Fixture.state(language, size: size)
        state.entries = CourseMenu.entries.map { entry in
            guard case .ready(var info) = entry.state else { return entry }
            info.demos = ["uts"]
            info.labSteps = 4
            var copy = entry
            copy.state = .ready(info)
            return copy
        }
        var progress = CourseMenu.progress
        progress[lesson: "operating-system"].demoRuns = 2
        progress[lesson: "program-process-thread"].quizBest = 1
        progress[lesson: "program-process-thread"].quizTotal = 6
        progress.labs["pp-lab"] = LabProgress(lesson: "program-process-thread", stepsDone: ["a", "b"])
        state.progress = progress
        return state
    }

    @Test func aLessonsFieldsSayWhatIsDoneOfEachPart() throws {
        let state = Self.course(.en, size: Size(columns: 80, rows: 24))
        let first = try #require(state.entries[0].info)
        #expect(MenuView.progressFields(first, state.progress, .en) == ["✓", "✓", "4/5", "70%", "0/4", "12 min"])
        let second = try #require(state.entries[1].info)
        #expect(MenuView.progressFields(second, state.progress, .en) == ["-", "✓", "1/6", "70%", "2/4", "15 min"])
        // No demo, no quiz, no lab: those columns stay empty rather than say "not yet".
        let bare = LessonInfo(id: "bare", overviews: first.overviews, demos: [], minutes: nil, hasQuiz: false)
        #expect(MenuView.progressFields(bare, TutorCore.Progress(), .ko) == ["-", "", "", "", "", ""])
    }

    @Test func theCourseBarCountsLessonsDoneAtTheirPassMark() {
        var state = Self.course(.en, size: Size(columns: 80, rows: 24))
        #expect(CourseProgress.lessonsDone(state.entries, state.progress) == 1)
        // A higher pass mark than the best score: not done any more.
        if case .ready(var info) = state.entries[0].state {
            info.quizPassPercent = 90
            state.entries[0].state = .ready(info)
        }
        #expect(CourseProgress.lessonsDone(state.entries, state.progress) == 0)
        #expect(CourseProgress.bar(done: 0, total: 8, width: 8) == "░░░░░░░░")
        #expect(CourseProgress.bar(done: 3, total: 8, width: 8) == "███░░░░░")
        #expect(CourseProgress.bar(done: 7, total: 8, width: 10) == "████████░░", "full only when all are done")
        #expect(CourseProgress.bar(done: 8, total: 8, width: 10) == "██████████")
    }

    /// The display column where `text` starts in `line` (Hangul is two columns).
    static func column(of text: String, in line: String) -> Int? {
        guard let range = line.range(of: text) else { return nil }
        return DisplayWidth.of(line[..<range.lowerBound])
    }

    @Test(arguments: [Language.ko, .en], [Size(columns: 80, rows: 24), Size(columns: 160, rows: 48), Size(columns: 60, rows: 18)])
    func columnsLineUpUnderTheirHeadsAndFitTheWindow(language: Language, size: Size) throws {
        let state = Self.course(language, size: size)
        let lines = AppView.render(state).lines
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= size.columns })
        let heads = UIText.menuColumns.text(language).split(separator: "|").map(String.init)
        let headLine = try #require(lines.first { $0.contains(heads[0]) && $0.contains(heads[2]) })
        let passColumn = try #require(Self.column(of: heads[3], in: headLine))
        let rows = lines.filter { $0.contains("] 0") && !$0.contains("[!]") }
        #expect(rows.count >= 4)
        for row in rows {
            #expect(Self.column(of: "70%", in: row) == passColumn, "\(row)")
        }
        #expect(lines.contains { $0.contains(UIText.menuCourse.format(language, 1, CourseMenu.entries.count)) })
    }

    @Test(arguments: [Language.ko, .en])
    func theCourseWithEveryColumn(language: Language) throws {
        var state = Self.course(language, size: Size(columns: 80, rows: 24))
        Fixture.press([.down], &state)
        try assertSnapshot(AppView.render(state), "menu-columns-\(language.rawValue)-80x24")
        var large = Self.course(language, size: Size(columns: 160, rows: 48))
        Fixture.press([.down], &large)
        try assertSnapshot(AppView.render(large), "menu-columns-\(language.rawValue)-160x48")
    }
}
