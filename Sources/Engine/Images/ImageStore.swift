import Foundation
import TutorCore

/// The learner's local images, offline: imported archives, the busybox base image,
/// and images built from recipes. Containers use the extracted layers as overlayfs
/// lower directories.
///
/// On disk, under `root`:
///
///     index.json              every image: name, tag, id, layers (digest, diff id, size), runtime settings
///     lock                    held with flock(LOCK_EX) by whoever changes the store
///     blobs/sha256/<hex>      image configuration blobs, by digest (the image id)
///     layers/<diff id hex>/   extracted layers, shared by every image that has them
///     work/<pid>/             one change in progress; renamed into place when it commits
///
/// Layer blobs are not kept once extracted: the layer directory is what a container
/// needs, and the index keeps their digests. A change (import, build, remove) holds
/// the lock throughout and replaces `index.json` by rename, so a reader sees the
/// store before or after it, never half of it; a failed change leaves nothing behind.
public struct ImageStore: Sendable {
    /// The store's directory, e.g. `~/.local/share/ctutor/images`.
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// The learner's store: `$XDG_DATA_HOME/ctutor/images`, by default
    /// `~/.local/share/ctutor/images` — beside the progress file. Under sudo it is
    /// root's own, since root's containers use root's layers.
    public static func forCurrentUser(environment: [String: String] = ProcessInfo.processInfo.environment) -> ImageStore {
        ImageStore(root: ProgressStore.defaultDirectory(environment: environment).appendingPathComponent("images"))
    }

    /// Where the layer with this diff id is extracted.
    static func layerDirectory(root: URL, diffID: String) -> String {
        root.appendingPathComponent("layers").appendingPathComponent(ContentDigest.hex(of: diffID) ?? diffID).path
    }

    /// Every image, by name and tag.
    public func list() throws -> [StoredImage] {
        let index = try StoreIndex.load(root: root)
        return index.images.map { index.stored($0, root: root) }
    }

    /// The image `reference` names: `busybox`, `busybox:latest`, `name:tag`, or an id
    /// prefix (`sha256:ab12`, `ab12`). The base image `busybox:latest` is made on
    /// first use when it is not stored yet.
    public func resolve(_ reference: String) throws -> StoredImage {
        let index = try StoreIndex.load(root: root)
        let matches = try ImageReference.match(reference, in: index.images)
        if matches.isEmpty, let (name, tag) = ImageReference.nameAndTag(reference), name == BaseImage.name, tag == BaseImage.tag {
            return try ensureBase()
        }
        return index.stored(try Self.single(matches, reference), root: root)
    }

    /// Exactly one image, or why not.
    static func single(_ matches: [StoreIndex.Image], _ reference: String) throws -> StoreIndex.Image {
        guard let first = matches.first else {
            throw ImageError(
                .notFound, "image '\(reference)'", "not in the store",
                hint: "`ctutor images` lists them; `ctutor image import FILE` or `ctutor image build RECIPE` adds one")
        }
        let ids = Set(matches.map(\.id))
        guard ids.count == 1 else {
            throw ImageError(
                .ambiguous, "image '\(reference)'",
                "the id prefix fits \(ids.count) images: \(matches.map(\.reference).joined(separator: ", "))",
                hint: "type more of the id")
        }
        return first
    }

    /// The base image `busybox:latest`, made from Debian's busybox-static
    /// (`/bin/busybox`) if the store does not have it: one layer with busybox, its
    /// applet links, `/etc/passwd`, `/etc/group` and the usual empty directories.
    /// The same `/bin/busybox` always gives the same digests.
    public func ensureBase() throws -> StoredImage {
        try ensureBase(busybox: BaseImage.defaultBinary)
    }

    func ensureBase(busybox: String) throws -> StoredImage {
        let reference = "\(BaseImage.name):\(BaseImage.tag)"
        let index = try StoreIndex.load(root: root)
        if let image = index.images.first(where: { $0.reference == reference }) { return index.stored(image, root: root) }
        let image = try change { transaction -> StoreIndex.Image in
            // Another process may have made it while we waited for the lock.
            if let image = transaction.index.images.first(where: { $0.reference == reference }) { return image }
            let image = try BaseImage.make(busybox: busybox, in: transaction)
            transaction.index.put(image)
            return image
        }
        return StoreIndex.stored(image, root: root)
    }

    /// Imports an OCI image layout (a directory or its tar) or a `docker save`
    /// archive (tar, optionally gzip-compressed). Every digest and size is checked
    /// and the whole import is kept or, on any failure, none of it.
    public func importImage(at path: String) throws -> [StoredImage] {
        let images = try change { transaction in try ArchiveImport.run(path: path, in: transaction) }
        return images.map { StoreIndex.stored($0, root: root) }
    }

    /// Builds the image a recipe describes: the layers of its `from` image and one
    /// new layer holding the recipe's files.
    public func build(recipe path: String) throws -> StoredImage {
        try build(try Recipe.load(path: path))
    }

    /// Builds the recipe's image unless the store already has its name and tag: the
    /// built image, or `nil` when one was there (kept as it is, even if the recipe
    /// changed since; `build(recipe:)` rebuilds).
    public func build(recipe path: String, onlyIfMissing: Bool) throws -> StoredImage? {
        let recipe = try Recipe.load(path: path)
        if onlyIfMissing, try StoreIndex.load(root: root).images.contains(where: { $0.name == recipe.name && $0.tag == recipe.tag }) {
            return nil
        }
        return try build(recipe)
    }

    private func build(_ recipe: Recipe) throws -> StoredImage {
        // Resolving first makes the base image when the recipe starts from busybox.
        let parent = try resolve(recipe.from)
        let image = try change { transaction in try RecipeBuild.run(recipe, parentID: parent.id, in: transaction) }
        return StoreIndex.stored(image, root: root)
    }

    /// Removes the images `reference` names (an id removes every tag of it), and the
    /// layers and blobs no remaining image uses.
    public func remove(_ reference: String) throws {
        try change { transaction in
            let image = try Self.single(try ImageReference.match(reference, in: transaction.index.images), reference)
            let byID = ImageReference.nameAndTag(reference).map { "\($0.name):\($0.tag)" } != image.reference
            transaction.index.images.removeAll { byID ? $0.id == image.id : $0.reference == image.reference }
        }
    }
}
