import Foundation
import Testing

/// The real Docker CLI (`docker`, no Docker engine) against `ctutor daemon`
/// with `DOCKER_HOST=unix://SOCKET`: the sequence, each command's output
/// checked, and an unsupported option answered with an error, never a hang.
/// The docker CLI, where Debian's docker.io or Docker's own packages put it.
let dockerCLI = ["/usr/bin/docker", "/usr/local/bin/docker"].first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite(
    .serialized, .enabled(if: Binary.available, Binary.missingReason),
    .enabled(if: dockerCLI != nil, "needs the docker CLI in /usr/bin or /usr/local/bin (apt-get install docker.io)"),
    .enabled(if: geteuid() == 0, "needs root: the daemon mounts each container's overlay snapshot on the host"))
struct DockerCLITests {
    @Test("version, info, ps -a, images, pull, run --rm, run -d --name, logs, inspect, stop, rm; -p refused")
    func sequence() throws {
        let daemon = try DaemonUnderTest()
        defer { daemon.finish() }
        var environment = ProcessInfo.processInfo.environment
        environment["DOCKER_HOST"] = "unix://" + daemon.socket
        environment["DOCKER_CONFIG"] = daemon.directory + "/docker-config"
        func docker(_ arguments: String...) throws -> (status: Int32, stdout: String, stderr: String) {
            let started = ContinuousClock.now
            let result = try run("/usr/bin/timeout", ["30", dockerCLI!] + arguments, environment: environment)
            #expect(ContinuousClock.now - started < .seconds(25), "docker \(arguments) took too long")
            return result
        }
        let version = try docker("version")
        #expect(version.status == 0 && version.stdout.contains("API version:      1.41"), "\(version)")
        let info = try docker("info")
        #expect(info.status == 0 && info.stdout.contains("Server Version: 0.1.0"), "\(info)")
        #expect(try docker("ps", "-a").stdout.hasPrefix("CONTAINER ID"))
        let pulled = try docker("pull", "busybox")
        #expect(
            pulled.status == 0 && pulled.stdout.contains("Digest: sha256:") && pulled.stdout.contains("docker.io/library/busybox:latest"),
            "\(pulled)")
        #expect(try docker("images").stdout.contains("busybox "))
        let hi = try docker("run", "--rm", "busybox", "echo", "hi")
        #expect(hi.status == 0 && hi.stdout == "hi\n", "\(hi)")
        let failing = try docker("run", "--rm", "busybox", "sh", "-c", "echo to-err >&2; exit 3")
        #expect(failing.status == 3 && failing.stderr.contains("to-err"), "\(failing)")
        let detached = try docker("run", "-d", "--name", "web", "busybox", "sh", "-c", "echo serving; exec sleep 60")
        #expect(detached.status == 0 && detached.stdout.count == 65, "\(detached)")
        let ps = try docker("ps")
        #expect(ps.stdout.contains(" web\n") && ps.stdout.contains("Up "), "\(ps)")
        var logs = try docker("logs", "web")
        for _ in 0..<50 where logs.stdout.isEmpty {
            usleep(50_000)
            logs = try docker("logs", "web")
        }
        #expect(logs.status == 0 && logs.stdout == "serving\n", "\(logs)")
        let inspect = try docker("inspect", "web")
        let object = try #require((try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [[String: Any]])?.first)
        #expect(object["Name"] as? String == "/web" && (object["State"] as? [String: Any])?["Running"] as? Bool == true)
        let stop = try docker("stop", "-t", "1", "web")
        #expect(stop.status == 0 && stop.stdout == "web\n", "\(stop)")
        #expect(try docker("ps", "-a").stdout.contains("Exited (137)"))
        let rm = try docker("rm", "web")
        #expect(rm.status == 0 && rm.stdout == "web\n")
        let gone = try docker("inspect", "web")
        #expect(gone.status == 1 && gone.stderr.contains("No such object: web"))
        // A command that cannot start: an error at once, and the --rm container removed
        // (the CLI waits for that removal).
        let missing = try docker("run", "--rm", "busybox", "no-such-command")
        #expect(missing.status != 0 && missing.stderr.contains("no-such-command"), "\(missing)")
        #expect(!(try docker("ps", "-a").stdout.contains("no-such-command")))
        let ports = try docker("run", "-p", "80:80", "busybox", "true")
        #expect(ports.status == 125 && ports.stderr.contains("does not support published ports"), "\(ports)")
        let networks = try docker("network", "ls")
        #expect(networks.status == 1 && networks.stderr.contains("does not implement GET /v1.41/networks"))
    }
}
