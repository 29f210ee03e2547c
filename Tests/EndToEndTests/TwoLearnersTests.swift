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
        /// Where this learner's progress lives: `progress.json`, and the journal a
        /// command-line demo appends to.
        var dataDirectory: String
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
                dataDirectory: first + "/data/ctutor"))
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
                    home: second, dataDirectory: second + "/.local/share/ctutor"))
        } else {
            learners.append(
                Learner(
                    uid: getuid(), gid: getgid(), prefix: "env XDG_DATA_HOME=\(second)/data", home: second,
                    dataDirectory: second + "/data/ctutor"))
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
            // What the learner's own `ctutor lessons --json` reports: progress.json and
            // the journal together.
            let listed = try run("/bin/sh", ["-c", "\(learner.prefix) \(binary) lessons --json"], environment: environment)
            #expect(listed.status == 0, "\(listed.stderr)")
            let lessons = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
            let runs = Dictionary(
                uniqueKeysWithValues: lessons.map { ($0["id"] as? String ?? "?", ($0["progress"] as? [String: Any])?["demoRuns"] as? Int ?? -1) })
            // Every run of this learner's two terminals, none of the other learner's.
            #expect(runs["program-process-thread"] == 2 * Self.runsPerTerminal, "\(learner.dataDirectory): \(runs)")
            #expect(runs.filter { $0.value != 0 }.keys.sorted() == ["program-process-thread"])
            let files = try FileManager.default.contentsOfDirectory(atPath: learner.dataDirectory).filter { $0.hasPrefix("progress") }
            #expect(!files.isEmpty)
            for file in files {
                var status = stat()
                #expect(stat(learner.dataDirectory + "/" + file, &status) == 0)
                #expect(status.st_uid == learner.uid, "each learner owns their own progress: \(file)")
                #expect(status.st_mode & 0o077 == 0, "nobody else can read \(file)")
            }
        }
        #expect(Set(learners.map(\.dataDirectory)).count == 2)
    }
}
