import Foundation
import Testing

/// Two learners on one server at the same time: each runs demos from the command
/// line in two terminals at once, and each one's progress counts every run of
/// their own and none of the other's. As root the second learner is the unprivileged
/// test user (setpriv); otherwise the two are told apart by their data folders.
@Suite(.enabled(if: Binary.available, Binary.missingReason))
struct TwoLearnersTests {
    static let runsPerTerminal = 6

    struct Learner {
        var uid: uid_t
        var gid: gid_t
        /// The shell command prefix that runs as this learner.
        var prefix: String
        var home: String
        var progressFile: String
    }

    @Test func concurrentDemoRunsCountForEachLearnerAloneAndCompletely() throws {
        let temp = try TempFolder()
        chmod(temp.path, 0o755)
        // A copy of the binary the unprivileged user can surely execute, finding the
        // repository's lessons through CTUTOR_LESSONS.
        let binary = temp.path + "/ctutor"
        #expect(try run(try #require(tool("cp")), [Binary.path!, binary]).status == 0)
        var learners: [Learner] = []
        let first = temp.path + "/first"
        try FileManager.default.createDirectory(atPath: first, withIntermediateDirectories: true)
        learners.append(
            Learner(
                uid: getuid(), gid: getgid(), prefix: "env XDG_DATA_HOME=\(first)/data", home: first,
                progressFile: first + "/data/ctutor/progress.json"))
        let second = temp.path + "/second"
        try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: true)
        let name = ProcessInfo.processInfo.environment["CTUTOR_TEST_USER"] ?? "ctutor-ci"
        if geteuid() == 0, let setpriv = tool("setpriv"), let entry = getpwnam(name) {
            let (uid, gid) = (entry.pointee.pw_uid, entry.pointee.pw_gid)
            chown(second, uid, gid)
            learners.append(
                Learner(
                    uid: uid, gid: gid,
                    prefix: "\(setpriv) --reuid=\(uid) --regid=\(gid) --clear-groups env -u XDG_DATA_HOME HOME=\(second)",
                    home: second, progressFile: second + "/.local/share/ctutor/progress.json"))
        } else {
            learners.append(
                Learner(
                    uid: getuid(), gid: getgid(), prefix: "env XDG_DATA_HOME=\(second)/data", home: second,
                    progressFile: second + "/data/ctutor/progress.json"))
        }
        // Two terminals per learner, all four at once; each says when its loop is done.
        let loop = "i=0; while [ $i -lt \(Self.runsPerTerminal) ]; do \(binary) demo process >/dev/null || echo failed; i=$((i+1)); done"
        let script =
            learners.flatMap { learner in
                (1...2).map { _ in "\(learner.prefix) /bin/sh -c '\(loop)' &" }
            }.joined(separator: "\n") + "\nwait\n"
        let environment = [
            "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "CTUTOR_LESSONS": Binary.lessons, "HOME": first, "XDG_DATA_HOME": first + "/data",
        ]
        let result = try run("/bin/sh", ["-c", script], environment: environment)
        #expect(result.status == 0 && !result.stdout.contains("failed"), "\(result.stdout)\(result.stderr)")

        for learner in learners {
            let data = try #require(FileManager.default.contents(atPath: learner.progressFile), "no \(learner.progressFile)")
            let progress = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let lessons = try #require(progress["lessons"] as? [String: [String: Any]])
            // Every run of this learner's two terminals, none of the other learner's.
            #expect(
                lessons["program-process-thread"]?["demoRuns"] as? Int == 2 * Self.runsPerTerminal, "\(learner.progressFile): \(lessons)")
            #expect(Set(lessons.keys) == ["program-process-thread"])
            var status = stat()
            #expect(stat(learner.progressFile, &status) == 0)
            #expect(status.st_uid == learner.uid, "each learner owns their own progress")
            #expect(status.st_mode & 0o077 == 0, "nobody else can read it")
        }
        #expect(Set(learners.map(\.progressFile)).count == 2)
    }
}
