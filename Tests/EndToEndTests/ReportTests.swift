import Foundation
import Testing

/// `ctutor report` over progress the command line recorded (`ctutor demo`), read
/// back as CSV and JSON; and `ctutor read X`, which leaves with q instead of showing
/// a menu nobody asked for.
@Suite(.enabled(if: Binary.available, Binary.missingReason))
struct ReportTests {
    static func environment(_ folder: TempFolder) -> [String: String] {
        [
            "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": folder.path, "XDG_DATA_HOME": folder.path + "/data",
            "CTUTOR_LESSONS": Binary.lessons,
        ]
    }

    /// CSV records as dictionaries by the header's names (RFC 4180, quotes included).
    static func csvRows(_ text: String) -> [[String: String]] {
        var records: [[String]] = [[]]
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let character = characters.popFirst() {
            switch (quoted, character) {
            case (true, "\""):
                if characters.first == "\"" { field += "\""; characters.removeFirst() } else { quoted = false }
            case (true, _): field.unicodeScalars.append(character)
            case (false, "\""): quoted = true
            case (false, ","):
                records[records.count - 1].append(field)
                field = ""
            case (false, "\r"):
                records[records.count - 1].append(field)
                field = ""
                if characters.first == "\n" { characters.removeFirst() }
                records.append([])
            default: field.unicodeScalars.append(character)
            }
        }
        records.removeLast()
        guard let header = records.first else { return [] }
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    @Test func demosRunFromTheCommandLineShowInTheReport() throws {
        let folder = try TempFolder()
        let environment = Self.environment(folder)
        let binary = try #require(Binary.path)
        for _ in 0..<2 { #expect(try run(binary, ["demo", "process"], environment: environment).status == 0) }
        #expect(try run(binary, ["demo", "list"], environment: environment).status == 0)
        // A run the kernel refused does not count.
        if let unshare = tool("unshare") {
            let script = "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$0\" demo uts --rootless"
            let refused = try run(unshare, ["--user", "--map-root-user", "sh", "-c", script, binary], environment: environment)
            #expect(refused.status != 0)
        }

        let csv = try run(binary, ["report", "--format", "csv", "--lang", "en"], environment: environment)
        #expect(csv.status == 0, "\(csv.stderr)")
        let rows = Self.csvRows(csv.stdout)
        let lessonFolders = try FileManager.default.contentsOfDirectory(atPath: Binary.lessons).filter { $0.first?.isNumber == true }
        #expect(rows.count == lessonFolders.count)
        let process = try #require(rows.first { $0["lesson"] == "program-process-thread" })
        #expect(process["demo_runs"] == "2" && process["status"] == "started" && process["read"] == "no")
        #expect(process["uid"] == "\(getuid())" && process["host"]?.isEmpty == false && process["user"]?.isEmpty == false)
        #expect(rows.first { $0["lesson"] == "uts-namespace" }?["demo_runs"] == "0", "a refused run is not a run")
        #expect(rows.allSatisfy { $0["quiz_pass_percent"] == "70" }, "every lesson sets its pass mark")

        let out = folder.path + "/reports/kim.json"
        try FileManager.default.createDirectory(atPath: folder.path + "/reports", withIntermediateDirectories: true)
        let json = try run(binary, ["report", "--format", "json", "--out", out], environment: environment)
        #expect(json.status == 0 && json.stdout.isEmpty, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let lessons = try #require(object["lessons"] as? [[String: Any]])
        #expect(lessons.first { $0["lesson"] as? String == "program-process-thread" }?["demo_runs"] as? Int == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/reports") == ["kim.json"], "no temp file left")

        let text = try run(binary, ["report", "--lang", "ko"], environment: environment)
        #expect(text.status == 0 && text.stdout.contains("진도 보고서") && text.stdout.contains("진행 중"), "\(text.stdout)")
    }

    @Test func anUnknownFormatSaysWhatToType() throws {
        let folder = try TempFolder()
        let result = try run(try #require(Binary.path), ["report", "--format", "xml"], environment: Self.environment(folder))
        #expect(result.status == 64)
        #expect(result.stderr.contains("use --format text, --format json or --format csv"), "\(result.stderr)")
    }

    @Test(.enabled(if: tool("tmux") != nil, "tmux is not installed"))
    func readingOneLessonOnATerminalEndsWithQ() throws {
        let session = try TmuxSession(columns: 80, rows: 24)
        try session.type("CTUTOR_LANG=en \(Binary.path!) read uts; echo EXIT=$? > \(session.directory.path)/exit.txt")
        try session.waitFor("UTS namespaces")
        try session.press("q")
        #expect(try session.waitForFile("exit.txt") == "EXIT=0\n")
        let screen = try session.screen()
        #expect(!screen.contains("Enter open"), "q went back to the menu instead of leaving:\n\(screen)")
    }
}
