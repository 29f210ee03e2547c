import Foundation
import Testing
import TutorCore

@testable import Engine

/// `ctutor doctor --cleanup`: a `ctutor-demo` in its own UTS namespace whose parent
/// is another program is found and killed; a live demo's child is left alone.
@Suite(.serialized, .enabled(if: Witness.isRoot, "needs root on Linux: unshare --uts requires CAP_SYS_ADMIN"))
struct LeftoverSweepTests {
    /// Starts `unshare --uts --fork <sleep named ctutor-demo>`: an isolated process
    /// named like a demo child whose parent is not ctutor. Returns unshare's process.
    private func startOrphanLookalike(in directory: URL) throws -> Process {
        let lookalike = directory.appendingPathComponent("ctutor-demo").path
        // cp in its own process, so no write descriptor of ours leaks into a concurrent clone (ETXTBSY).
        #expect(try Witness.run("cp", ["/bin/sleep", lookalike]).status == 0)
        let unshare = Process()
        unshare.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        unshare.arguments = ["--uts", "--fork", lookalike, "30"]
        try unshare.run()
        return unshare
    }

    private func waitUntil(_ condition: () -> Bool) {
        for _ in 0..<200 where !condition() { usleep(10_000) }
    }

    @Test func orphanIsFoundThenKilledAndALiveDemoIsLeftAlone() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let unshare = try startOrphanLookalike(in: directory)
        defer {
            unshare.terminate()
            unshare.waitUntilExit()
        }
        let parent = unshare.processIdentifier
        waitUntil { LeftoverSweep.find().contains { $0.parentPID == parent } }
        let orphan = try #require(LeftoverSweep.find().first { $0.parentPID == parent }, "the lookalike was not found")
        #expect(orphan.uts != (try Witness.link("/proc/self/ns/uts")))

        var demoReport: DemoReport?
        var sweep: LeftoverSweep.Result?
        demoReport = UTSNamespaceDemo().run { child in
            #expect(Witness.exists(pid: child.pid))
            #expect((try? Witness.text("/proc/\(child.pid)/comm")) == "ctutor-demo\n")
            sweep = LeftoverSweep.sweep()
            // The live demo child survived the sweep: its parent is the program that cloned it.
            #expect(Witness.exists(pid: child.pid))
            #expect(sweep?.found.contains { $0.pid == child.pid } == false)
        }
        #expect(demoReport?.cleanupStatus == "ok")
        let result = try #require(sweep)
        #expect(result.swept)
        #expect(result.found.map(\.pid).contains(orphan.pid))
        #expect(result.remaining.isEmpty)
        waitUntil { !Witness.exists(pid: orphan.pid) }
        #expect(!Witness.exists(pid: orphan.pid), "the orphan survived SIGKILL")
        #expect(LeftoverSweep.survey().found.isEmpty)
    }
}
