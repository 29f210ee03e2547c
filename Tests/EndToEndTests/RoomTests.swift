import Foundation
import Testing

/// A classroom on one server: 30 learners (30 data directories) run demos at the same
/// time, two at once each, and every demo succeeds, every run is counted in its
/// learner's own progress, and nothing is left behind.
///
/// The learners' processes carry a marker in their environment, so the test finds
/// anything of theirs still alive in /proc without mistaking other suites' work for it.
@Suite(.enabled(if: Binary.available, Binary.missingReason))
struct RoomTests {
    static let learners = 30
    static let demos = ["uts", "pid"]
    /// Each learner runs this many streams of the demos at once, into one progress file.
    static let streams = 2

    struct Run: Sendable {
        var learner: Int
        var demo: String
        var status: Int32
        var mode: String?
        var seconds: Double
        var stderr: String
    }

    @Test func thirtyLearnersAtOnceLoseNothingAndLeaveNothing() throws {
        let room = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-room-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: room, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: room) }
        let marker = UUID().uuidString
        var base = ProcessInfo.processInfo.environment
        base["CTUTOR_ROOM_TEST"] = marker
        base["CTUTOR_LESSONS"] = Binary.lessons

        let common = base
        let environment: @Sendable (Int) -> [String: String] = { learner in
            var env = common
            let home = room.appendingPathComponent("learner\(learner)")
            env["HOME"] = home.path
            env["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
            env["TMPDIR"] = home.appendingPathComponent("tmp").path
            return env
        }
        for learner in 0..<Self.learners {
            try FileManager.default.createDirectory(
                at: room.appendingPathComponent("learner\(learner)/tmp"), withIntermediateDirectories: true)
        }

        let results = Results()
        let start = Date()
        // One thread per stream (concurrentPerform would run only as many as there are
        // cores): all 60 start together, as a room does after "now run the demo".
        let group = DispatchGroup()
        for slot in 0..<(Self.learners * Self.streams) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                Self.stream(learner: slot / Self.streams, environment: environment(slot / Self.streams), into: results)
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let wall = Date().timeIntervalSince(start)
        let runs = results.all
        let expectedRuns = Self.learners * Self.streams * Self.demos.count
        #expect(runs.count == expectedRuns)
        let failed = runs.filter { $0.status != 0 || !["real", "rootless"].contains($0.mode ?? "") }
        #expect(failed.isEmpty, "\(failed.prefix(3).map { "learner\($0.learner) \($0.demo): \($0.status) \($0.mode ?? "-") \($0.stderr)" })")

        // Every run counted in its own learner's progress, none in another's.
        let perLearner = Self.streams
        for learner in 0..<Self.learners {
            // As the learner's own `ctutor lessons --json` reports it.
            let listed = try run(Binary.path!, ["lessons", "--json"], environment: environment(learner))
            let lessons = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
            let runs = Dictionary(
                uniqueKeysWithValues: lessons.map { ($0["id"] as? String ?? "?", ($0["progress"] as? [String: Any])?["demoRuns"] as? Int ?? -1) })
            #expect(runs["uts-namespace"] == perLearner && runs["pid-namespace"] == perLearner, "learner\(learner): \(runs)")
            #expect(runs.values.reduce(0, +) == 2 * perLearner, "learner\(learner): \(runs)")
            let temporary = try FileManager.default.contentsOfDirectory(atPath: room.appendingPathComponent("learner\(learner)/tmp").path)
            #expect(temporary.isEmpty, "learner\(learner) left \(temporary)")
        }
        #expect(Self.processes(carrying: marker).isEmpty, "processes left: \(Self.processes(carrying: marker))")
        #expect(emptyCtutorCgroups().isEmpty)

        let times = runs.map(\.seconds).sorted()
        let median = times[times.count / 2] * 1000
        print(
            "room: \(Self.learners) learners, \(runs.count) demos (\(Self.demos.joined(separator: ", "))), \(failed.count) failed, "
                + String(format: "wall %.1f s, per demo median %.0f ms, max %.0f ms", wall, median, (times.last ?? 0) * 1000))
    }

    /// One learner's stream: each demo once, in turn.
    static func stream(learner: Int, environment: [String: String], into results: Results) {
        for demo in demos {
            let began = Date()
            let outcome = try? run(Binary.path!, ["demo", demo, "--json"], environment: environment)
            let mode = outcome.flatMap { try? JSONSerialization.jsonObject(with: Data($0.stdout.utf8)) as? [String: Any] }?["mode"]
            results.add(
                Run(
                    learner: learner, demo: demo, status: outcome?.status ?? -1, mode: mode as? String,
                    seconds: Date().timeIntervalSince(began), stderr: outcome?.stderr ?? "could not start"))
        }
    }

    /// PIDs whose environment carries the room's marker.
    static func processes(carrying marker: String) -> [Int32] {
        let needle = Data("CTUTOR_ROOM_TEST=\(marker)".utf8)
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { Int32($0) } ?? []
        return pids.filter { pid in
            guard pid != getpid(), let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environ.range(of: needle) != nil
        }
    }

    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var runs: [Run] = []
        func add(_ run: Run) { lock.withLock { runs.append(run) } }
        var all: [Run] { lock.withLock { runs } }
    }
}
