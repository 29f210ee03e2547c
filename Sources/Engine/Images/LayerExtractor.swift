import CShim

#if canImport(Glibc)
import Glibc
#endif

/// Writes a layer's entries into the layer's own directory, and nowhere else.
///
/// Every write is an `*at` call on the descriptor of the entry's parent, reached by
/// ``LayerPath`` without following a symlink, with `O_NOFOLLOW`/`AT_SYMLINK_NOFOLLOW`
/// on the last component; symlinks are stored as they are (the container resolves
/// them inside its own root later). Whiteouts become what overlayfs reads: `.wh.NAME`
/// a character device 0:0, `.wh..wh..opq` the opaque xattr on its directory
/// (`trusted.` as root, `user.` otherwise, for an overlay mounted with `userxattr`).
/// Owners are set only as root; device nodes are made only as root, otherwise noted.
struct LayerExtractor {
    let root: DirectoryHandle
    /// For messages: which layer.
    let layer: String
    let privileged: Bool
    private var directories: [[String]: (mode: UInt32, mtime: Int64)] = [:]
    private var skippedDevices: [String] = []

    init(root: DirectoryHandle, layer: String, privileged: Bool = geteuid() == 0) {
        self.root = root
        self.layer = layer
        self.privileged = privileged
    }

    /// What the layer lacks compared with its archive, in one line each.
    var notes: [String] {
        guard !skippedDevices.isEmpty else { return [] }
        let shown = skippedDevices.prefix(5).joined(separator: ", ") + (skippedDevices.count > 5 ? ", …" : "")
        return ["\(skippedDevices.count) device node(s) not made (only root can): \(shown)"]
    }

    /// Reads every entry from `reader` into the layer, then sets directory modes and times.
    mutating func extract<Source: ByteSource>(_ reader: inout TarReader<Source>) throws {
        while let entry = try reader.next() {
            let path = try LayerPath(entry.path, layer: layer)
            do {
                try apply(entry, at: path, reader: &reader)
            } catch let failure as SyscallError {
                throw ImageError("\(layer): entry '\(entry.path)'", failure)
            } catch let failure as ImageError {
                throw failure
            } catch {
                throw ImageError(.io, "\(layer): entry '\(entry.path)'", "\(error)")
            }
        }
        try finishDirectories()
    }

    private mutating func apply<Source: ByteSource>(_ entry: TarEntry, at path: LayerPath, reader: inout TarReader<Source>) throws {
        if path.isRoot {
            guard entry.kind == .directory else {
                throw ImageError(.corrupt, "\(layer): entry '\(entry.path)'", "only a directory can be the layer's root")
            }
            directories[[]] = (entry.mode, entry.mtime)
            return
        }
        let parent = try path.parent(in: root, layer: layer, create: true) { created in
            if directories[created] == nil { directories[created] = (0o755, entry.mtime) }
        }
        let name = path.last
        if name.hasPrefix(".wh.") { return try whiteout(name, in: parent, path: path) }
        switch entry.kind {
        case .directory:
            if try !clear(name, in: parent, keepingDirectory: true) {
                try retryingEINTR("mkdir") { mkdirat(parent.fd, name, 0o700) }
            }
            try setOwner(entry, name, in: parent)
            directories[path.components] = (entry.mode, entry.mtime)
        case .file:
            try clear(name, in: parent)
            let fd = try retryingEINTR("create") { openat(parent.fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600) }
            defer { close(fd) }
            try reader.readContent { (bytes) throws in
                do { try DirectoryHandle.writeAll(fd, bytes, what: name) } catch {
                    throw ImageError("\(layer): entry '\(entry.path)'", error)
                }
            }
            if privileged { try retryingEINTR("chown") { fchown(fd, uid_t(entry.uid), gid_t(entry.gid)) } }
            try retryingEINTR("chmod") { fchmod(fd, mode_t(entry.mode)) }
            var times = Self.times(entry.mtime)
            futimens(fd, &times)
        case .symlink:
            guard !entry.linkTarget.utf8.contains(0) else {
                throw ImageError(.corrupt, "\(layer): entry '\(entry.path)'", "its link target contains a NUL byte")
            }
            try clear(name, in: parent)
            try retryingEINTR("symlink") { symlinkat(entry.linkTarget, parent.fd, name) }
            try setOwner(entry, name, in: parent)
            var times = Self.times(entry.mtime)
            utimensat(parent.fd, name, &times, AT_SYMLINK_NOFOLLOW)
        case .hardLink:
            try hardLink(entry, name, in: parent)
        case .characterDevice, .blockDevice:
            guard privileged else {
                skippedDevices.append(path.display)
                return
            }
            try clear(name, in: parent)
            let type = entry.kind == .characterDevice ? S_IFCHR : S_IFBLK
            try retryingEINTR("mknod") { ctutor_mknodat(parent.fd, name, type | mode_t(entry.mode), entry.deviceMajor, entry.deviceMinor) }
            try finishNode(entry, name, in: parent)
        case .fifo:
            try clear(name, in: parent)
            try retryingEINTR("mkfifo") { ctutor_mknodat(parent.fd, name, S_IFIFO | mode_t(entry.mode), 0, 0) }
            try finishNode(entry, name, in: parent)
        }
    }

