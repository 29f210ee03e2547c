import Engine
import Foundation
import Testing
import TutorCore

#if canImport(Glibc)
import Glibc
#endif

/// What the test saw of one live process for itself.
private struct Sighting: Equatable {
    var pid: Int32
    var state: String
    var executable: String
    var inode: String
}

private func sight(_ pid: Int32) throws -> Sighting {
    let state = try Witness.status("State", pid: pid).joined(separator: " ")
    // stat -L follows /proc/<pid>/exe to the file the process runs.
    let inode = try Witness.run("stat", ["-L", "-c", "%i", "/proc/\(pid)/exe"]).output.trimmingCharacters(in: .newlines)
    return Sighting(pid: pid, state: state, executable: try Witness.link("/proc/\(pid)/exe"), inode: inode)
}

@Suite("Process demo", .serialized, .enabled(if: Witness.isLinux, "reads /proc: Linux only"))
struct ProcessDemoTests {
    @Test("three live processes of one file: their own PIDs, the same executable and inode, all seen by the test")
    func threeProcessesOneFile() throws {
        var seen: [Sighting] = []
        var recorded: [Int32]?
        let report = ProcessDemo().run { child in
            let pids = [child.pid] + child.others
            seen = try pids.map(sight)
            recorded = Witness.runRecord(demo: "process")
            for pid in pids { #expect(Witness.children().contains(pid)) }
        }
        #expect(report.reason == nil, "\(report.reason?.en ?? "")")
        try #require(seen.count == 3, "the processes were never alive together: \(report.reason?.en ?? "")")
        let pids = seen.map(\.pid)
        #expect(Set(pids).count == 3)
        #expect(recorded.map(Set.init) == Set(pids))

        let file = URL(fileURLWithPath: "/bin/sleep").resolvingSymlinksInPath().path
        let inode = try Witness.run("stat", ["-L", "-c", "%i", file]).output.trimmingCharacters(in: .newlines)
        let processes = ["process1", "process2", "process3"]
        #expect(report.observation("pid")?.sides.map(\.value) == pids.map(String.init))
        #expect(report.observation("pid")?.holds == true)
        #expect(report.observation("exe")?.value("disk") == file)
        #expect(processes.map { report.observation("exe")?.value($0) } == seen.map(\.executable))
        #expect(seen.allSatisfy { $0.executable == file })
        #expect(report.observation("inode")?.value("disk") == inode)
        #expect(processes.map { report.observation("inode")?.value($0) } == seen.map(\.inode))
        #expect(seen.allSatisfy { $0.inode == inode })
        #expect(processes.map { report.observation("state")?.value($0) } == seen.map(\.state))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(report.observation("size")?.value("disk") == "\(size)")
        #expect(report.observations.allSatisfy { $0.holds })

        for pid in pids {
            #expect(!Witness.exists(pid: pid), "/proc/\(pid) is still there")
            #expect(!Witness.children().contains(pid))
        }
        #expect(report.cleanup.count == 3)
        #expect(report.cleanupStatus == "ok")
        #expect(Witness.runRecord(demo: "process") == nil)
        #expect(report.succeeded)
    }

    @Test("whileAlive throwing still kills and reaps all three")
    func interrupted() throws {
        struct Interrupted: Error {}
        var pids: [Int32] = []
        let report = ProcessDemo().run { child in
            pids = [child.pid] + child.others
            throw Interrupted()
        }
        #expect(pids.count == 3)
        #expect(report.reason?.en.contains("Interrupted") == true)
        #expect(report.cleanupStatus == "ok")
        for pid in pids {
            #expect(!Witness.exists(pid: pid))
            #expect(!Witness.children().contains(pid))
        }
        #expect(Witness.runRecord(demo: "process") == nil)
    }
}
