import Foundation
import Testing

/// Nothing a demo makes outlives it: every demo of `ctutor demo list`, run to the end
/// and killed with SIGKILL at random points, leaves the host as it found it — once
/// `ctutor doctor --cleanup` has released what a killed run recorded.
///
/// The witnesses are the test's own: the ctutor under test runs in a session of its
/// own (setsid), so every process it or its launcher makes carries that session id
/// in /proc/<pid>/stat; mounts and links are counted in the host's mountinfo and
/// /proc/net/dev; queues in /proc/sysvipc/msg by their creator's PID; temporary
/// directories in a private TMPDIR.
@Suite(
    .serialized, .enabled(if: Binary.available, Binary.missingReason),
    .enabled(if: geteuid() == 0, "runs every demo in real mode, which needs root"))
struct LeakTests {
    struct Census: Equatable {
        var sessionProcesses: [Int32]
        /// Host mounts that name this test's own folders (an overlay of its data
        /// directory's layers, a bundle under its state): other suites mount and
        /// unmount beside this one, so the host's whole count is not a witness.
        var mounts: [String]
        var hostLinks: [String]
        var queues: [String]
        var temporaryEntries: [String]
        /// Container directories in the data directory, and ctutor's cgroups (v1 and v2)
        /// with no process in them (a live one may be another test's).
        var containers: [String]
        var cgroups: [String]

        /// Nothing new is left: every field as before, except that queues and links other
        /// tests made meanwhile may have gone (their suites run beside this one).
        func leavesNothingBeyond(_ before: Census) -> Bool {
            var same = self
            same.queues = before.queues
            same.hostLinks = before.hostLinks
            return same == before && Set(queues).isSubset(of: before.queues) && Set(hostLinks).isSubset(of: before.hostLinks)
        }
    }

    private func census(session: Int32, creators: Set<Int32>, temporary: String) throws -> Census {
        let pids = try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap { Int32($0) }
        let inSession = pids.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            // After "pid (comm)": state, ppid, pgrp, session.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 3 && Int32(fields[3]) == session
        }
        let mountinfo = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        // The engine's bridge tests (run beside this suite) use bridges named cttest…: theirs, not ours.
        func isTestBridgeLink(_ name: String) -> Bool {
            let master = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/sys/class/net/\(name)/master")) ?? ""
            return name.hasPrefix("cttest") || (master as NSString).lastPathComponent.hasPrefix("cttest")
        }
        let links = try String(contentsOfFile: "/proc/net/dev", encoding: .utf8).split(separator: "\n").dropFirst(2)
            .compactMap { $0.split(separator: ":").first?.trimmingCharacters(in: .whitespaces) }.filter { !isTestBridgeLink($0) }
        // key msqid perms cbytes qnum lspid lrpid uid gid cuid cgid ...: no cpid; the
        // last sender/receiver columns are ours to check, and so is the owner's uid 0 + key 0 (IPC_PRIVATE).
        let queues = try String(contentsOfFile: "/proc/sysvipc/msg", encoding: .utf8).split(separator: "\n").dropFirst()
            .map(String.init).filter { line in
                let fields = line.split(whereSeparator: \.isWhitespace)
                return fields.count > 6 && (creators.contains(Int32(fields[5]) ?? -1) || creators.contains(Int32(fields[6]) ?? -1)
                    || (fields[0] == "0" && fields[7] == "0"))
            }
        return Census(
            sessionProcesses: inSession.sorted(),
            mounts: mountinfo.split(separator: "\n").map(String.init).filter { $0.contains(temporary) }.sorted(),
            hostLinks: links.sorted(), queues: queues.sorted(),
            temporaryEntries: try FileManager.default.contentsOfDirectory(atPath: temporary).sorted(),
            containers: ((try? FileManager.default.contentsOfDirectory(atPath: temporary + "-data/ctutor/containers")) ?? []).sorted(),
            cgroups: emptyCtutorCgroups(patience: .zero))
    }

    /// Starts `setsid ctutor demo ID --json` (its own session: the session id is its PID).
    private func start(_ demo: String, temporary: String) throws -> Int32 {
        let environment: [String] = [
            "PATH=/usr/bin:/bin:/usr/sbin:/sbin", "LANG=C.UTF-8", "TMPDIR=\(temporary)", "XDG_DATA_HOME=\(temporary)-data",
        ]
        let pid = try spawn(Binary.path!, ["demo", demo, "--json"], environment: environment, newSession: true)
        return pid
    }

    private func settle(session: Int32, creators: Set<Int32>, temporary: String, until expected: Census) throws -> Census {
        var now = try census(session: session, creators: creators, temporary: temporary)
        for _ in 0..<200 where !now.leavesNothingBeyond(expected) {
            usleep(10_000)
            now = try census(session: session, creators: creators, temporary: temporary)
        }
        return now
    }

    @Test func everyDemoLeavesNothingBehindEvenWhenKilled() throws {
        let demos = try run(Binary.path!, ["demo", "list"]).stdout.split(separator: "\n")
            .compactMap { $0.split(separator: "\t").first.map(String.init) }
        #expect(demos.count >= 12, "demo list: \(demos)")
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-leak-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(atPath: temporary)
            try? FileManager.default.removeItem(atPath: temporary + "-data")
        }
        var generator = SystemRandomNumberGenerator()

        for demo in demos {
            for killed in [false, true, true, true] {
                let baseline = try census(session: -1, creators: [], temporary: temporary)
                let pid = try start(demo, temporary: temporary)
                if killed { usleep(UInt32.random(in: 0...40_000, using: &generator)) }
                if killed { kill(pid, SIGKILL) }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                if !killed { #expect((status >> 8) & 0xff == 0, "ctutor demo \(demo) failed with status \(status)") }
                var expected = baseline
                expected.sessionProcesses = []
                var after = try settle(session: pid, creators: [pid], temporary: temporary, until: expected)
                if killed && !after.leavesNothingBeyond(expected) {
                    // What only a record can release (a host-side queue, say): doctor --cleanup's job.
                    #expect(try run(Binary.path!, ["doctor", "--cleanup"]).status == 0)
                    after = try settle(session: pid, creators: [pid], temporary: temporary, until: expected)
                }
                #expect(after.leavesNothingBeyond(expected), "ctutor demo \(demo)\(killed ? " killed" : "") left \(after) (before: \(expected))")
            }
        }
        // The killed runs' records (their processes gone) are released too.
        #expect(try run(Binary.path!, ["doctor", "--cleanup"]).status == 0)
        let survey = try run(Binary.path!, ["doctor", "--json"]).stdout
        let facts = try #require(JSONSerialization.jsonObject(with: Data(survey.utf8)) as? [[String: Any]])
        let leftovers = try #require(facts.first { $0["id"] as? String == "leftovers" })
        #expect((leftovers["remaining"] as? [String])?.isEmpty == true, "doctor still lists leftovers: \(leftovers)")
    }
}
