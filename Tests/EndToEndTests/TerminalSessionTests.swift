import Foundation
import Testing

/// The release binary in a real terminal (tmux): what a learner types and sees.
@Suite(.serialized, .enabled(if: Binary.available, Binary.missingReason), .enabled(if: tool("tmux") != nil, "tmux is not installed"))
struct TerminalSessionTests {
    private func start(_ session: TmuxSession, language: String = "ko", extra: String = "") throws {
        try session.type("\(extra)CTUTOR_LANG=\(language) \(Binary.path!); echo EXIT=$? > \(session.directory.path)/exit.txt")
    }

    private func assertSane(_ session: TmuxSession, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let flags = try session.sttyFlags()
        #expect(
            flags.contains("echo") && flags.contains("icanon") && flags.contains("icrnl"), "terminal left raw: \(flags.sorted())",
            sourceLocation: sourceLocation)
        #expect(!flags.contains("-echo") && !flags.contains("-icanon"), sourceLocation: sourceLocation)
    }

    /// The menu at 80x24 lists the course in order, in both languages: each lesson's
    /// title (its start, as it fits) below the one before.
    @Test func theCourseInOrderAt80x24InBothLanguages() throws {
        let session = try TmuxSession(columns: 80, rows: 24)
        try start(session)
        let course: [(ko: String, en: String)] = [
            ("운영체제", "Operating systems"), ("프로그램, 프로세스, 스레드", "Programs, processes and threads"),
            ("네임스페이스 - 같은 커널", "Namespaces - one kernel"), ("UTS 네임스페이스", "UTS namespaces"),
            ("PID 네임스페이스", "PID namespaces"), ("마운트 네임스페이스", "Mount namespaces"),
            ("네트워크 네임스페이스", "Network namespaces"),
        ]
        for (language, titles) in [("ko", course.map(\.ko)), ("en", course.map(\.en))] {
            let menu = try session.waitFor(titles.last!)
            let rows = menu.split(separator: "\n").map(String.init)
            let positions = titles.map { title in rows.firstIndex { $0.contains(title) } }
            #expect(!positions.contains(nil), "\(language): a lesson is missing from the menu:\n\(menu)")
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "\(language): out of order:\n\(menu)")
            if language == "ko" { try session.press("l") }
        }
        try session.press("q")
        #expect(try session.waitForFile("exit.txt") == "EXIT=0\n")
    }

    /// TERM=dumb cannot draw a full screen: say so, point to what works, and leave the
    /// terminal as it was.
    @Test func aDumbTerminalIsToldWhatWorksInstead() throws {
        let session = try TmuxSession(columns: 80, rows: 24)
        try session.type("TERM=dumb \(Binary.path!); echo EXIT=$? > \(session.directory.path)/exit.txt")
        _ = try session.waitForFile("exit.txt")
        // The message wraps at 80 columns; the screen's rows joined back read it whole.
        let screen = try session.screen().replacingOccurrences(of: "\n", with: "")
        #expect(screen.contains("cannot draw a full screen"), "\(screen)")
        #expect(screen.contains("ctutor read LESSON --plain") && screen.contains("ctutor lessons"), "\(screen)")
        #expect(try session.waitForFile("exit.txt") != "EXIT=0\n")
        #expect(try session.sttyFlags().isSuperset(of: ["echo", "icanon"]))
    }

    /// TERM=linux and vt100 have no alternate screen: quitting must not leave the
    /// tutor's last frame under the prompt.
    @Test(arguments: ["linux", "vt100"])
    func quittingATerminalWithoutAnAlternateScreenLeavesItClean(term: String) throws {
        let session = try TmuxSession(columns: 80, rows: 24)
        try session.type("TERM=\(term) \(Binary.path!) --lang en; echo EXIT=$? > \(session.directory.path)/exit.txt")
        _ = try session.waitFor("Lessons")
        try session.press("q")
        #expect(try session.waitForFile("exit.txt") == "EXIT=0\n")
        let screen = try session.screen()
        #expect(!screen.contains("Lessons") && !screen.contains("Operating systems"), "\(screen)")
        #expect(try session.sttyFlags().isSuperset(of: ["echo", "icanon"]))
    }

    /// `read --plain` on a terminal wraps at the terminal's own width (asked with
    /// TIOCGWINSZ), not at a stale $COLUMNS; the quiz wraps too. Lines tmux had to
    /// wrap itself come back joined (-J), so any line wider than the pane shows.
    @Test(arguments: ["en", "ko"])
    func readPlainWrapsAtTheTerminalsWidth(language: String) throws {
        let session = try TmuxSession(columns: 50, rows: 24)
        try session.type(
            "COLUMNS=200 \(Binary.path!) read 4 --plain --lang \(language); echo EXIT=$? > \(session.directory.path)/exit.txt")
        #expect(try session.waitForFile("exit.txt") == "EXIT=0\n")
        let history = try session.command(["capture-pane", "-p", "-J", "-S", "-", "-t", "main"])
        // The typed command line is the shell's, not ours (echoed with or without
        // its "$ " prompt, depending on when the keys arrived).
        let printed = history.split(separator: "\n").filter { !$0.contains("COLUMNS=200") }
        let widest = printed.map { displayColumns(String($0)) }.max() ?? 0
        #expect(widest <= 50, "a line of \(widest) columns in a 50-column terminal")
        #expect(widest > 30, "the text should use the width it has")
        #expect(history.contains(language == "ko" ? "문제 1 /" : "Question 1 of"))
    }

    @Test func koreanLessonDemoAndQuizAt80x24() throws {
        let session = try TmuxSession(columns: 80, rows: 24)
        try start(session)
        let menu = try session.waitFor("레슨")
        #expect(menu.contains("UTS 네임스페이스"))
        #expect(!menu.contains("\u{FFFD}"))

        // The UTS lesson is the fourth of the course.
        try session.press("j", "j", "j", "Enter")
        let reader = try session.waitFor("네임스페이스란?")
        #expect(!reader.contains("\u{FFFD}"))
        #expect(reader.contains("컨테이너는"))

        try session.press("d")
        let demo = try session.waitFor("정리: ok")
        let hostname = try #require(try? String(contentsOfFile: "/proc/sys/kernel/hostname", encoding: .utf8)).trimmingCharacters(
            in: .whitespacesAndNewlines)
        let row = demo.split(separator: "\n").first { $0.hasPrefix("  호스트 이름 ") }.map(String.init) ?? ""
        let cells = row.split(separator: " ").map(String.init)
        #expect(cells == ["호스트", "이름", hostname, "ctutor-demo", "다름", "✓"], "the host's hostname beside the child's: \(demo)")
        for line in demo.split(separator: "\n") where line.contains("uts:[") || line.contains("pid:[") {
            #expect(line.split(separator: " ").filter { $0.contains(":[") }.count == 2, "an inode split: \(demo)")
        }

        try session.press("Escape", "t")
        try session.waitFor("문제 1 / ")
        try session.press("2")
        try session.waitFor("정답입니다!")
        try session.press("q", "q", "q")
        #expect(try session.waitForFile("exit.txt") == "EXIT=0\n")
        try assertSane(session)
        let progress = try String(contentsOf: session.directory.appendingPathComponent("data/ctutor/progress.json"), encoding: .utf8)
        #expect(progress.contains("\"demoRuns\" : 1"))
    }

    @Test(arguments: [("TERM", 15), ("HUP", 1), ("INT", 2), ("USR1", 10), ("ALRM", 14), ("XCPU", 24)])
    func signalRestoresTheTerminal(signal: String, number: Int32) throws {
        let session = try TmuxSession(columns: 80, rows: 24)
        try start(session, language: "en")
        try session.waitFor("Lessons")
        try session.press("j", "j", "j", "Enter")
        try session.waitFor("What is a namespace?")
        let pid = try session.foregroundPID()
        try run(try #require(tool("kill")), ["-\(signal)", "\(pid)"])
        if signal == "INT" {
            // Interactive bash drops the rest of the line when its job dies of SIGINT,
            // so there is no exit file; wait for the process to be gone instead.
            let deadline = Date().addingTimeInterval(10)
            while FileManager.default.fileExists(atPath: "/proc/\(pid)"), Date() < deadline { usleep(50_000) }
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)"))
        } else {
            #expect(try session.waitForFile("exit.txt") == "EXIT=\(128 + number)\n")
        }
        try assertSane(session)
    }

    /// SIGPIPE is ignored: the tutor goes on, then quits normally with the terminal sane.
    @Test func sigpipeIsIgnored() throws {
        let session = try TmuxSession(columns: 80, rows: 24)
        try start(session, language: "en")
        try session.waitFor("Lessons")
        let pid = try session.foregroundPID()
        try run(try #require(tool("kill")), ["-PIPE", "\(pid)"])
        usleep(200_000)
        #expect(FileManager.default.fileExists(atPath: "/proc/\(pid)"), "SIGPIPE ended the tutor")
        try session.press("q")
        #expect(try session.waitForFile("exit.txt") == "EXIT=0\n")
        try assertSane(session)
    }

    @Test func ctrlCQuitsCleanly() throws {
        let session = try TmuxSession(columns: 80, rows: 24)
        try start(session, language: "en")
        try session.waitFor("Lessons")
        try session.press("C-c")
        #expect(try session.waitForFile("exit.txt") == "EXIT=0\n")
        try assertSane(session)
    }

    @Test func tooSmallThenResizedAndLanguageToggle() throws {
        let session = try TmuxSession(columns: 80, rows: 24)
        try start(session, language: "en")
        try session.waitFor("Lessons")
        try session.command(["resize-window", "-t", "main", "-x", "50", "-y", "15"])
        try session.waitFor("Window too small")
        try session.command(["resize-window", "-t", "main", "-x", "160", "-y", "48"])
        try session.waitFor("Lessons")
        try session.press("l")
        try session.waitFor("레슨")
        try session.press("j", "j", "j", "Enter")
        try session.waitFor("네임스페이스란?")
        let big = try session.waitFor("Esc 뒤로")
        // The status bar sits on the last of the 48 rows: the layout follows the new size.
        let rows = big.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows.firstIndex { $0.contains("Esc 뒤로") } == 47, "\(big)")
        try session.press("q", "q")
        #expect(try session.waitForFile("exit.txt") == "EXIT=0\n")
        try assertSane(session)
    }

    /// Each session's tmux socket lives in its own directory and goes with it.
    @Test func tmuxLeavesNoSocketBehind() throws {
        var session: TmuxSession? = try TmuxSession(columns: 80, rows: 24)
        let socket = try #require(session?.socket)
        let directory = try #require(session?.directory)
        #expect(FileManager.default.fileExists(atPath: socket))
        session = nil
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }

    @Test func noColorStillShowsTheSelection() throws {
        let session = try TmuxSession(columns: 80, rows: 24)
        try start(session, language: "en", extra: "NO_COLOR=1 ")
        try session.waitFor("Lessons")
        let styled = try session.command(["capture-pane", "-p", "-e", "-t", "main"])
        // No color set (SGR 30-38, 40-48; 39/49 only reset to the default), but
        // reverse video still marks the bars and the selection.
        let parameters = styled.components(separatedBy: "\u{1B}[").dropFirst().compactMap { part -> [Int]? in
            guard let end = part.firstIndex(of: "m") else { return nil }
            return part[..<end].split(separator: ";").compactMap { Int($0) }
        }
        let colors = parameters.flatMap { $0 }.filter { (30...38).contains($0) || (40...48).contains($0) }
        #expect(colors.isEmpty, "color SGR codes under NO_COLOR: \(colors)")
        #expect(parameters.contains([7]))
        try session.press("q")
        #expect(try session.waitForFile("exit.txt") == "EXIT=0\n")
    }
}

/// Columns a line takes on a terminal: Hangul and other wide characters take two.
func displayColumns(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { width, scalar in
        let wide = (0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
            || (0xAC00...0xD7A3).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value)
        return width + (wide ? 2 : 1)
    }
}
