import Foundation

/// `/containers/…`: create, list, inspect, start, stop, kill, wait, logs, attach, remove.
extension DockerAPI {
    func containers(_ request: HTTPRequest, _ parts: [String], _ responder: HTTPResponder) throws -> After {
        switch (request.method, parts.count, parts.last) {
        case ("GET", 1, "json"):
            let all = request.flag("all")
            let listed = containerd.list().map { ($0, containerd.status(of: $0)) }.filter { all || $0.1.isRunning }
            responder.send(200, json: listed.reversed().map { DockerJSON.containerSummary($0.0, $0.1) })
        case ("POST", 1, "create"):
            try create(request, responder)
        case ("GET", 2, "json"):
            let container = try containerd.lookup(parts[0])
            responder.send(200, json: DockerJSON.inspect(container, containerd.status(of: container), containerd: containerd))
        case ("DELETE", 1, _):
            try containerd.remove(parts[0], force: request.flag("force"))
            responder.send(204)
        case ("POST", 2, "start"):
            try containerd.start(parts[0])
            responder.send(204)
        case ("POST", 2, "stop"):
            let seconds = request.query["t"].flatMap(Int.init) ?? 10
            try containerd.stop(parts[0], timeout: .seconds(max(seconds, 0)))
            responder.send(204)
        case ("POST", 2, "kill"):
            try containerd.kill(parts[0], signal: request.query["signal"].flatMap { $0.isEmpty ? nil : $0 } ?? "KILL")
            responder.send(204)
        case ("POST", 2, "wait"):
            try wait(parts[0], condition: request.query["condition"] ?? "not-running", responder)
        case ("GET", 2, "logs"):
            try logs(request, parts[0], responder)
        case ("POST", 2, "attach"):
            try attach(request, parts[0], responder)
            return .close
        default:
            responder.sendError(404, "ctutor daemon does not implement \(request.method) \(request.path)")
        }
        return .keepAlive
    }

    /// `POST /containers/create?name=N` with Docker's body; fields that would change
    /// what runs and that ctutor does not do are refused by name.
    private func create(_ request: HTTPRequest, _ responder: HTTPResponder) throws {
        guard let body = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] else {
            throw ContainerdError.invalid("the body is not a JSON object (the container's configuration)")
        }
        guard let image = body["Image"] as? String, !image.isEmpty else { throw ContainerdError.invalid("no image given (Image)") }
        let host = body["HostConfig"] as? [String: Any] ?? [:]
        if let problem = Self.unsupported(body, host) { throw ContainerdError.invalid("ctutor daemon does not support \(problem)") }
        var create = Containerd.CreateRequest(image: image)
        create.cmd = Self.strings(body["Cmd"])
        create.entrypoint = Self.strings(body["Entrypoint"])
        create.env = Self.strings(body["Env"]) ?? []
        create.workingDir = body["WorkingDir"] as? String
        create.hostname = body["Hostname"] as? String
        create.name = request.query["name"].flatMap { $0.isEmpty ? nil : $0 }
        create.autoRemove = host["AutoRemove"] as? Bool ?? false
        let container = try containerd.create(create)
        responder.send(201, json: ["Id": container.id, "Warnings": [String]()])
    }

    /// `Cmd` and `Entrypoint` come as a list, a string, or null.
    static func strings(_ value: Any?) -> [String]? {
        if let list = value as? [String] { return list }
        if let text = value as? String { return [text] }
        return nil
    }

    /// The first setting in the body that ctutor's daemon would have to ignore.
    static func unsupported(_ body: [String: Any], _ host: [String: Any]) -> String? {
        if body["Tty"] as? Bool == true { return "a terminal (-t): run without -t" }
        if body["OpenStdin"] as? Bool == true || body["AttachStdin"] as? Bool == true {
            return "standard input (-i): the container's input is /dev/null; run without -i"
        }
        if let user = body["User"] as? String, !user.isEmpty { return "--user: containers run as root inside" }
        if let mode = host["NetworkMode"] as? String, !["", "default", "bridge", "none"].contains(mode) {
            return "--network \(mode): containers get their own network namespace with a loopback only"
        }
        let unsupportedHost: [(String, String)] = [
            ("Binds", "volumes (-v)"), ("Mounts", "--mount"), ("PortBindings", "published ports (-p)"), ("Privileged", "--privileged"),
            ("Memory", "--memory"), ("NanoCpus", "--cpus"), ("PidsLimit", "--pids-limit"), ("CapAdd", "--cap-add"),
            ("CapDrop", "--cap-drop"), ("Devices", "--device"), ("VolumesFrom", "--volumes-from"), ("Links", "--link"),
        ]
        for (key, option) in unsupportedHost where DockerJSON.isSet(host[key]) { return option }
        if let restart = (host["RestartPolicy"] as? [String: Any])?["Name"] as? String, !["", "no"].contains(restart) {
            return "--restart \(restart)"
        }
        return nil
    }

    /// Docker's wait: the headers at once (a client then knows the wait is in place
    /// and starts the container), the body when the condition holds.
    private func wait(_ reference: String, condition: String, _ responder: HTTPResponder) throws {
        guard ["not-running", "next-exit", "removed", ""].contains(condition) else {
            throw ContainerdError.invalid("invalid condition: \"\(condition)\"")
        }
        let container = try containerd.lookup(reference)
        let waiter = try containerd.waiter(container, condition: condition)
        responder.beginChunked(contentType: "application/json")
        let code = waiter()
        let body = (try? JSONSerialization.data(withJSONObject: ["StatusCode": Int(code), "Error": NSNull()])) ?? Data()
        responder.chunk(body + Data("\n".utf8))
        responder.endChunks()
    }
}
