import Foundation
import Testing

/// The command-line contract, run against the release binary.
@Suite(.enabled(if: Binary.available, Binary.missingReason))
struct CommandLineTests {
    private var environment: [String: String] {
        [
            "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": NSTemporaryDirectory(), "CTUTOR_LESSONS": Binary.lessons,
            "XDG_DATA_HOME": NSTemporaryDirectory() + "ctutor-cli-\(getpid())",
        ]
    }

    /// Through a symlink on $PATH, from another directory and without --lessons, the
    /// installation's own lessons and recipes are found from the executable's real path.
    @Test func aSymlinkOnPathFindsTheLessons() throws {
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-path-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: bin) }
        try FileManager.default.createSymbolicLink(atPath: bin.path + "/ctutor", withDestinationPath: Binary.path!)
        let result = try run(
            try #require(tool("sh")), ["-c", "cd / && ctutor lessons"],
            environment: ["PATH": bin.path + ":/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": bin.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("01-operating-system") && result.stdout.contains("12-virtualization"))
    }

    @Test func withoutATerminalItPrintsHelp() throws {
        let result = try run(Binary.path!, [], environment: environment)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: ctutor"))
    }

    @Test func readPlainPrintsTheLessonInBothLanguages() throws {
        let ko = try run(Binary.path!, ["--lang", "ko", "read", "uts-namespace", "--plain", "--width", "61"], environment: environment)
        #expect(ko.status == 0)
        #expect(ko.stdout.contains("네임스페이스란?"))
        let en = try run(Binary.path!, ["read", "4", "--plain", "--lang", "en"], environment: environment)
        #expect(en.stdout.contains("What is a namespace?"))
    }

    @Test func demoListJSONHasEveryDemoInCourseOrderWithItsNamespaces() throws {
        let result = try run(Binary.path!, ["demo", "list", "--json", "--lang", "en"], environment: environment)
        #expect(result.status == 0)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(
            list.compactMap { $0["id"] as? String }
                == [
                    "os", "process", "threads", "pid", "uts", "ipc", "mnt", "net", "user", "cgroup", "time", "namespaces", "container",
                    "versions", "layers", "forkbomb", "oom", "cpu", "container-net", "virt", "docker-chain",
                ])
        #expect(list.first { $0["id"] as? String == "uts" }?["namespaces"] as? [String] == ["uts", "pid"])
        #expect(list.allSatisfy { ($0["title"] as? String)?.isEmpty == false })
    }

    @Test(arguments: ["0", "-5", "19"])
    func aWidthTooNarrowIsRefusedWithWhatToType(_ width: String) throws {
        let result = try run(Binary.path!, ["read", "4", "--plain", "--width=\(width)"], environment: environment)
        #expect(result.status != 0)
        #expect(result.stderr.contains("--width must be 20 or more columns"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// An empty or unknown lesson is an error that names the lessons and shows the
    /// usage of `read`, not of `ctutor` as a whole.
    @Test(arguments: ["", "no-such-lesson"])
    func anUnknownLessonIsExplainedWithReadsUsage(_ lesson: String) throws {
        let result = try run(Binary.path!, ["read", lesson, "--plain"], environment: environment)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("no lesson '\(lesson)'") && result.stderr.contains("uts-namespace"), "\(result.stderr)")
        #expect(result.stderr.contains("Usage: ctutor read ") && result.stderr.contains("See 'ctutor read --help'"), "\(result.stderr)")
    }

    /// Progress that cannot be used (here a folder where the file should be) does not
    /// stop `lessons`: one line says why progress is kept in memory, and the list comes.
    @Test func progressThatCannotBeUsedIsSaidInOneLineAndTheCommandGoesOn() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-cli-data-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.createDirectory(at: data.appendingPathComponent("ctutor/progress.json"), withIntermediateDirectories: true)
        var env = environment
        env["XDG_DATA_HOME"] = data.path
        let result = try run(Binary.path!, ["lessons", "--lang", "en"], environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("04-uts-namespace"))
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("in memory only") && lines[0].contains("a folder is where the file should be"), "\(result.stderr)")
    }

    @Test func lessonsJSONListsTheLesson() throws {
        let result = try run(Binary.path!, ["lessons", "--json"], environment: environment)
        #expect(result.status == 0)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(list.first?["id"] as? String == "operating-system")
        #expect(list.first?["status"] as? String == "new")
    }

    @Test func lintReportsFileAndLineAndExitsOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-lint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("01-bad"), withIntermediateDirectories: true)
        try Data("---\nid: bad\ntitle: Bad\n---\n# x\n\n```\nnever closed\n".utf8).write(
            to: dir.appendingPathComponent("01-bad/lesson.ko.md"))
        let result = try run(Binary.path!, ["lint", dir.path], environment: environment)
        #expect(result.status == 1)
        #expect(result.stdout.contains("01-bad/lesson.ko.md:7: code block opened here is never closed with ```"))
        #expect(result.stdout.contains("01-bad/lesson.en.md:1: missing lesson.en.md"))
        let clean = try run(Binary.path!, ["lint", Binary.lessons], environment: environment)
        #expect(clean.status == 0, "\(clean.stdout)")
    }

    @Test func wrongCommandLineSaysWhatToType() throws {
        let result = try run(Binary.path!, ["demo", "nope"], environment: environment)
        #expect(result.status != 0)
        #expect(result.stderr.contains("ctutor demo list"))
        let unknown = try run(Binary.path!, ["frobnicate"], environment: environment)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("ctutor --help"))
    }
}
