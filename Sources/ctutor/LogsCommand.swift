import ArgumentParser
import Engine
import Foundation

struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print what a container (run without --rm) wrote to its output.",
        discussion: "-f follows the output of a running container until it exits."
    )

    @Flag(name: [.customShort("f"), .long], help: "Keep printing new output while the container runs.")
    var follow = false

    @Argument(help: "A container name or id.")
    var container: String

    func run() throws {
        let store = ContainerStore.forCurrentUser()
        do {
            let record = try store.find(container)
            try ContainerControl.printLogs(record, store: store, follow: follow)
        } catch {
            FileHandle.standardError.write(Data("ctutor logs: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
