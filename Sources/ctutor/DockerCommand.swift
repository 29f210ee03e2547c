import ArgumentParser
import Engine
import Foundation

/// `ctutor docker [--host unix://PATH] COMMAND …`: the docker client's role, speaking
/// only HTTP to the daemon's socket (`DOCKER_HOST`, else ctutor daemon's default).
struct DockerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docker",
        abstract: "A tiny docker client: HTTP over the daemon's Unix socket (the docker client's role).",
        discussion: """
            Commands: version, info, images, pull IMAGE, run [-d] [--rm] [--name N] IMAGE [CMD…],
            ps [-a], logs [-f] C, stop C…, rm [-f] C…, inspect C…
            The socket: --host unix:///PATH, else $DOCKER_HOST, else ctutor daemon's default.
            """
    )

    @Option(help: "The daemon's socket, unix:///PATH.")
    var host: String?

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.")
    var arguments: [String] = []

    func run() throws {
        let address = host ?? ProcessInfo.processInfo.environment["DOCKER_HOST"] ?? "unix://" + DockerDaemon.defaultSocket()
        guard let socket = DockerClient.socketPath(host: address) else {
            throw ValidationError("--host \(address): only unix:///PATH is supported")
        }
        guard let command = arguments.first else {
            throw ValidationError("give a command: version, info, images, pull, run, ps, logs, stop, rm, inspect")
        }
        let session = DockerSession(client: DockerClient(socket: socket))
        do {
            throw ExitCode(try session.execute(command, Array(arguments.dropFirst())))
        } catch let error as DockerSession.Failure {
            FileHandle.standardError.write(Data("Error response from daemon: \(error.message)\n".utf8))
            throw ExitCode(error.status)
        }
    }
}

/// One `ctutor docker` command against the daemon; its exit status.
struct DockerSession {
    let client: DockerClient

    struct Failure: Error {
        var message: String
        var status: Int32 = 1
    }

    func execute(_ command: String, _ rest: [String]) throws -> Int32 {
        var flags = Set(rest.filter { $0.hasPrefix("-") })
        let operands = rest.filter { !$0.hasPrefix("-") }
        switch command {
        case "version":
            let version = try expect(client.request("GET", "/version"), 200).object
            print("Server: \(version["Platform"].flatMap { ($0 as? [String: Any])?["Name"] as? String } ?? "?")")
            print(
                " Version: \(version["Version"] ?? "?")  API version: \(version["ApiVersion"] ?? "?")  OS/Arch: \(version["Os"] ?? "?")/\(version["Arch"] ?? "?")"
            )
        case "info":
            let info = try expect(client.request("GET", "/info"), 200).object
            for key in ["ServerVersion", "Containers", "ContainersRunning", "Images", "Driver", "KernelVersion", "DockerRootDir"] {
                print("\(key): \(info[key] ?? "")")
            }
        case "images":
            print("REPOSITORY:TAG".padding(toLength: 32, withPad: " ", startingAt: 0) + "IMAGE ID      SIZE")
            for image in try expect(client.request("GET", "/images/json"), 200).json as? [[String: Any]] ?? [] {
                let id = (image["Id"] as? String ?? "").replacingOccurrences(of: "sha256:", with: "").prefix(12)
                print(
                    ((image["RepoTags"] as? [String])?.first ?? "<none>").padding(toLength: 32, withPad: " ", startingAt: 0)
                        + "\(id)  \(image["Size"] ?? 0)")
            }
        case "pull":
            guard let image = operands.first else { throw Failure(message: "pull needs an image, e.g. busybox") }
            let query = "fromImage=\(image.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? image)"
            let response = try client.request(
                "POST", "/images/create?\(query)",
                onBody: { data in
                    for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { continue }
                        if let error = object["error"] as? String { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
                        if let status = object["status"] as? String {
                            print((object["id"] as? String).map { "\($0): \(status)" } ?? status)
                        }
                    }
                })
            _ = try expect(response, 200)
        case "run":
            return try run(rest)
        case "ps":
            let all = flags.remove("-a") != nil || flags.remove("--all") != nil
            print("CONTAINER ID   IMAGE        COMMAND              STATUS                    NAMES")
            for container in try expect(client.request("GET", "/containers/json?all=\(all ? 1 : 0)"), 200).json as? [[String: Any]] ?? [] {
                let columns = [
                    String((container["Id"] as? String ?? "").prefix(12)), container["Image"] as? String ?? "",
                    "\"\((container["Command"] as? String ?? "").prefix(18))\"", container["Status"] as? String ?? "",
                ]
                let widths = [15, 13, 21, 26]
                let line = zip(columns, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined()
                print(line + ((container["Names"] as? [String])?.first.map { String($0.dropFirst()) } ?? ""))
            }
        case "logs":
            guard let name = operands.first else { throw Failure(message: "logs needs a container") }
            let follow = flags.contains("-f") || flags.contains("--follow")
            _ = try expect(
                client.request("GET", "/containers/\(name)/logs?stdout=1&stderr=1&follow=\(follow ? 1 : 0)", onBody: DockerStreams().write),
                200)
        case "stop", "rm", "inspect":
            guard !operands.isEmpty else { throw Failure(message: "\(command) needs a container") }
            var objects: [Any] = []
            for name in operands {
                switch command {
                case "stop": _ = try expect(client.request("POST", "/containers/\(name)/stop"), 204, 304)
                case "rm":
                    let force = flags.contains("-f") || flags.contains("--force")
                    _ = try expect(client.request("DELETE", "/containers/\(name)?force=\(force ? 1 : 0)"), 204)
                default: objects.append(try expect(client.request("GET", "/containers/\(name)/json"), 200).json ?? [:])
                }
                if command != "inspect" { print(name) }
            }
            if command == "inspect" {
                let data = try JSONSerialization.data(
                    withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            }
        default:
            throw Failure(
                message: "ctutor docker does not have \"\(command)\": version, info, images, pull, run, ps, logs, stop, rm, inspect")
        }
        return 0
    }

    func expect(_ response: DockerClient.Response, _ statuses: Int...) throws -> DockerClient.Response {
        guard statuses.contains(response.status) else { throw Failure(message: response.message) }
        return response
    }
}
