import Foundation

/// `ImageStore.importImage`: finds out which kind of archive it is and imports every image in it.
enum ArchiveImport {
    /// Largest JSON document read from an archive (index, manifest, configuration).
    static let jsonLimit = 4 << 20

    /// An OCI layout (`oci-layout` and `index.json`) or a `docker save` archive
    /// (`manifest.json`). Docker 25 and later write both into one archive: the OCI
    /// side is read then, since its descriptors also give every blob's size.
    static func run(path: String, in transaction: StoreTransaction) throws -> [StoreIndex.Image] {
        do {
            let archive = try ImageArchive.open(path, in: transaction)
            let fallback = fallbackName(path)
            let images: [StoreIndex.Image]
            if archive.has("oci-layout") && archive.has("index.json") {
                images = try OCILayoutImport.images(in: archive, fallbackName: fallback, transaction: transaction)
            } else if archive.has("manifest.json") {
                images = try DockerSaveImport.images(in: archive, fallbackName: fallback, transaction: transaction)
            } else {
                throw ImageError(
                    .unsupported, path, "neither an OCI image layout (oci-layout, index.json) nor a `docker save` archive (manifest.json)")
            }
            guard !images.isEmpty else { throw ImageError(.notFound, path, "the archive holds no image") }
            for image in images { transaction.index.put(image) }
            return images
        } catch let failure as ImageError {
            throw failure.subject.hasPrefix(path) ? failure : failure.within(path)
        }
    }

    /// The name for an image the archive does not name: the file's, without its
    /// extension, made into a valid image name (`My Image.tar` → `my-image`).
    static func fallbackName(_ path: String) -> String {
        var base = URL(fileURLWithPath: path).lastPathComponent.lowercased()
        for suffix in [".tar.gz", ".tgz", ".tar", ".oci"] where base.hasSuffix(suffix) {
            base = String(base.dropLast(suffix.count))
            break
        }
        let cleaned = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        let trimmed = cleaned.split(separator: "-").joined(separator: "-")
        return ImageReference.isValidName(trimmed) ? trimmed : "imported"
    }

    /// `name:tag` pairs for an image: the ones the archive gives, else the fallback
    /// name with `latest`, or with the short id when `latest` is already taken.
    static func names(_ given: [String], fallback: String, id: String, taken: inout Set<String>) -> [(String, String)] {
        var names = given.compactMap(ImageReference.nameAndTag)
        if names.isEmpty {
            let tag = taken.contains("\(fallback):latest") ? String(id.dropFirst(ContentDigest.prefix.count).prefix(12)) : "latest"
            names = [(fallback, tag)]
        }
        for (name, tag) in names { taken.insert("\(name):\(tag)") }
        return names
    }

    /// Verifies and adds the layers of one image, bottom first.
    static func addLayers(
        _ blobs: [(slice: FileSlice, digest: String?, size: Int64?)], config: OCIImageConfig, configSubject: String, image: String,
        transaction: StoreTransaction
    ) throws -> [StoreIndex.Layer] {
        let diffIDs = try config.diffIDs(subject: configSubject)
        guard diffIDs.count == blobs.count else {
            throw ImageError(
                .corrupt, configSubject, "it lists \(diffIDs.count) layer(s) (rootfs.diff_ids); the manifest has \(blobs.count)")
        }
        return try zip(blobs, diffIDs).enumerated().map { index, pair in
            let (blob, diffID) = pair
            let shown = (blob.digest ?? diffID).prefix(ContentDigest.prefix.count + 12)
            let subject = "layer \(index + 1) of \(image) (\(shown)…)"
            return try transaction.addLayer(
                LayerBlob(slice: blob.slice, digest: blob.digest, size: blob.size, diffID: diffID, subject: subject))
        }
    }
}

/// `docker save`'s format: `manifest.json` lists, per image, its configuration file,
/// its tags and its layer tars. Older Docker names files `<hex>.json` and
/// `<id>/layer.tar`; Docker 25 and later, `blobs/sha256/<hex>`. A name that carries
/// a digest is checked against it; every layer against the configuration's diff id.
enum DockerSaveImport {
    struct Entry: Decodable {
        var config: String
        var repoTags: [String]?
        var layers: [String]

        enum CodingKeys: String, CodingKey {
            case config = "Config", repoTags = "RepoTags", layers = "Layers"
        }
    }

    static func images(in archive: ImageArchive, fallbackName: String, transaction: StoreTransaction) throws -> [StoreIndex.Image] {
        let entries = try archive.json("manifest.json", as: [Entry].self) ?? []
        var images: [StoreIndex.Image] = []
        var taken = Set<String>()
        for entry in entries {
            guard let configSlice = try archive.file(entry.config) else {
                throw ImageError(.notFound, entry.config, "manifest.json names this configuration, but the archive does not have it")
            }
            let bytes = try configSlice.readAll(limit: ArchiveImport.jsonLimit)
            let id = ContentDigest.of(bytes)
            if let named = digest(inName: entry.config), named != id {
                throw ImageError(.corrupt, entry.config, "the configuration hashes to \(id), not to the digest its name gives (\(named))")
            }
            let config = try OCIImageConfig.decode(bytes, subject: entry.config)
            try config.checkPlatform(subject: entry.config)
            var blobs: [(slice: FileSlice, digest: String?, size: Int64?)] = []
            for name in entry.layers {
                guard let slice = try archive.file(name) else {
                    throw ImageError(.notFound, name, "manifest.json names this layer, but the archive does not have it")
                }
                blobs.append((slice, digest(inName: name), nil))
            }
            let label = entry.repoTags?.first ?? fallbackName
            let layers = try ArchiveImport.addLayers(
                blobs, config: config, configSubject: entry.config, image: label, transaction: transaction)
            try transaction.addBlob(bytes)
            for (name, tag) in ArchiveImport.names(entry.repoTags ?? [], fallback: fallbackName, id: id, taken: &taken) {
                images.append(
                    StoreIndex.Image(name: name, tag: tag, id: id, layers: layers, config: config.runtime, created: config.created))
            }
        }
        return images
    }

    /// The digest a file name carries: `blobs/sha256/<hex>` or `<hex>.json`.
    static func digest(inName name: String) -> String? {
        let parts = name.split(separator: "/")
        if parts.count == 3, parts[0] == "blobs", parts[1] == "sha256" {
            return ContentDigest.hex(of: "sha256:\(parts[2])").map { "sha256:" + $0 }
        }
        if parts.count == 1, name.hasSuffix(".json") { return ContentDigest.hex(of: "sha256:\(name.dropLast(5))").map { "sha256:" + $0 } }
        return nil
    }
}
