import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One change to the store, made while holding its lock: new layers and blobs are
/// built in a private work directory and renamed into place by ``commit()``, then
/// the index is replaced whole. A failure before that removes the work directory
/// and leaves the store as it was; readers, who take no lock, see the old index or
/// the new one.
final class StoreTransaction {
    let storeRoot: URL
    let root: DirectoryHandle
    let work: DirectoryHandle
    private let workName: String
    private let lock: Int32
    var index: StoreIndex
    /// Layers (diff id hex) extracted in this change, not yet in `layers/`.
    private var newLayers: Set<String> = []
    /// Configuration blobs (hex) written in this change, not yet in `blobs/sha256/`.
    private var newBlobs: Set<String> = []
    /// Layers already verified in this change, by diff id hex.
    var verifiedLayers: [String: StoreIndex.Layer] = [:]
    private var counter = 0

    /// Takes the lock (waiting for another writer), clears what an interrupted
    /// change left in `work/`, and makes this change's work directory.
    init(storeRoot: URL) throws {
        self.storeRoot = storeRoot
        let root: DirectoryHandle
        let lock: Int32
        do {
            try FileManager.default.createDirectory(at: storeRoot.deletingLastPathComponent(), withIntermediateDirectories: true)
            if mkdir(storeRoot.path, 0o700) != 0 && errno != EEXIST { throw SyscallError(call: "mkdir \(storeRoot.path)", errno: errno) }
            root = try DirectoryHandle.open(storeRoot.path)
            lock = try retryingEINTR("open \(storeRoot.path)/lock") {
                openat(root.fd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
            }
        } catch {
            throw ImageError(storeRoot.path, error)
        }
        do {
            try retryingEINTR("flock \(storeRoot.path)/lock") { flock(lock, LOCK_EX) }
            for name in ["layers", "blobs", "work"] { _ = try root.child(name, creating: 0o700) }
            _ = try root.child("blobs").child("sha256", creating: 0o700)
            let works = try root.child("work")
            // Only a writer holding the lock has a work directory: any there now is from a change that died.
            for stale in try works.names() { try works.removeTree(stale) }
            workName = "\(getpid())"
            work = try works.child(workName, creating: 0o700)
            index = try StoreIndex.load(root: storeRoot)
        } catch {
            close(lock)
            throw ImageError(storeRoot.path, error)
        }
        self.root = root
        self.lock = lock
    }

    deinit { close(lock) }

    /// A fresh name in the work directory.
    func scratchName(_ stem: String) -> String {
        counter += 1
        return "\(stem)-\(counter)"
    }

    /// Whether the store has the layer with this diff id, committed or new in this change.
    func hasLayer(_ hex: String) throws -> Bool {
        if newLayers.contains(hex) { return true }
        do { return try root.child("layers").exists(hex) } catch { throw ImageError(storeRoot.path, error) }
    }

    /// A new, empty directory to extract the layer `hex` into; it joins `layers/` at commit.
    func newLayerDirectory(_ hex: String) throws -> DirectoryHandle {
        do {
            let layers = try work.child("layers", creating: 0o700)
            try layers.removeTree(hex)
            return try layers.child(hex, creating: 0o755)
        } catch {
            throw ImageError(storeRoot.path, error)
        }
    }

    /// Marks the layer extracted into ``newLayerDirectory(_:)`` as complete.
    func layerFinished(_ hex: String) { newLayers.insert(hex) }

    /// Keeps a configuration blob; returns its digest.
    @discardableResult
    func addBlob(_ bytes: [UInt8]) throws -> String {
        let digest = ContentDigest.of(bytes)
        let hex = String(digest.dropFirst(ContentDigest.prefix.count))
        guard !newBlobs.contains(hex) else { return digest }
        do {
            if try root.child("blobs").child("sha256").exists(hex) { return digest }
            try work.child("blobs", creating: 0o700).writeNewFile(hex, bytes, mode: 0o600)
        } catch {
            throw ImageError(storeRoot.path, error)
        }
        newBlobs.insert(hex)
        return digest
    }

    /// A configuration blob, from this change or the store.
    func blob(_ digest: String) throws -> [UInt8] {
        let hex = try ContentDigest.requireHex(digest, subject: "image \(digest)")
        do {
            if newBlobs.contains(hex) { return try work.child("blobs").readFile(hex) }
            return try root.child("blobs").child("sha256").readFile(hex)
        } catch {
            throw ImageError(.notFound, "image \(digest)", "its configuration blob is missing from the store (\(error))")
        }
    }

    /// Moves the new layers and blobs into place, replaces the index, then removes
    /// the layers and blobs no image uses any more.
    func commit() throws {
        do {
            let layers = try root.child("layers")
            let workLayers = newLayers.isEmpty ? nil : try work.child("layers")
            for hex in newLayers.sorted() {
                if try layers.exists(hex) { continue }
                try workLayers?.rename(hex, to: layers, as: hex)
            }
            let blobs = try root.child("blobs").child("sha256")
            let workBlobs = newBlobs.isEmpty ? nil : try work.child("blobs")
            for hex in newBlobs.sorted() { try workBlobs?.rename(hex, to: blobs, as: hex) }
            try work.writeNewFile(StoreIndex.fileName, index.encoded())
            try work.rename(StoreIndex.fileName, to: root, as: StoreIndex.fileName)
            fsync(root.fd)
            let usedLayers = index.referencedLayers
            for hex in try layers.names() where !usedLayers.contains(hex) { try layers.removeTree(hex) }
            let usedBlobs = index.referencedBlobs
            for hex in try blobs.names() where !usedBlobs.contains(hex) { try blobs.removeTree(hex) }
        } catch {
            throw ImageError(storeRoot.path, error)
        }
        newLayers = []
        newBlobs = []
    }

    /// Removes the work directory: everything this change made and did not commit.
    func discard() {
        try? root.child("work").removeTree(workName)
    }
}

extension ImageStore {
    /// Runs `body` as one change to the store: committed if it returns, discarded if it throws.
    func change<Result>(_ body: (StoreTransaction) throws -> Result) throws -> Result {
        let transaction = try StoreTransaction(storeRoot: root)
        defer { transaction.discard() }
        let result = try body(transaction)
        try transaction.commit()
        return result
    }
}
