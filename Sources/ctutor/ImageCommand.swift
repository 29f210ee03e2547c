import ArgumentParser

struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Import, build, inspect or remove a local image.",
        discussion: "`ctutor images` lists them.",
        subcommands: [ImageImportCommand.self, ImageBuildCommand.self, ImageInspectCommand.self, ImageRemoveCommand.self]
    )
}
