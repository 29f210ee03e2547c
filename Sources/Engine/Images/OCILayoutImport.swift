/// An OCI image layout (image-spec `image-layout.md`): `oci-layout`, `index.json`
/// whose descriptors point at manifests (or at nested indexes, one manifest per
/// platform), and `blobs/sha256/<hex>`. Every blob read is checked against its
/// descriptor's size and digest.
enum OCILayoutImport {
    struct Layout: Decodable {
        var imageLayoutVersion: String
    }

    struct Descriptor: Decodable {
        struct PlatformSpec: Decodable {
            var architecture: String
            var os: String
        }

        var mediaType: String?
        var digest: String
        var size: Int64
        var annotations: [String: String]?
        var platform: PlatformSpec?
    }

    /// A manifest or an index: which one it is shows in which fields it has.
    struct Document: Decodable {
        var mediaType: String?
        var manifests: [Descriptor]?
        var config: Descriptor?
        var layers: [Descriptor]?
    }

    static let configMediaTypes: Set<String> = [
        "application/vnd.oci.image.config.v1+json", "application/vnd.docker.container.image.v1+json",
    ]

    static func images(in archive: ImageArchive, fallbackName: String, transaction: StoreTransaction) throws -> [StoreIndex.Image] {
        let layout = try archive.json("oci-layout", as: Layout.self)
        guard let version = layout?.imageLayoutVersion, version.hasPrefix("1.") else {
            throw ImageError(.unsupported, "oci-layout", "layout version \(layout?.imageLayoutVersion ?? "?"); ctutor reads 1.x")
        }
        let index = try archive.json("index.json", as: Document.self)
        var images: [StoreIndex.Image] = []
        var taken = Set<String>()
        for descriptor in index?.manifests ?? [] {
            guard let manifest = try manifest(for: descriptor, in: archive, depth: 0) else { continue }
            let annotations = descriptor.annotations ?? [:]
            var given = [annotations["io.containerd.image.name"]].compactMap { $0 }
            if given.isEmpty, let reference = annotations["org.opencontainers.image.ref.name"] {
                // A bare ref.name is a tag, by the spec's example; a full reference is also seen.
                given = [reference.contains(":") || reference.contains("/") ? reference : "\(fallbackName):\(reference)"]
            }
            images += try image(
                manifest, names: given, fallbackName: fallbackName, taken: &taken, archive: archive, transaction: transaction)
        }
        return images
    }

    /// The image manifest a descriptor leads to: itself, or the one for this machine
    /// in the index it names. `nil` for something that is not an image (an attestation).
    static func manifest(for descriptor: Descriptor, in archive: ImageArchive, depth: Int) throws -> Document? {
        let document = try ImageJSON.decode(Document.self, try jsonBlob(descriptor, in: archive), subject: "blob \(descriptor.digest)")
        if document.config != nil {
            guard let config = document.config, config.mediaType.map(configMediaTypes.contains) ?? true else { return nil }
            return document
        }
        guard let manifests = document.manifests, depth < 4 else {
            throw ImageError(.corrupt, "blob \(descriptor.digest)", "neither an image manifest nor an index")
        }
        let here = manifests.filter { $0.platform.map { $0.os == "linux" && $0.architecture == Platform.architecture } ?? false }
        guard let chosen = here.first ?? (manifests.count == 1 && manifests[0].platform == nil ? manifests[0] : nil) else {
            let offered = manifests.compactMap { $0.platform.map { "\($0.os)/\($0.architecture)" } }.filter { !$0.hasPrefix("unknown") }
            throw ImageError(
                .unsupported, "index \(descriptor.digest)",
                "no image for linux/\(Platform.architecture) (it has: \(offered.isEmpty ? "none" : offered.joined(separator: ", ")))")
        }
        return try manifest(for: chosen, in: archive, depth: depth + 1)
    }

    static func image(
        _ manifest: Document, names: [String], fallbackName: String, taken: inout Set<String>, archive: ImageArchive,
        transaction: StoreTransaction
    ) throws -> [StoreIndex.Image] {
        guard let configDescriptor = manifest.config else { return [] }
        let configBytes = try jsonBlob(configDescriptor, in: archive)
        let configSubject = "configuration \(configDescriptor.digest)"
        let config = try OCIImageConfig.decode(configBytes, subject: configSubject)
        try config.checkPlatform(subject: configSubject)
        let label = names.first ?? fallbackName
        var blobs: [(slice: FileSlice, digest: String?, size: Int64?)] = []
        for layer in manifest.layers ?? [] {
            if let type = layer.mediaType, type.contains("zstd") {
                throw ImageError(
                    .unsupported, "layer \(layer.digest)", "zstd-compressed layers (\(type)); ctutor reads plain and gzip layers")
            }
            blobs.append((try blob(layer, in: archive), layer.digest, layer.size))
        }
        let layers = try ArchiveImport.addLayers(
            blobs, config: config, configSubject: configSubject, image: label, transaction: transaction)
        let id = try transaction.addBlob(configBytes)
        return ArchiveImport.names(names, fallback: fallbackName, id: id, taken: &taken).map { name, tag in
            StoreIndex.Image(name: name, tag: tag, id: id, layers: layers, config: config.runtime, created: config.created)
        }
    }

    /// The blob a descriptor names, its size checked (its digest is checked as it is read).
    static func blob(_ descriptor: Descriptor, in archive: ImageArchive) throws -> FileSlice {
        let hex = try ContentDigest.requireHex(descriptor.digest, subject: "a descriptor")
        guard let slice = try archive.file("blobs/sha256/\(hex)") else {
            throw ImageError(.notFound, "blob \(descriptor.digest)", "a descriptor names it, but blobs/sha256/ does not have it")
        }
        guard slice.length == descriptor.size else {
            throw ImageError(.corrupt, "blob \(descriptor.digest)", "it is \(slice.length) bytes; its descriptor says \(descriptor.size)")
        }
        return slice
    }

    /// A small JSON blob, its size and digest checked.
    static func jsonBlob(_ descriptor: Descriptor, in archive: ImageArchive) throws -> [UInt8] {
        let bytes = try blob(descriptor, in: archive).readAll(limit: ArchiveImport.jsonLimit)
        let actual = ContentDigest.of(bytes)
        guard actual == descriptor.digest else {
            throw ImageError(.corrupt, "blob \(descriptor.digest)", "its content hashes to \(actual), not to the digest that names it")
        }
        return bytes
    }
}
