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
