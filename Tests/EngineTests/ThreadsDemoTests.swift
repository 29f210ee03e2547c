import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// One thread as the test reads it in `/proc/<pid>/task/<tid>`.
private struct TaskSighting: Equatable {
    var tid: Int32
    var name: String
}

/// Eight bytes of `pid`'s memory at `address`, read by the test through `/proc/<pid>/mem`.
private func word(of pid: Int32, at address: UInt) throws -> UInt64 {
    let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(pid)/mem"))
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(address))
    let data = try #require(try handle.read(upToCount: 8))
    try #require(data.count == 8)
    return data.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
}

private let binary = Witness.ctutorBinary ?? ""

@Suite(
    "Threads demo", .serialized, .enabled(if: Witness.isLinux, "reads /proc: Linux only"),
    .enabled(if: Witness.ctutorBinary != nil, Witness.noBinaryReason))
struct ThreadsDemoTests {
    @Test("the threads the report lists are the ones the test finds in /proc/<pid>/task; memory read by the test")
    func threadsSeenFromOutside() throws {
        var tasks: [TaskSighting] = []
        var values: [UInt64] = []
        var pids: [Int32] = []
        var recorded: [Int32]?
        let report = ThreadsDemo(childExecutable: binary).run { child in
            pids = [child.pid] + child.others
            let directory = "/proc/\(child.pid)/task"
            tasks = try FileManager.default.contentsOfDirectory(atPath: directory).compactMap(Int32.init).sorted().map { tid in
                TaskSighting(tid: tid, name: try Witness.text("\(directory)/\(tid)/comm").trimmingCharacters(in: .newlines))
            }
            values = try pids.map { try word(of: $0, at: ThreadsDemo.bufferAddress) }
            recorded = Witness.runRecord(demo: "threads")
        }
        #expect(report.reason == nil, "\(report.reason?.en ?? "")")
        try #require(pids.count == 2, "the children were never alive: \(report.reason?.en ?? "")")
        #expect(recorded.map(Set.init) == Set(pids))

        #expect(Set(tasks.map(\.name)) == ["word-processor", "render", "input", "spell-check"])
        #expect(tasks.count == 4)
        #expect(tasks.first { $0.name == "word-processor" }?.tid == pids[0], "the main thread's TID is the PID")
        let listed = try #require(report.observation("tasks")?.value("task")).split(separator: "\n").map { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return TaskSighting(tid: Int32(fields[0]) ?? -1, name: String(fields[1]))
        }
        #expect(listed == tasks)
        #expect(report.observation("main-tid")?.value("pid") == "\(pids[0])")
        #expect(report.observation("main-tid")?.value("main") == "\(pids[0])")

        let hex = values.map { "0x" + String($0, radix: 16) }
        #expect(report.observation("shared")?.sides.map(\.value) == [hex[0], hex[0], hex[0]])
        #expect(
            report.observation("address")?.sides.map(\.value)
                == Array(repeating: "0x" + String(ThreadsDemo.bufferAddress, radix: 16), count: 2))
        #expect(report.observation("value")?.sides.map(\.value) == hex)
        #expect(values[0] != values[1], "two processes, the same address, different memory")
        #expect(report.observations.allSatisfy { $0.holds })

        for pid in pids {
            #expect(!Witness.exists(pid: pid))
            #expect(!Witness.children().contains(pid))
        }
        #expect(report.cleanupStatus == "ok")
        #expect(report.cleanup.count == 2)
        #expect(Witness.runRecord(demo: "threads") == nil)
        #expect(report.succeeded)
    }

    @Test("children that do not exit when the pipe closes are killed and reaped; so when whileAlive throws")
    func stoppedChildrenAreKilled() throws {
        struct Interrupted: Error {}
        var pids: [Int32] = []
        let report = ThreadsDemo(childExecutable: binary).run { child in
            pids = [child.pid] + child.others
            // Stopped, it cannot see its pipe close.
            #expect(kill(child.pid, SIGSTOP) == 0)
            throw Interrupted()
        }
        try #require(pids.count == 2)
        #expect(report.reason?.en.contains("Interrupted") == true)
        #expect(report.cleanupStatus == "ok")
        #expect(
            report.steps.map(\.en).contains(
                "no exit within 2 s: kill(\(pids[0]), SIGKILL); waitpid(\(pids[0])) → killed by signal \(SIGKILL)"))
        #expect(report.steps.map(\.en).contains("waitpid(\(pids[1])) → exited with status 0"))
        for pid in pids {
            #expect(!Witness.exists(pid: pid))
            #expect(!Witness.children().contains(pid))
        }
        #expect(Witness.runRecord(demo: "threads") == nil)
    }

    @Test("the child's line: read whole, ERR as the failed call, anything else refused")
    func childLine() throws {
        let line = "OK pid=42 main=42 buffer=0x1000000000 render=43 lines=3 input=44 wrote=0xab spell-check=45 read=0xab"
        let report = try ThreadsChildReport(line: line)
        #expect(report.pid == 42)
        #expect(report.mainTID == 42)
        #expect(report.buffer == 0x10_0000_0000)
        #expect(report.threads == ["render": 43, "input": 44, "spell-check": 45])
        #expect(report.renderedLines == 3)
        #expect(report.wrote == 0xab && report.read == 0xab)
        #expect(throws: ChildFailure.syscall(SyscallError(call: "mmap", errno: ENOMEM))) {
            try ThreadsChildReport(line: "ERR mmap \(ENOMEM)")
        }
        #expect(throws: ChildFailure.malformedReport("OK pid=42")) { try ThreadsChildReport(line: "OK pid=42") }
    }
}
