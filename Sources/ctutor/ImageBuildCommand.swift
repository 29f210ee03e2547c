import ArgumentParser
import Engine

struct ImageBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build an image from a recipe (YAML): its `from` image plus one layer of files.",
        discussion: "The recipes for the versions demo are in Assets/recipes, e.g. `ctutor image build Assets/recipes/software-c-5.0.yaml`."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The recipe file.", valueName: "recipe"))
    var recipe: String

    func run() throws {
        let image = try ImageCommandOutput.attempt("image build") { try ImageStore.forCurrentUser().build(recipe: recipe) }
        print("built \(image.name):\(image.tag) (\(ImageCommandOutput.shortID(image.id)), \(image.layers.count) layers)")
    }
}
