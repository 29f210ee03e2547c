import ArgumentParser
import Engine
import Foundation

/// `ctutor daemon [--socket PATH] [--root DIR] [--debug]`: dockerd's role.
struct DaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Serve a subset of the Docker Engine API on a Unix socket (dockerd's role).",
        discussion: """
            Containers are made by the daemon's manager (containerd's role) as OCI bundles, each run by
            its own `ctutor shim`, which runs the runtime's steps. The real docker CLI works against it:
              DOCKER_HOST=unix:///run/ctutor/docker.sock docker run --rm busybox echo hi
            Images come from ctutor's local store (no registry); containers have no network but a loopback.
            Stopping the daemon (Ctrl-C, SIGTERM) leaves containers running under their shims; started
            again on the same --root, it finds them.
            """
    )

    @Option(help: "The socket to listen on (default: /run/ctutor/docker.sock as root).")
    var socket: String?

    @Option(help: "The daemon's state directory (default: /run/ctutor/daemon as root).")
    var root: String?

    @Flag(help: "Print every request on standard error.")
    var debug = false

    func run() throws {
        let socketPath = socket ?? DockerDaemon.defaultSocket()
        let daemon = DockerDaemon(socketPath: socketPath, root: root ?? DockerDaemon.defaultRoot(), debug: debug)
        do {
            try daemon.serve { found in
                let lines = found.map { "ctutor daemon: found \($0)\n" } + ["ctutor daemon: listening on unix://\(socketPath)\n"]
                FileHandle.standardOutput.write(Data(lines.joined().utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("ctutor daemon: \(error)\n".utf8))
            throw ExitCode(1)
        }
        print("ctutor daemon: stopped; containers keep running under their shims")
    }
}
