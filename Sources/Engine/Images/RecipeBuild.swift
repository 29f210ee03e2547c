/// `ImageStore.build`: the `from` image's layers plus one layer of the recipe's files.
///
/// The layer is made like the base image's — sorted entries, owner root, mtime 0 —
/// and the configuration has no creation time, so the same recipe on the same base
/// always gives the same image id.
enum RecipeBuild {
    static func run(_ recipe: Recipe, parentID: String, in transaction: StoreTransaction) throws -> StoreIndex.Image {
        let subject = "recipe \(recipe.source)"
        guard let parent = transaction.index.images.first(where: { $0.id == parentID }) else {
            throw ImageError(.notFound, subject, "its base image \(recipe.from) was removed while building")
        }
        var config = try OCIImageConfig.decode(try transaction.blob(parent.id), subject: "configuration of \(parent.reference)")
        let layer = try transaction.addLayer(tar: layerTar(recipe), subject: "layer of \(recipe.name):\(recipe.tag) from \(recipe.source)")
        config.rootfs.diffIDs = parent.layers.map(\.diffID) + [layer.diffID]
        config.created = nil
        var settings = config.config ?? .init()
        settings.env = merge(settings.env ?? [], recipe.env)
        if let entrypoint = recipe.entrypoint {
            // As Docker does: a new entrypoint drops the inherited command.
            settings.entrypoint = entrypoint
            settings.cmd = nil
        }
        if let cmd = recipe.cmd { settings.cmd = cmd }
        if let workingDir = recipe.workingDir { settings.workingDir = workingDir }
        if let user = recipe.user { settings.user = user }
        config.config = settings
        let fileName = recipe.source.split(separator: "/").last.map(String.init) ?? recipe.source
        config.history = (config.history ?? []) + [.init(createdBy: "ctutor image build \(fileName): \(recipe.files.count) file(s)")]
        let id = try transaction.addBlob(config.encoded())
        let image = StoreIndex.Image(
            name: recipe.name, tag: recipe.tag, id: id, layers: parent.layers + [layer], config: config.runtime, created: nil)
        transaction.index.put(image)
        return image
    }

    /// The recipe's files and the directories above them.
    static func layerTar(_ recipe: Recipe) -> [UInt8] {
        var entries: [String: (TarEntry, [UInt8])] = [:]
        for file in recipe.files {
            let parts = file.path.split(separator: "/").map(String.init)
            for depth in 1..<parts.count {
                let directory = parts[..<depth].joined(separator: "/")
                entries[directory] = (TarEntry(path: directory, kind: .directory, mode: 0o755), [])
            }
            let path = parts.joined(separator: "/")
            entries[path] = (TarEntry(path: path, kind: .file, mode: file.mode), Array(file.content.utf8))
        }
        var writer = TarWriter()
        for (_, (entry, content)) in entries.sorted(by: { $0.key < $1.key }) { writer.append(entry, content: content) }
        return writer.finished()
    }

    /// `KEY=value` entries: the recipe's replace the inherited ones with the same key.
    static func merge(_ inherited: [String], _ added: [String]) -> [String] {
        var result = inherited
        for entry in added {
            let key = entry.prefix { $0 != "=" }
            if let index = result.firstIndex(where: { $0.prefix { $0 != "=" } == key }) {
                result[index] = entry
            } else {
                result.append(entry)
            }
        }
        return result
    }
}
