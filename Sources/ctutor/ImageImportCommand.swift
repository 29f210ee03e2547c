import ArgumentParser
import Engine

struct ImageImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an OCI image layout (directory or .tar) or a `docker save` archive.",
        discussion: """
            Every blob, configuration and layer is checked against its digest and size before it is kept;
            a damaged or unsafe archive is refused and the store is left as it was.
            Made elsewhere with, e.g., `docker save busybox -o busybox.tar` or `skopeo copy docker://busybox oci:busybox`.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The archive or OCI layout directory.", valueName: "file|dir"))
    var path: String

    func run() throws {
        let images = try ImageCommandOutput.attempt("image import") { try ImageStore.forCurrentUser().importImage(at: path) }
        for image in images {
            let layers = image.layers.count == 1 ? "1 layer" : "\(image.layers.count) layers"
            print(
                "imported \(image.name):\(image.tag) (\(ImageCommandOutput.shortID(image.id)), \(layers), \(ImageCommandOutput.size(image.size)))"
            )
            for note in Set(image.layers.flatMap(\.notes)).sorted() { printError("ctutor image import: note: \(note)") }
        }
    }
}
