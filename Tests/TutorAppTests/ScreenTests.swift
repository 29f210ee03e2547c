import Foundation
import Testing
import TutorCore
import TutorUI

@testable import TutorApp

/// Whole screens rendered into a buffer and compared with text snapshots.
@Suite struct ScreenTests {
    @Test func menuKorean80x24() throws {
        try assertSnapshot(AppView.render(Fixture.state(.ko)), "menu-ko-80x24")
    }

    @Test func menuEnglish80x24() throws {
        try assertSnapshot(AppView.render(Fixture.state(.en)), "menu-en-80x24")
    }

    @Test func readerKoreanAtAnOddWidth() throws {
        var state = Fixture.state(.ko, size: Size(columns: 61, rows: 20))
        Fixture.press([.enter], &state)
        try assertSnapshot(AppView.render(state), "reader-ko-61x20")
    }

    @Test func readerEnglishScrolledToTheEnd() throws {
        var state = Fixture.state(.en, size: Size(columns: 61, rows: 20))
        Fixture.press([.enter, .end], &state)
        try assertSnapshot(AppView.render(state), "reader-en-61x20-end")
    }

    static let demoScreens: [(String, Language, Size)] = DemoReports.all.flatMap { report in
        [Size(columns: 80, rows: 24), Size(columns: 60, rows: 18), Size(columns: 120, rows: 36)].flatMap { size in
            [Language.ko, .en].map { (report.name, $0, size) }
        }
    }

    /// Every kind of report at the smallest, the usual and a large window: the
    /// evidence and the cleanup line on the first screen, no value split.
    @Test(arguments: demoScreens)
    func demoReport(name: String, language: Language, size: Size) throws {
        var state = Fixture.state(language, size: size)
        Fixture.press([.enter, .character("d")], &state)
        let report = try #require(DemoReports.all.first { $0.name == name }?.report)
        Fixture.reduce(.demoFinished(run: 1, report), &state)
        let screen = AppView.render(state)
        try assertSnapshot(screen, "demo-\(name)-\(language.rawValue)-\(size.columns)x\(size.rows)")
        let text = screen.lines.joined(separator: "\n")
        #expect(text.contains(UIText.demoCleanup.text(language) + ": " + report.cleanupStatus), "cleanup below the fold")
        for observation in report.observations where observation.expect != .show {
            for side in observation.sides { #expect(text.contains(side.value), "\(side.value) split or below the fold") }
        }
    }

    @Test(arguments: [Language.ko, .en])
    func runningDemo(language: Language) throws {
        var state = Fixture.state(language)
        Fixture.press([.enter, .character("d")], &state)
        Fixture.reduce(.tick, &state, at: Fixture.time.addingTimeInterval(1.25))
        try assertSnapshot(AppView.render(state), "demo-running-\(language.rawValue)-80x24")
    }

    @Test func quizFeedbackKorean() throws {
        var state = Fixture.state(.ko)
        Fixture.press([.enter, .character("t"), .enter], &state)
        try assertSnapshot(AppView.render(state), "quiz-ko-80x24-wrong")
    }

    @Test func helpOverlay() throws {
        var state = Fixture.state(.ko)
        Fixture.press([.character("?")], &state)
        try assertSnapshot(AppView.render(state), "help-ko-80x24")
    }

    @Test func tooSmallSaysSo() throws {
        try assertSnapshot(AppView.render(Fixture.state(.en, size: Size(columns: 40, rows: 10))), "too-small-en-40x10")
    }

    @Test func brokenLessonShowsItsReasonInTheMenu() throws {
        var state = Fixture.state(.en)
        state.entries.append(
            LessonEntry(
                folder: "02-broken", state: .broken([Diagnostic(file: "02-broken/quiz.yaml", line: 7, message: "answer 5 is out of range")])
            ))
        Fixture.press([.down], &state)
        try assertSnapshot(AppView.render(state), "menu-broken-en-80x24")
    }

    /// The course as it is planned: seven lessons and more, with progress marks,
    /// minutes and a quiz score, in both languages.
    @Test(arguments: [Language.ko, .en])
    func menuOfTheCourse(language: Language) throws {
        var state = Fixture.state(language)
        state.entries = CourseMenu.entries
        state.progress = CourseMenu.progress
        Fixture.press([.down, .down], &state)
        try assertSnapshot(AppView.render(state), "menu-course-\(language.rawValue)-80x24")
    }

    /// More lessons than rows: the list scrolls and says where it is.
    @Test(arguments: [Language.ko, .en])
    func menuScrollsALongCourse(language: Language) throws {
        var state = Fixture.state(language)
        state.entries = (0..<4).flatMap { round in
            CourseMenu.entries.map { entry in
                var copy = entry
                let number = Int(entry.folder.prefix(2))! + round * 10
                copy.folder = String(format: "%02d", number) + entry.folder.dropFirst(2)
                return copy
            }
        }
        Fixture.press(Array(repeating: .down, count: 12), &state)
        try assertSnapshot(AppView.render(state), "menu-long-\(language.rawValue)-80x24")
    }

    @Test func largeWindowCapsTheTextWidth() {
        var state = Fixture.state(.en, size: Size(columns: 200, rows: 50))
        let menu = AppView.render(state)
        #expect((1..<49).map { DisplayWidth.of(menu.text(row: $0)) }.max() ?? 0 <= 2 + LessonLayout.maxTextWidth)
        Fixture.press([.enter], &state)
        let buffer = AppView.render(state)
        let widest = (1..<49).map { DisplayWidth.of(buffer.text(row: $0)) }.max() ?? 0
        #expect(widest <= 2 + LessonLayout.maxTextWidth)
        #expect(buffer.lines[0].contains("Sample lesson"))
    }
}

@Suite struct QuizMarkupTests {
    @Test func inlineCodeInAPromptIsStyledNotShownAsBackticks() throws {
        var state = Fixture.state(.en)
        Fixture.press([.enter, .character("t")], &state)
        let buffer = AppView.render(state)
        let row = try #require((0..<buffer.size.rows).first { buffer.text(row: $0).contains("uname -n") })
        #expect(!buffer.text(row: row).contains("`"))
        let text = buffer.text(row: row)
        let column = text.distance(from: text.startIndex, to: try #require(text.range(of: "uname -n")).lowerBound)
        #expect(buffer[column, row].style.foreground == Theme.inlineCode.foreground)
    }
}

@Suite struct NoticeTests {
    @Test func aLongNoticeWrapsAboveTheStatusBarAndShrinksTheContent() throws {
        var state = Fixture.state(.en)
        let path = "/home/student/.local/share/ctutor/progress.json.corrupt-2026-11-29T185150Z"
        state.notice = Localized(ko: "진도 파일을 \(path)로 옮겼습니다", en: "The progress file could not be read; it was moved to \(path).")
        #expect(state.contentHeight == 24 - 2 - 2)
        let lines = AppView.render(state).lines
        #expect(lines[22].hasSuffix(path + "."))
        #expect(lines[21].hasPrefix(" The progress file"))
        #expect(lines[23].contains("q quit"))
    }
}
