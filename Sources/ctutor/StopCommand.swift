import ArgumentParser
import Engine
import Foundation

struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop running containers: SIGTERM, then SIGKILL after a grace period.",
        discussion: """
            A shell as PID 1 has no handler for SIGTERM, and PID 1 of a PID namespace gets only the
            signals it handles, so such a container is killed when the grace period ends.
            """
    )

    @Option(name: [.customShort("t"), .long], help: "Seconds to wait before SIGKILL.")
    var time = 10

    @Argument(help: "Container names or ids.")
    var containers: [String]

    func validate() throws {
        guard time >= 0 else { throw ValidationError("--time is a number of seconds, 0 or more") }
    }

    func run() throws {
        let store = ContainerStore.forCurrentUser()
        var failed = false
        for reference in containers {
            do {
                let record = try store.find(reference)
                try ContainerControl.stop(record, store: store, grace: .seconds(time))
                print(reference)
            } catch {
                FileHandle.standardError.write(Data("ctutor stop: \(error)\n".utf8))
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
