import Foundation
import Testing

/// `ctutor demo uts` as an unprivileged user: it must run in a user namespace and
/// the evidence is checked from outside, by this (root) test, while the child lives.
@Suite(
    .enabled(if: Binary.available, Binary.missingReason),
    .enabled(if: geteuid() == 0, "needs root to switch to an unprivileged user with setpriv"),
    .enabled(if: tool("setpriv") != nil && tool("nsenter") != nil, "needs util-linux setpriv and nsenter"))
struct RootlessDemoTests {
    /// The unprivileged user: CTUTOR_TEST_USER (made by .ci/run), else nobody.
    private func user() throws -> (uid: UInt32, gid: UInt32) {
        let name = ProcessInfo.processInfo.environment["CTUTOR_TEST_USER"] ?? "nobody"
        let entry = try #require(getpwnam(name), "no user \(name)")
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    @Test func unprivilegedDemoIsRootlessAndVerifiedFromOutside() throws {
        let (uid, gid) = try user()
        // A copy the unprivileged user can surely execute.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-rootless-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = dir.appendingPathComponent("ctutor").path
        // cp in its own process: a write descriptor opened here could leak into a
        // concurrently spawned child and make exec fail with ETXTBSY.
        #expect(try run(try #require(tool("cp")), [Binary.path!, binary]).status == 0)
        chmod(dir.path, 0o755)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool("setpriv")!)
        process.arguments = [
            "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", binary, "demo", "uts", "--json", "--hold", "--lang", "en",
        ]
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/"]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()

        // Read stderr until the hold line names the child.
        var stderrText = ""
        var childPID: Int32?
        while childPID == nil {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            stderrText += String(decoding: chunk, as: UTF8.self)
            if let line = stderrText.split(separator: "\n").first(where: { $0.hasPrefix("hold: pid=") }) {
                childPID = Int32(line.dropFirst("hold: pid=".count))
            }
        }
        let pid = try #require(childPID, "no hold line; stderr: \(stderrText)")

        // From outside, as root: the child is in its own user, UTS and PID namespaces.
        let uidMap = try String(contentsOfFile: "/proc/\(pid)/uid_map", encoding: .utf8).split(
            separator: " ", omittingEmptySubsequences: true
        ).map(String.init)
        #expect(uidMap.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } == ["0", "\(uid)", "1"])
        for kind in ["user", "uts", "pid"] {
            let inside = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/\(kind)")
            let ours = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/\(kind)")
            #expect(inside != ours, "\(kind) namespace not separate")
        }
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let nspid = status.split(separator: "\n").first { $0.hasPrefix("NSpid:") }?.split(separator: "\t").dropFirst().map(String.init)
        #expect(nspid == ["\(pid)", "1"])
        let witness = try run(tool("nsenter")!, ["-t", "\(pid)", "-u", "hostname"])
        #expect(witness.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ctutor-demo")

        input.fileHandleForWriting.write(Data("\n".utf8))
        try input.fileHandleForWriting.close()
        let json = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(report["mode"] as? String == "rootless")
        #expect(report["cleanup"] as? String == "ok")
        let observations = try #require(report["observations"] as? [[String: Any]])
        let hostname = observations.first { $0["id"] as? String == "hostname" }
        #expect(hostname?["inside"] as? String == "ctutor-demo")
        #expect(hostname?["host"] as? String != "ctutor-demo")
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)"), "the child outlived the demo")
    }
}
