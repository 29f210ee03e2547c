import Foundation
import Testing

/// `ctutor daemon` through a plain HTTP client on its socket: the Docker Engine API's
/// status codes, headers and stream format, and a container's life through every
/// role (daemon → shim → runtime → container), witnessed in /proc.
@Suite(.serialized, .enabled(if: Binary.available, Binary.missingReason))
struct DockerAPITests {
    @Test("_ping (GET and HEAD), version negotiation, unknown routes answered at once")
    func pingAndErrors() throws {
        let daemon = try DaemonUnderTest()
        defer { daemon.finish() }
        let ping = try daemon.http("GET", "/_ping")
        #expect(ping.status == 200 && ping.text == "OK")
        #expect(
            ping.headers["api-version"] == "1.41" && ping.headers["ostype"] == "linux" && ping.headers["docker-experimental"] == "false")
        let head = try daemon.http("HEAD", "/_ping")
        #expect(head.status == 200 && head.body.isEmpty && head.headers["api-version"] == "1.41")
        let version = try daemon.http("GET", "/v1.41/version").object
        #expect(version["ApiVersion"] as? String == "1.41" && version["Os"] as? String == "linux")
        #expect(try daemon.http("GET", "/v1.30/info").object["OSType"] as? String == "linux")
        let tooNew = try daemon.http("GET", "/v1.50/version")
        #expect(tooNew.status == 400 && (tooNew.object["message"] as? String ?? "").contains("too new"))
        let started = ContinuousClock.now
        let unknown = try daemon.http("GET", "/v1.41/networks")
        #expect(unknown.status == 404 && unknown.object["message"] as? String == "ctutor daemon does not implement GET /v1.41/networks")
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(try daemon.http("GET", "/containers/nosuch/json").status == 404)
        #expect(try daemon.http("POST", "/containers/create", json: ["Image": "nosuch:1"]).status == 404)
        let bad = try daemon.http("POST", "/containers/create", json: ["Image": "busybox", "Cmd": ["true"], "Tty": true])
        #expect(bad.status == 400 && (bad.object["message"] as? String ?? "").contains("-t"))
        // Two requests on one connection, the second's body chunked.
        let both = try daemon.exchange(
            Data(
                ("GET /_ping HTTP/1.1\r\nHost: d\r\n\r\n"
                    + "POST /v1.41/containers/create HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "5\r\n{\"Ima\r\n10\r\nge\":\"nosuch:2\"}\r\n0\r\n\r\n").utf8))
        let text = String(decoding: both, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK") && text.contains("HTTP/1.1 404 Not Found") && text.contains("No such image: nosuch:2"))
    }

    @Test(
        "a container's life: create, 409 name, start, 304, the process tree, logs in 8-byte frames, 409 remove, stop, wait, remove",
        .enabled(if: geteuid() == 0, "needs root: the daemon mounts each container's overlay snapshot on the host"))
    func lifecycle() throws {
        let daemon = try DaemonUnderTest()
        defer { daemon.finish() }
        let body: [String: Any] = ["Image": "busybox", "Cmd": ["sh", "-c", "echo out; echo err >&2; exec sleep 30"]]
        let created = try daemon.http("POST", "/v1.41/containers/create?name=life", json: body)
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.object["Id"] as? String)
        #expect(id.count == 64 && id.allSatisfy(\.isHexDigit) && (created.object["Warnings"] as? [Any])?.isEmpty == true)
        #expect(try daemon.http("POST", "/containers/create?name=life", json: body).status == 409)
        #expect(try daemon.http("POST", "/containers/life/start").status == 204)
        #expect(try daemon.http("POST", "/containers/\(id.prefix(10))/start").status == 304)
        let state = try #require(try daemon.http("GET", "/containers/life/json").object["State"] as? [String: Any])
        #expect(state["Status"] as? String == "running" && state["Running"] as? Bool == true)
        let initPID = Int32(try #require(state["Pid"] as? Int))
        // daemon → shim (its child) → container init (the shim's, once the runtime exited).
        let initProcess = try #require(DaemonUnderTest.process(initPID))
        #expect(initProcess.cmdline.hasPrefix("sleep 30"))
        let shim = try #require(DaemonUnderTest.process(initProcess.parent))
        #expect(shim.cmdline.contains(" shim --serve --id \(id)"), "\(shim.cmdline)")
        #expect(shim.parent == daemon.pid)
        #expect(try String(contentsOfFile: "/proc/\(initPID)/root/etc/hostname", encoding: .utf8) == "\(id.prefix(12))\n")
        usleep(200_000)
        let logs = try daemon.http("GET", "/containers/life/logs?stdout=1&stderr=1")
        let frames = DaemonUnderTest.frames(logs.body)
        #expect(frames.contains { $0 == (1, "out\n") } && frames.contains { $0 == (2, "err\n") }, "\(frames)")
        #expect(DaemonUnderTest.frames(try daemon.http("GET", "/containers/life/logs?stderr=1").body).map(\.1) == ["err\n"])
        #expect(try daemon.http("DELETE", "/containers/life").status == 409)
        let listed = try #require(try daemon.http("GET", "/containers/json").json as? [[String: Any]])
        #expect(listed.contains { $0["Names"] as? [String] == ["/life"] && $0["State"] as? String == "running" })
        #expect(try daemon.http("POST", "/containers/life/stop?t=1").status == 204)
        #expect(try daemon.http("POST", "/containers/life/stop").status == 304)
        let waited = try daemon.http("POST", "/containers/life/wait")
        #expect(waited.status == 200 && waited.object["StatusCode"] as? Int == 137)
        #expect(DaemonUnderTest.process(initPID) == nil || DaemonUnderTest.process(initPID)?.state == "Z")
        #expect(
            try daemon.http("GET", "/containers/json").json as? [[String: Any]] == nil
                || (try daemon.http("GET", "/containers/json").json as? [[String: Any]])?.isEmpty == true)
        #expect(try daemon.http("DELETE", "/containers/life").status == 204)
        #expect(try daemon.http("GET", "/containers/life/json").status == 404)
    }

