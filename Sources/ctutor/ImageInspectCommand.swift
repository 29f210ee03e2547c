import ArgumentParser
import Engine

struct ImageInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print an image as JSON: id, layers with their directories, settings, overlayfs lower dirs.",
        discussion: "`ctutor image inspect busybox` makes the base image first if it is not there yet."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("name[:tag] or an id prefix.", valueName: "ref"))
    var reference: String

    func run() throws {
        let image = try ImageCommandOutput.attempt("image inspect") { try ImageStore.forCurrentUser().resolve(reference) }
        print(try ImageCommandOutput.json(ImageCommandOutput.Described(image: image)))
    }
}
