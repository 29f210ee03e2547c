import ArgumentParser
import Engine
import Foundation

struct RmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove containers that have exited (with -f, stop running ones first)."
    )

    @Flag(name: [.customShort("f"), .long], help: "Kill a running container first.")
    var force = false

    @Argument(help: "Container names or ids.")
    var containers: [String]

    func run() throws {
        let store = ContainerStore.forCurrentUser()
        var failed = false
        for reference in containers {
            do {
                let record = try store.find(reference)
                try ContainerControl.remove(record, store: store, force: force)
                print(reference)
            } catch {
                FileHandle.standardError.write(Data("ctutor rm: \(error)\n".utf8))
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
