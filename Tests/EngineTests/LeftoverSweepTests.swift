import Foundation
import Testing
import TutorCore

@testable import Engine

/// `ctutor doctor --cleanup` releases exactly what dead runs recorded: a recorded
/// process of a dead run is killed; a process whose PID matches but whose start time
/// does not (a reused PID) is spared; a live run's record is left alone.
@Suite(.serialized)
struct LeftoverSweepTests {
    private func sleeper() throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["30"]
        try process.run()
        return process
    }

    /// Writes a record as a run owned by `owner` would have.
    private func plant(_ contents: RunRecord.Contents) throws -> URL {
        let directory = try #require(StateDirectory.runs(), "no usable state directory")
        let file = directory.appendingPathComponent("run-test-\(UUID().uuidString).record")
        try StateDirectory.writeAtomically(Data(contents.text.utf8), to: file)
        return file
    }

    /// A PID and start time that no longer name a running process.
    private func deadOwner() throws -> (Int32, UInt64) {
        let process = try sleeper()
        let pid = process.processIdentifier
        let start = try #require(ProcessStart.of(pid))
        kill(pid, SIGKILL)
        process.waitUntilExit()
        return (pid, start)
    }

    @Test func aDeadRunsProcessIsKilledAReusedPIDAndALiveRunAreSpared() throws {
        let orphan = try sleeper()
        let bystander = try sleeper()
        let live = try sleeper()
        defer {
            for process in [orphan, bystander, live] where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        let (deadPID, deadStart) = try deadOwner()
        // Other suites (the leak test kills ctutor on purpose) may leave dead runs of
        // their own meanwhile: this test looks only at the runs it plants.
        let demo = "sweep-test-\(UUID().uuidString.prefix(8))"
        let ours = { (found: [LeftoverSweep.Leftover]) in found.filter { $0.demo == demo }.map(\.resource) }
        let orphanStart = try #require(ProcessStart.of(orphan.processIdentifier))
        let bystanderStart = try #require(ProcessStart.of(bystander.processIdentifier))
        let dead = try plant(
            RunRecord.Contents(
                demo: demo, ownerPID: deadPID, ownerStart: deadStart,
                resources: [
                    .process(pid: orphan.processIdentifier, start: orphanStart),
                    // Same PID as a running process, another start time: what a reused PID looks like.
                    .process(pid: bystander.processIdentifier, start: bystanderStart + 1),
                ]))
        let ownStart = try #require(ProcessStart.of(getpid()))
        let alive = try plant(
            RunRecord.Contents(
                demo: demo, ownerPID: getpid(), ownerStart: ownStart,
                resources: [.process(pid: live.processIdentifier, start: try #require(ProcessStart.of(live.processIdentifier)))]))
        defer {
            unlink(dead.path)
            unlink(alive.path)
        }

        let survey = LeftoverSweep.survey()
        #expect(ours(survey.found) == [.process(pid: orphan.processIdentifier, start: orphanStart)])
        #expect(orphan.isRunning, "a survey must change nothing")

        let sweep = LeftoverSweep.sweep()
        #expect(ours(sweep.found) == [.process(pid: orphan.processIdentifier, start: orphanStart)])
        #expect(ours(sweep.remaining).isEmpty)
        orphan.waitUntilExit()
        #expect(orphan.terminationReason == .uncaughtSignal && orphan.terminationStatus == SIGKILL)
        #expect(bystander.isRunning, "a process with the recorded PID but another start time was killed")
        #expect(live.isRunning, "a live run's process was killed")
        #expect(!FileManager.default.fileExists(atPath: dead.path), "the dead run's record stayed")
        #expect(FileManager.default.fileExists(atPath: alive.path), "the live run's record was removed")
        #expect(ours(LeftoverSweep.survey().found).isEmpty)
    }

    @Test func aDaemonIsFoundByTheDirectoryItServesFrom() {
        let directory = "/run/ctutor/dc-1f2e"
        let daemon = "/usr/local/bin/ctutor\0daemon\0--socket\0/run/ctutor/dc-1f2e/docker.sock\0--root\0/run/ctutor/dc-1f2e/root\0"
        #expect(LeftoverSweep.isDaemon(cmdline: daemon, servingFrom: directory))
        #expect(LeftoverSweep.isDaemon(cmdline: "ctutor\0daemon\0--root\0/run/ctutor/dc-1f2e/root\0", servingFrom: directory + "/"))
        // Another directory, one only named alike, another role, a path not after its option.
        #expect(!LeftoverSweep.isDaemon(cmdline: daemon, servingFrom: "/run/ctutor/dc-9999"))
        #expect(!LeftoverSweep.isDaemon(cmdline: daemon, servingFrom: "/run/ctutor/dc-1f"))
        #expect(!LeftoverSweep.isDaemon(cmdline: "ctutor\0shim\0--serve\0--root\0/run/ctutor/dc-1f2e/root\0", servingFrom: directory))
        #expect(!LeftoverSweep.isDaemon(cmdline: "ctutor\0daemon\0/run/ctutor/dc-1f2e/root\0", servingFrom: directory))
    }

    @Test(
        "a daemon a killed run started but had not yet recorded goes with the directory it serves from; another is spared",
        .enabled(if: Witness.isRoot && Witness.ctutorBinary != nil, "needs root (ctutor daemon refuses otherwise) and the built ctutor"))
    func anUnrecordedDaemonGoesWithItsDirectory() throws {
        // Short: a shim's socket, ROOT/rt/<64-hex id>/shim.sock, must fit in 107 bytes.
        let base = "/tmp/cs-\(UUID().uuidString.prefix(6))"
        func daemon(_ directory: String) throws -> Process {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(Witness.ctutorBinary))
            process.arguments = ["daemon", "--socket", directory + "/d.sock", "--root", directory + "/root"]
            FileManager.default.createFile(atPath: directory + ".log", contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + ".log"))
            process.standardOutput = log
            process.standardError = log
            try process.run()
            for _ in 0..<250 where !FileManager.default.fileExists(atPath: directory + "/d.sock") { usleep(20_000) }
            try #require(
                FileManager.default.fileExists(atPath: directory + "/d.sock"),
                "the daemon did not start: \((try? String(contentsOfFile: directory + ".log", encoding: .utf8)) ?? "")")
            return process
        }
        let recorded = try daemon(base + "/dc-a")
        let other = try daemon(base + "/dc-b")
        defer {
            for process in [recorded, other] where process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(atPath: base)
        }
        let (deadPID, deadStart) = try deadOwner()
        let record = try plant(
            RunRecord.Contents(
                demo: "sweep-test-\(UUID().uuidString.prefix(8))", ownerPID: deadPID, ownerStart: deadStart,
                resources: [.directory(path: base + "/dc-a")]))
        defer { unlink(record.path) }
        #expect(LeftoverSweep.daemons(servingFrom: base + "/dc-a") == [recorded.processIdentifier])

        _ = LeftoverSweep.sweep()
        recorded.waitUntilExit()
        #expect(recorded.terminationReason == .uncaughtSignal && recorded.terminationStatus == SIGKILL)
        #expect(!FileManager.default.fileExists(atPath: base + "/dc-a"))
        #expect(other.isRunning, "a daemon serving from another directory was killed")
    }

    @Test func aRecordFollowsTheRunAndGoesWithIt() throws {
        let record = RunRecord.begin(demo: "test")
        let file = try #require(record.file)
        let child = try sleeper()
        defer { kill(child.processIdentifier, SIGKILL) }
        record.addProcess(child.processIdentifier)
        let written = try #require(RunRecord.read(file))
        #expect(written.ownerPID == getpid())
        #expect(written.resources == [.process(pid: child.processIdentifier, start: try #require(ProcessStart.of(child.processIdentifier)))])
        record.removeProcess(child.processIdentifier)
        #expect(RunRecord.read(file)?.resources == [])
        record.finish()
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func aHalfWrittenRecordOfADeadWriterIsRemovedALiveOnesIsNot() throws {
        let directory = try #require(StateDirectory.runs(), "no usable state directory")
        let (deadPID, _) = try deadOwner()
        let abandoned = directory.appendingPathComponent("run-test-\(UUID().uuidString).record.tmp-\(deadPID)")
        let writing = directory.appendingPathComponent("run-test-\(UUID().uuidString).record.tmp-\(getpid())")
        for file in [abandoned, writing] { #expect(FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8))) }
        defer { unlink(writing.path) }
        _ = LeftoverSweep.sweep()
        #expect(!FileManager.default.fileExists(atPath: abandoned.path))
        #expect(FileManager.default.fileExists(atPath: writing.path))
    }
}
