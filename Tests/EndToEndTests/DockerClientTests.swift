import Foundation
import Testing

/// `ctutor docker`, the client's role, against `ctutor daemon`; and the docker-chain
/// demo with its witnesses. Each leaves nothing behind.
@Suite(
    .serialized, .enabled(if: Binary.available, Binary.missingReason),
    .enabled(if: geteuid() == 0, "needs root: the daemon mounts each container's overlay snapshot on the host"))
struct DockerClientTests {
    @Test("version, pull, run --rm (output, exit status), run -d --name, ps, logs, inspect, rm refused then rm -f, unknown option")
    func clientSequence() throws {
        let daemon = try DaemonUnderTest()
        defer { daemon.finish() }
        func docker(_ arguments: String...) throws -> (status: Int32, stdout: String, stderr: String) {
            try run(Binary.path!, ["docker", "--host", "unix://" + daemon.socket] + arguments)
        }
        #expect(try docker("version").stdout.contains("API version: 1.41"))
        #expect(try docker("pull", "busybox").stdout.contains("Status: Image is up to date for busybox:latest"))
        let ran = try docker("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 4")
        #expect(ran.status == 4 && ran.stdout == "out\n" && ran.stderr == "err\n", "\(ran)")
        let detached = try docker("run", "-d", "--name", "w", "busybox", "sh", "-c", "echo up; exec sleep 30")
        #expect(detached.status == 0 && detached.stdout.count == 65)
        #expect(try docker("ps").stdout.contains(" w\n"))
        var logs = try docker("logs", "w")
        for _ in 0..<50 where logs.stdout.isEmpty {
            usleep(50_000)
            logs = try docker("logs", "w")
        }
        #expect(logs.stdout == "up\n")
        #expect(try docker("inspect", "w").stdout.contains("\"Name\" : \"/w\""))
        let refused = try docker("rm", "w")
        #expect(refused.status == 1 && refused.stderr.contains("cannot remove a running container"))
        #expect(try docker("rm", "-f", "w").stdout == "w\n")
        #expect(!(try docker("ps", "-a").stdout.contains(" w\n")))
        let unknown = try docker("run", "-x", "busybox")
        #expect(unknown.status == 125 && unknown.stderr.contains("does not support -x"))
    }

    @Test("docker-chain: the tree daemon → shim → init, the init's parent the shim after the daemon stopped, found again, all cleaned")
    func chainDemo() throws {
        let result = try run(Binary.path!, ["demo", "docker-chain", "--json", "--lang", "en"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
        #expect(report["mode"] as? String == "real" && report["cleanup"] as? String == "ok", "\(result.stdout)")
        let observations = report["observations"] as? [[String: Any]] ?? []
        func sides(_ id: String) -> [String] {
            ((observations.first { $0["id"] as? String == id }?["sides"] as? [[String: Any]]) ?? []).compactMap { $0["value"] as? String }
        }
        let survives = sides("survives")
        #expect(survives.count == 2 && survives[0] == survives[1] && Int(survives[0]) != nil)
        let found = sides("found")
        #expect(found.count == 2 && found[0] == found[1] && found[0].count == 12)
        let tree = try #require(sides("tree").first).split(separator: "\n")
        #expect(
            tree.count == 3 && tree[0].contains("ctutor daemon") && tree[1].contains("ctutor shim --serve") && tree[2].contains("sleep 60"))
        // Each line's PPID is the PID of the line above.
        let pids = tree.map { $0.split(separator: " ")[1] }
        let parents = tree.map { $0.split(separator: " ", omittingEmptySubsequences: true)[3] }
        #expect(parents[1] == pids[0] && parents[2] == pids[1], "\(tree)")
        for pid in pids.compactMap({ Int32($0) }) {
            let cmdline = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            #expect(!cmdline.contains("dc-") && !cmdline.contains("sleep\u{0}60"), "process \(pid) left: \(cmdline)")
        }
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: "/run/ctutor")) ?? []).filter { $0.hasPrefix("dc-") }
        #expect(left.isEmpty, "demo state left: \(left)")
    }
}
