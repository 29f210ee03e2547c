import Foundation
import Testing

/// A guided lab driven end to end in a real terminal, as a learner does it: each
/// step typed into the sandbox shell, the checker seen failing before the step and
/// after it is undone, passing once it is done; progress saved; nothing left behind.
@Suite(.serialized, .enabled(if: Binary.available, Binary.missingReason), .enabled(if: tool("tmux") != nil, "tmux is not installed"))
struct LabTests {
    /// The unprivileged user CI has (`CTUTOR_TEST_USER`), for the rootless run as root.
    static let testUser: String? = {
        guard getuid() == 0, let user = ProcessInfo.processInfo.environment["CTUTOR_TEST_USER"] ?? (getpwnam("ctutor-ci") != nil ? "ctutor-ci" : nil),
            getpwnam(user) != nil
        else { return nil }
        return user
    }()

    @Test func theUTSLabDrivenStepByStep() throws {
        try drive(as: nil)
    }

    @Test(.enabled(if: testUser != nil, "needs root and the unprivileged user ctutor-ci to run the lab rootless as that user"))
    func theUTSLabRootlessAsAnUnprivilegedUser() throws {
        try drive(as: Self.testUser)
    }

    private func drive(as user: String?) throws {
        let session = try TmuxSession(columns: 120, rows: 40)
        let data = session.directory.appendingPathComponent("labdata").path
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        var prefix = ""
        if let user, let entry = getpwnam(user) {
            chown(session.directory.path, entry.pointee.pw_uid, entry.pointee.pw_gid)
            chown(data, entry.pointee.pw_uid, entry.pointee.pw_gid)
            prefix = "setpriv --reuid=\(user) --regid=\(user) --init-groups env HOME=\(session.directory.path) "
        }
        let labsBefore = Self.labDirectories()
        try session.type(
            "\(prefix)XDG_DATA_HOME=\(data) \(Binary.path!) --lang en lab uts; echo EXIT=$? > \(session.directory.path)/exit.txt")
        try session.waitFor("[lab 1/3] sandbox:~#", timeout: 30)

        // Nothing done yet: the checker says what it sees.
        try session.type("lab check")
        try session.waitFor("all still in the original uts namespace")
        try session.type("unshare -u sh")
        try session.waitFor("✓ step 1 done")
        // Undone: the new namespace is gone with its only process.
        try session.type("exit")
        try session.type("lab check")
        try session.waitFor("No process is in a new UTS namespace yet")
        try session.type("unshare -u sh")
        try session.type("hostname other")
        try session.type("lab check")
        try session.waitFor("the step wants 'lab-host'")
        try session.type("hostname lab-host")
        try session.waitFor("✓ step 2 done")
        try session.type("readlink /proc/1/ns/uts > ~/uts.txt")
        try session.type("lab check")
        try session.waitFor("lacks the inode number of a new one")
        try session.type("readlink /proc/$$/ns/uts >> ~/uts.txt")
        let done = try session.waitFor("[lab ✓] lab-host:~#")
        #expect(done.contains("✓ step 3 done") && done.contains("Every step of the lab"), "\(done)")

        let tutor = try session.foregroundPID()
        let sandbox = Self.descendants(of: tutor)
        #expect(!sandbox.isEmpty, "the sandbox's processes are the tutor's descendants")
        try session.type("exit")
        try session.type("exit")
        #expect(try session.waitForFile("exit.txt") == "EXIT=0\n")
        #expect(try session.screen().contains("Sandbox closed. Progress: 3 of 3 steps."))

        let progress = try String(contentsOfFile: data + "/ctutor/progress.json", encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(progress.utf8)) as? [String: Any])
        let lab = try #require((object["labs"] as? [String: Any])?["uts-lab"] as? [String: Any], "\(progress)")
        #expect(lab["stepsDone"] as? [String] == ["new-uts", "set-hostname", "note-inodes"], "\(progress)")
        #expect(lab["finished"] as? Bool == true)

        // Nothing left: the sandbox's processes, its directory, its run record.
        for pid in sandbox + [tutor] { #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)"), "process \(pid) is left") }
        #expect(Self.labDirectories() == labsBefore, "a lab directory is left")
        #expect(!Self.runRecords().contains { $0.contains("demo lab\n") }, "a lab's run record is left")
    }

    /// Every process below `pid`, from the host's `/proc`.
    static func descendants(of pid: Int32) -> [Int32] {
        var result: [Int32] = []
        var queue = [pid]
        while let next = queue.popLast() {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(next)/task")) ?? []
            for task in tasks {
                let text = (try? String(contentsOfFile: "/proc/\(next)/task/\(task)/children", encoding: .utf8)) ?? ""
                let children = text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                result += children
                queue += children
            }
        }
        return result
    }

    /// The lab directories of every state directory this machine's users have.
    static func labDirectories() -> Set<String> {
        var found: Set<String> = []
        let bases = ["/run/ctutor"] + ((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).filter { $0.hasPrefix("ctutor-") }.map { "/tmp/" + $0 }
        for base in bases {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: base + "/labs")) ?? [] { found.insert(base + "/labs/" + name) }
        }
        return found
    }

    static func runRecords() -> [String] {
        let bases = ["/run/ctutor"] + ((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).filter { $0.hasPrefix("ctutor-") }.map { "/tmp/" + $0 }
        return bases.flatMap { base in
            ((try? FileManager.default.contentsOfDirectory(atPath: base + "/runs")) ?? []).compactMap {
                try? String(contentsOfFile: base + "/runs/" + $0, encoding: .utf8)
            }
        }
    }
}
