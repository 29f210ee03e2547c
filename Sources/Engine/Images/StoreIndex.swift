import Foundation

/// `index.json`: every image in the store, as written by the last committed change.
///
/// Layer directories are not written down: they follow from the store's root and
/// each layer's diff id, so a store that was moved or copied still works.
struct StoreIndex: Codable, Equatable {
    static let fileName = "index.json"
    static let currentVersion = 1

    struct Image: Codable, Equatable {
        var name: String
        var tag: String
        var id: String
        var layers: [Layer]
        var config: ImageRuntimeConfig
        var created: String?

        var reference: String { "\(name):\(tag)" }
    }

    struct Layer: Codable, Equatable {
        var digest: String
        var diffID: String
        var size: Int64
        var notes: [String]?
    }

    var version = StoreIndex.currentVersion
    var images: [Image] = []

    /// Indexes as last decoded: the daemon resolves an image on every create and
    /// start, and decoding the index each time was a millisecond of a `docker run`.
    /// (The store renames a new index into place, as the cache needs.)
    private static let decoded = DecodedFileCache<StoreIndex>()

    /// Reads the index in `root`; no file is an empty store.
    static func load(root: URL) throws -> StoreIndex {
        let file = root.appendingPathComponent(fileName)
        return try decoded.value(at: file.path) { try read(file, root: root) }
    }

    private static func read(_ file: URL, root: URL) throws -> StoreIndex {
        let bytes: [UInt8]
        do {
            bytes = try DirectoryHandle.open(root.path).readFile(fileName)
        } catch let failure as SyscallError where failure.errno == ENOENT {
            return StoreIndex()
        } catch {
            throw ImageError(file.path, error)
        }
        let index = try ImageJSON.decode(StoreIndex.self, bytes, subject: file.path)
        guard index.version == currentVersion else {
            throw ImageError(.unsupported, file.path, "store version \(index.version); this ctutor reads version \(currentVersion)")
        }
        return index
    }

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Strings, numbers and arrays only: encoding cannot fail.
        return Array(try! encoder.encode(self)) + [0x0a]
    }

    /// Adds `image`, replacing the image that had its name and tag.
    mutating func put(_ image: Image) {
        images.removeAll { $0.reference == image.reference }
        images.append(image)
        images.sort { ($0.name, $0.tag) < ($1.name, $1.tag) }
    }

    /// The diff ids (hex) and configuration digests (hex) some image still uses.
    var referencedLayers: Set<String> { Set(images.flatMap { $0.layers.compactMap { ContentDigest.hex(of: $0.diffID) } }) }
    var referencedBlobs: Set<String> { Set(images.compactMap { ContentDigest.hex(of: $0.id) }) }

    static func stored(_ image: Image, root: URL) -> StoredImage {
        let layers = image.layers.map { layer in
            StoredLayer(
                digest: layer.digest, diffID: layer.diffID, size: layer.size,
                directory: ImageStore.layerDirectory(root: root, diffID: layer.diffID), notes: layer.notes ?? [])
        }
        return StoredImage(name: image.name, tag: image.tag, id: image.id, layers: layers, config: image.config, created: image.created)
    }

    func stored(_ image: Image, root: URL) -> StoredImage { Self.stored(image, root: root) }
}
