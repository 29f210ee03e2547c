#if canImport(Glibc)
import Glibc
#endif

/// A layer blob as an archive presents it, with what it must turn out to be.
struct LayerBlob {
    var slice: FileSlice
    /// The blob's digest as the manifest names it; `nil` when the archive names none
    /// (an old `docker save` layer.tar, checked by its diff id alone).
    var digest: String?
    /// The blob's size as the manifest gives it, when it does.
    var size: Int64?
    /// The digest of the uncompressed tar, from the image configuration.
    var diffID: String
    /// For messages: `layer 2 of busybox:latest (blobs/sha256/3f1a…)`.
    var subject: String
}

extension StoreTransaction {
    /// Verifies a layer blob and, unless the store already has a layer with its diff
    /// id, extracts it into this change. Every check happens: size, blob digest
    /// (before a byte is extracted), tar structure, diff id of the uncompressed tar.
    func addLayer(_ blob: LayerBlob) throws -> StoreIndex.Layer {
        let subject = blob.subject
        let diffHex = try ContentDigest.requireHex(blob.diffID, subject: subject)
        if let size = blob.size, size != blob.slice.length {
            throw ImageError(.corrupt, subject, "the blob is \(blob.slice.length) bytes; the manifest says \(size)")
        }
        // The same blob again in this change (another tag, another image): checked already.
        if let known = verifiedLayers[diffHex], let digest = blob.digest, known.digest == digest, known.size == blob.slice.length {
            return known
        }
        if let digest = blob.digest {
            _ = try ContentDigest.requireHex(digest, subject: subject)
            var whole = HashingSource(base: blob.slice, hasher: ContentHasher())
            try whole.drain()
            let actual = whole.hasher.finish()
            guard actual == digest else {
                throw ImageError(.corrupt, subject, "its content hashes to \(actual), not to the digest the manifest names (\(digest))")
            }
        }

        let magic = try blob.slice.peek(4)
        if magic == [0x28, 0xb5, 0x2f, 0xfd] {
            throw ImageError(.unsupported, subject, "the layer is zstd-compressed; ctutor reads plain and gzip layers")
        }
        let extractInto = try hasLayer(diffHex) ? nil : try newLayerDirectory(diffHex)
        let blobHasher = ContentHasher()
        let tarHasher = ContentHasher()
        let hashed = HashingSource(base: blob.slice, hasher: blobHasher)
        let notes: [String]
        let isGzip = magic.starts(with: [0x1f, 0x8b])
        if isGzip {
            notes = try readLayer(
                HashingSource(base: try GunzipSource(hashed, name: subject), hasher: tarHasher), into: extractInto, subject: subject)
        } else {
            notes = try readLayer(hashed, into: extractInto, subject: subject)
        }
        let digest = blobHasher.finish()
        let diffID = isGzip ? tarHasher.finish() : digest
        guard diffID == blob.diffID else {
            throw ImageError(
                .corrupt, subject,
                "its uncompressed content hashes to \(diffID), not to the diff_id the configuration names (\(blob.diffID))")
        }
        if extractInto != nil { layerFinished(diffHex) }
        let layer = StoreIndex.Layer(digest: digest, diffID: diffID, size: blob.slice.length, notes: notes.isEmpty ? nil : notes)
        verifiedLayers[diffHex] = layer
        return layer
    }

    /// Reads the tar to its end: into `directory` when given, else only checked.
    private func readLayer<Source: ByteSource>(_ source: Source, into directory: DirectoryHandle?, subject: String) throws -> [String] {
        var reader = TarReader(source, name: subject)
        var notes: [String] = []
        if let directory {
            var extractor = LayerExtractor(root: directory, layer: subject)
            try extractor.extract(&reader)
            notes = extractor.notes
        } else {
            while try reader.next() != nil {}
        }
        try reader.finish()
        return notes
    }

    /// Writes a tar made in memory (the base image's, a recipe's) to the work
    /// directory and adds it as a layer like any other.
    func addLayer(tar: [UInt8], subject: String) throws -> StoreIndex.Layer {
        let name = scratchName("layer.tar")
        let slice: FileSlice
        do {
            try work.writeNewFile(name, tar, mode: 0o600)
            let fd = try retryingEINTR("open") { openat(work.fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
            slice = try OpenFile(fd: fd, path: work.path + "/" + name).slice(name: subject)
        } catch {
            throw ImageError(subject, error)
        }
        defer { try? work.removeTree(name) }
        let digest = ContentDigest.of(tar)
        return try addLayer(LayerBlob(slice: slice, digest: digest, size: Int64(tar.count), diffID: digest, subject: subject))
    }
}
