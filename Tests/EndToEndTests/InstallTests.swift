import Foundation
import Testing

/// `make install` for a shared lab server, through the script it runs: the release
/// binary under test is installed into a temp prefix, run from another directory
/// with no option and no environment pointing at the lessons, and uninstalled again.
@Suite(.enabled(if: Binary.available, Binary.missingReason))
struct InstallTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var script: String { repository.appendingPathComponent("scripts/install.sh").path }

    /// A clean environment: nothing names a lessons folder, and progress stays in `home`.
    static func environment(home: String) -> [String: String] {
        ["PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8", "XDG_DATA_HOME": home + "/data", "CTUTOR_LANG": "en"]
    }

    static func install(_ action: String, prefix: String, destdir: String = "") throws -> (status: Int32, stdout: String, stderr: String) {
        let binary = try #require(Binary.path)
        var environment = ProcessInfo.processInfo.environment
        environment["BIN"] = binary
        environment["LAUNCHER"] = URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent("ctutor-launcher").path
        return try run("/bin/sh", [script, action, prefix, destdir], environment: environment)
    }

    /// Every path under `directory`, relative to it.
    static func contents(_ directory: String) -> [String] {
        (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []).sorted()
    }

    @Test func theInstalledTutorFindsItsLessonsFromAnywhereAndUninstallRemovesExactlyThat() throws {
        let temp = try TempFolder()
        let prefix = temp.path + "/prefix"
        try FileManager.default.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        // Something of the machine's own already in the prefix stays where it is.
        try Data("#!/bin/sh\n".utf8).write(to: URL(fileURLWithPath: prefix + "/bin/other-tool"))
        let installed = try Self.install("install", prefix: prefix)
        #expect(installed.status == 0, "\(installed.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: prefix + "/bin/ctutor"))
        #expect(FileManager.default.fileExists(atPath: prefix + "/share/ctutor/Lessons/04-uts-namespace/lesson.ko.md"))
        #expect(FileManager.default.fileExists(atPath: prefix + "/share/ctutor/Assets/recipes"))

        // From /, with no --lessons and no CTUTOR_LESSONS: the installed lessons.
        let environment = Self.environment(home: temp.path)
        let lessons = try run("/bin/sh", ["-c", "cd / && exec \(prefix)/bin/ctutor lessons --json"], environment: environment)
        #expect(lessons.status == 0, "\(lessons.stderr)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(lessons.stdout.utf8)) as? [[String: Any]])
        let repositoryLessons = try FileManager.default.contentsOfDirectory(atPath: Binary.lessons).filter { $0.first?.isNumber == true }
        #expect(listed.count == repositoryLessons.count && listed.count >= 12)
        #expect(lessons.stderr.isEmpty, "\(lessons.stderr)")
        // Through a symlink on the PATH, as a package manager might place it.
        try FileManager.default.createSymbolicLink(atPath: temp.path + "/ctutor-link", withDestinationPath: prefix + "/bin/ctutor")
        let linked = try run("/bin/sh", ["-c", "cd / && exec \(temp.path)/ctutor-link lessons"], environment: environment)
        #expect(linked.status == 0 && linked.stdout.contains("04-uts-namespace"), "\(linked.stderr)")
        try FileManager.default.removeItem(atPath: temp.path + "/ctutor-link")

        // A teacher's own folder still wins, by option or by environment.
        let own = temp.path + "/own"
        try FileManager.default.createDirectory(atPath: own, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Binary.lessons + "/04-uts-namespace", toPath: own + "/01-uts-namespace")
        let byOption = try run(prefix + "/bin/ctutor", ["lessons", "--json", "--lessons", own], environment: environment)
        #expect((try JSONSerialization.jsonObject(with: Data(byOption.stdout.utf8)) as? [Any])?.count == 1, "\(byOption.stderr)")
        var withVariable = environment
        withVariable["CTUTOR_LESSONS"] = own
        let byVariable = try run(prefix + "/bin/ctutor", ["lessons", "--json"], environment: withVariable)
        #expect((try JSONSerialization.jsonObject(with: Data(byVariable.stdout.utf8)) as? [Any])?.count == 1, "\(byVariable.stderr)")

        // An upgrade: a lesson the earlier version installed and this one does not have goes.
        let gone = prefix + "/share/ctutor/Lessons/01-operating-system/old-notes.md"
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: gone))
        let manifest = prefix + "/share/ctutor/install-manifest"
        try (String(contentsOfFile: manifest, encoding: .utf8) + "f share/ctutor/Lessons/01-operating-system/old-notes.md\n")
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        #expect(try Self.install("install", prefix: prefix).status == 0)
        #expect(!FileManager.default.fileExists(atPath: gone))
        // Uninstalling leaves the prefix as it was.

        let removed = try Self.install("uninstall", prefix: prefix)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(Self.contents(prefix) == ["bin", "bin/other-tool"])
        // Nothing installed: uninstall says so and touches nothing.
        let again = try Self.install("uninstall", prefix: prefix)
        #expect(again.status != 0 && again.stderr.contains("nothing installed"))
        #expect(Self.contents(prefix) == ["bin", "bin/other-tool"])
    }

    @Test func destdirStagesTheTreeUnderItAndUninstallEmptiesIt() throws {
        let temp = try TempFolder()
        let stage = temp.path + "/stage"
        try FileManager.default.createDirectory(atPath: stage, withIntermediateDirectories: true)
        #expect(try Self.install("install", prefix: "/usr/local", destdir: stage).status == 0)
        #expect(FileManager.default.isExecutableFile(atPath: stage + "/usr/local/bin/ctutor"))
        let manifest = try String(contentsOfFile: stage + "/usr/local/share/ctutor/install-manifest", encoding: .utf8)
        #expect(manifest.contains("f bin/ctutor\n"))
        #expect(!manifest.contains(stage), "the manifest lists paths under PREFIX, not the staging folder")
        #expect(try Self.install("uninstall", prefix: "/usr/local", destdir: stage).status == 0)
        #expect(Self.contents(stage).isEmpty)
    }

    @Test func aRelativePrefixIsRefusedWithWhatToType() throws {
        let result = try Self.install("install", prefix: "relative/prefix")
        #expect(result.status != 0)
        #expect(result.stderr.contains("PREFIX must be an absolute path"))
    }
}

/// A temp folder removed at the end of the test.
final class TempFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-e2e-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
