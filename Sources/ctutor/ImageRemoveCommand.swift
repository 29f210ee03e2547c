import ArgumentParser
import Engine

struct ImageRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove an image, and the layers no other image uses.",
        discussion: "By name:tag removes that tag; by id prefix removes every tag of that image."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("name[:tag] or an id prefix.", valueName: "ref"))
    var reference: String

    func run() throws {
        try ImageCommandOutput.attempt("image rm") { try ImageStore.forCurrentUser().remove(reference) }
        print("removed \(reference)")
    }
}