    /// A hard link to an earlier entry of this layer, found by the same walk: it can
    /// name nothing outside the layer, and `linkat` without `AT_SYMLINK_FOLLOW` links a
    /// symlink itself, never what it points to.
    private func hardLink(_ entry: TarEntry, _ name: String, in parent: DirectoryHandle) throws {
        let subject = "\(layer): entry '\(entry.path)'"
        let target = try LayerPath(entry.linkTarget, layer: layer)
        guard !target.isRoot else { throw ImageError(.corrupt, subject, "a hard link to the layer's root") }
        let targetParent: DirectoryHandle
        do {
            targetParent = try target.parent(in: root, layer: layer, create: false)
        } catch let failure as ImageError where failure.kind == .corrupt {
            throw ImageError(.corrupt, subject, "its hard link target '\(entry.linkTarget)' is not an earlier entry of this layer")
        }
        guard let info = try targetParent.status(target.last) else {
            throw ImageError(.corrupt, subject, "its hard link target '\(entry.linkTarget)' is not an earlier entry of this layer")
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw ImageError(.corrupt, subject, "a hard link to a directory") }
        if target.components == (try LayerPath(entry.path, layer: layer)).components { return }
        try clear(name, in: parent)
        try retryingEINTR("link") { linkat(targetParent.fd, target.last, parent.fd, name, 0) }
    }

    private func whiteout(_ name: String, in parent: DirectoryHandle, path: LayerPath) throws {
        if name == ".wh..wh..opq" {
            let attribute = privileged ? "trusted.overlay.opaque" : "user.overlay.opaque"
            do {
                try retryingEINTR("setxattr \(attribute)") { ctutor_fsetxattr(parent.fd, attribute, "y", 1) }
            } catch {
                throw ImageError(
                    .io, "\(layer): opaque directory '\(path.display)'",
                    "\(error); the store's filesystem must keep \(privileged ? "trusted" : "user") extended attributes")
            }
            return
        }
        // Other `.wh..wh.` names are aufs' own bookkeeping, not whiteouts.
        if name.hasPrefix(".wh..wh.") { return }
        let hidden = String(name.dropFirst(4))
        guard !hidden.isEmpty, hidden != ".", hidden != ".." else {
            throw ImageError(.unsafeEntry, "\(layer): entry '\(path.original)'", "a whiteout of '\(hidden)' names no file")
        }
        try clear(hidden, in: parent)
        try retryingEINTR("mknod whiteout") { ctutor_mknodat(parent.fd, hidden, S_IFCHR, 0, 0) }
    }

    /// Removes what is at `name` so an entry can take its place; an existing directory
    /// stays when the new entry is one too (true then).
    @discardableResult
    private func clear(_ name: String, in parent: DirectoryHandle, keepingDirectory: Bool = false) throws -> Bool {
        guard let info = try parent.status(name) else { return false }
        if keepingDirectory && (info.st_mode & S_IFMT) == S_IFDIR { return true }
        try parent.removeTree(name)
        return false
    }

    private func setOwner(_ entry: TarEntry, _ name: String, in parent: DirectoryHandle) throws {
        guard privileged else { return }
        try retryingEINTR("chown") { fchownat(parent.fd, name, uid_t(entry.uid), gid_t(entry.gid), AT_SYMLINK_NOFOLLOW) }
    }

    /// Owner, mode and time of a node made by `mknod` (which the umask trimmed).
    private func finishNode(_ entry: TarEntry, _ name: String, in parent: DirectoryHandle) throws {
        try setOwner(entry, name, in: parent)
        try retryingEINTR("chmod") { fchmodat(parent.fd, name, mode_t(entry.mode), 0) }
        var times = Self.times(entry.mtime)
        utimensat(parent.fd, name, &times, AT_SYMLINK_NOFOLLOW)
    }

    /// Directories were made writable to us while their entries went in; now their own
    /// modes and times, deepest first so a parent's mode cannot lock us out of a child.
    private func finishDirectories() throws {
        for (components, attributes) in directories.sorted(by: { $0.key.count > $1.key.count }) {
            // A later entry may have replaced or removed it; then it has nothing to finish.
            var walked: DirectoryHandle? = root
            for part in components { walked = try? walked?.child(part) }
            guard let directory = walked else { continue }
            do {
                try retryingEINTR("chmod") { fchmod(directory.fd, mode_t(attributes.mode)) }
            } catch {
                throw ImageError("\(layer): directory '\(components.isEmpty ? "." : components.joined(separator: "/"))'", error)
            }
            var times = Self.times(attributes.mtime)
            futimens(directory.fd, &times)
        }
    }

    private static func times(_ mtime: Int64) -> [timespec] {
        let time = timespec(tv_sec: Int(mtime), tv_nsec: 0)
        return [time, time]
    }
}
