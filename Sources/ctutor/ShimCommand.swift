import ArgumentParser
import Engine
import Foundation

/// `ctutor shim --id ID --bundle DIR [--log FILE] [--runtime-root DIR]`: containerd-shim's
/// role for one container. It starts the shim in a session of its own, waits until the
/// container runs, prints the shim's control socket and exits; the shim runs on.
struct ShimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shim",
        abstract: "Start a shim (containerd-shim's role) that runs, holds and reaps one container.",
        discussion: """
            The shim becomes a child subreaper, runs the runtime's create and start on the bundle (each a
            child it forks that runs the code of `ctutor runtime create`/`start` and exits, as runc does),
            copies the container's output to the log, records its exit status (exit.json beside the
            runtime's state) and keeps running when whoever started it stops. Its socket, shim.sock in
            the container's runtime directory, takes one line per connection and answers one line:
              state          the OCI state as JSON
              kill SIGNAL    ok (TERM, SIGKILL, 9, …)
              wait           {"exitStatus":N,"exitedAt":"…"} once the container has exited
              delete         ok, and the shim exits (only after the container has exited)
            e.g. echo state | socat - UNIX-CONNECT:/run/ctutor/runtime/ID/shim.sock
            """
    )

    @Option(help: "The container's id.")
    var id: String

    @Option(help: "The OCI bundle directory.")
    var bundle: String

    @Option(help: "Where the container's output goes (default: BUNDLE/container.log).")
    var log: String?

    @Option(help: "The runtime's state directory (ctutor runtime --root).")
    var runtimeRoot: String?

    @Option(help: "raw (stdout and stderr merged) or multiplexed (each chunk behind Docker's 8-byte stream header).")
    var logFormat: String = "raw"

    @Flag(help: .hidden)
    var serve = false

    func run() throws {
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : cwd + "/" + path }
        let options = ShimOptions(
            id: id, bundle: absolute(bundle), log: absolute(log ?? bundle + "/container.log"),
            runtimeRoot: RuntimeRoot(path: absolute(runtimeRoot ?? RuntimeRoot.defaultPath())),
            multiplexedLog: logFormat == "multiplexed")
        guard ["raw", "multiplexed"].contains(logFormat) else {
            throw ValidationError("--log-format is raw or multiplexed, not \(logFormat)")
        }
        if serve { throw ExitCode(Shim.serve(options, ready: 3)) }
        do {
            let started = try Shim.start(options)
            print(started.socket)
        } catch {
            FileHandle.standardError.write(Data("ctutor shim: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