    @Test(
        "attach upgrades the connection (101) and streams the output of the start that follows, in frames, to the exit",
        .enabled(if: geteuid() == 0, "needs root: the daemon mounts each container's overlay snapshot on the host"))
    func attach() throws {
        let daemon = try DaemonUnderTest()
        defer { daemon.finish() }
        let created = try daemon.http(
            "POST", "/containers/create",
            json: [
                "Image": "busybox", "Cmd": ["sh", "-c", "sleep 0.3; echo one; echo two >&2; exit 7"], "HostConfig": ["AutoRemove": true],
            ])
        let id = try #require(created.object["Id"] as? String)
        let starter = Thread { _ = try? daemon.http("POST", "/containers/\(id)/start") }
        starter.start()
        let stream = try daemon.exchange(
            Data(
                "POST /v1.41/containers/\(id)/attach?stream=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                    .utf8))
        let end = try #require(stream.range(of: Data("\r\n\r\n".utf8)))
        #expect(String(decoding: stream[..<end.lowerBound], as: UTF8.self).hasPrefix("HTTP/1.1 101 UPGRADED"))
        #expect(DaemonUnderTest.frames(Data(stream[end.upperBound...])).map { "\($0.0) \($0.1)" } == ["1 one\n", "2 two\n"])
        // AutoRemove: gone once it exited.
        for _ in 0..<100 where try daemon.http("GET", "/containers/\(id)/json").status != 404 { usleep(20_000) }
        #expect(try daemon.http("GET", "/containers/\(id)/json").status == 404)
        #expect(!FileManager.default.fileExists(atPath: daemon.root + "/containers/\(id)"), "out of the containers at once")
    }

    @Test(
        "the daemon stopped, the container runs on under its shim; started again, the daemon finds it",
        .enabled(if: geteuid() == 0, "needs root: the daemon mounts each container's overlay snapshot on the host"))
    func restart() throws {
        let daemon = try DaemonUnderTest()
        defer { daemon.finish() }
        let id = try #require(
            try daemon.http("POST", "/containers/create?name=stays", json: ["Image": "busybox", "Cmd": ["sleep", "30"]]).object["Id"]
                as? String)
        #expect(try daemon.http("POST", "/containers/stays/start").status == 204)
        let pid = Int32(try #require((try daemon.http("GET", "/containers/stays/json").object["State"] as? [String: Any])?["Pid"] as? Int))
        let shimPID = try #require(DaemonUnderTest.process(pid)).parent
        #expect(daemon.stop() == 0)
        #expect(access(daemon.socket, F_OK) != 0)
        let after = try #require(DaemonUnderTest.process(pid))
        #expect(after.state != "Z" && after.parent == shimPID && DaemonUnderTest.process(shimPID)?.cmdline.contains("shim") == true)
        try daemon.start()
        #expect(daemon.output.contains("found \(id.prefix(12)) stays: running under shim \(shimPID)"))
        let listed = try #require(try daemon.http("GET", "/containers/json").json as? [[String: Any]])
        #expect(listed.map { $0["Id"] as? String } == [id])
        #expect(try daemon.http("POST", "/containers/stays/kill?signal=KILL").status == 204)
        let waited = try daemon.http("POST", "/containers/stays/wait?condition=not-running")
        #expect(waited.object["StatusCode"] as? Int == 137)
    }
}
