#if canImport(Glibc)
import Glibc
#endif

/// The files of an image archive by name: an unpacked directory, or a tar file read
/// in place (its members are slices of the file; a gzip-compressed tar is first
/// decompressed into the store's work directory).
///
/// Names come from the archive's own JSON, so they are checked like layer entries:
/// no `..`, nothing outside. In a directory, symlinks are not followed; in a tar,
/// a symlink or hard link member (old `docker save` links repeated layers) is
/// followed to the member it names, inside the archive.
struct ImageArchive {
    private enum Member {
        case file(offset: Int64, size: Int64)
        case symlink(target: String, directory: [String])
        case hardLink(target: String)
    }

    /// The path as the learner gave it, for messages.
    let label: String
    private let directory: DirectoryHandle?
    private let tarFile: OpenFile?
    private let members: [String: Member]

    /// Opens the directory or tar file at `path`.
    static func open(_ path: String, in transaction: StoreTransaction) throws -> ImageArchive {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ImageError(
                .notFound, path, "\(SyscallError(call: "stat", errno: errno).message)", hint: "give an OCI layout directory or a .tar")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            do {
                return ImageArchive(
                    label: path, directory: try DirectoryHandle.open(path, followingSymlink: true), tarFile: nil, members: [:])
            } catch {
                throw ImageError(path, error)
            }
        }
        var file = try OpenFile(reading: path, followingSymlink: true)
        if try file.slice().peek(2) == [0x1f, 0x8b] { file = try gunzip(file, into: transaction) }
        var reader = TarReader(try file.slice(name: path), name: path)
        var members: [String: Member] = [:]
        while let entry = try reader.next() {
            // Directories and special files name nothing an image format reads.
            guard [.file, .symlink, .hardLink].contains(entry.kind) else { continue }
            let name = try clean(entry.path, archive: path)
            switch entry.kind {
            case .file: members[name.joined(separator: "/")] = .file(offset: reader.contentOffset, size: entry.size)
            case .symlink: members[name.joined(separator: "/")] = .symlink(target: entry.linkTarget, directory: name.dropLast())
            case .hardLink:
                members[name.joined(separator: "/")] = .hardLink(target: try clean(entry.linkTarget, archive: path).joined(separator: "/"))
            default: continue
            }
        }
        return ImageArchive(label: path, directory: nil, tarFile: file, members: members)
    }

    /// Whether the archive has a file by this name.
    func has(_ name: String) -> Bool {
        (try? file(name)) != nil
    }

    /// The file `name` (`index.json`, `blobs/sha256/<hex>`), `nil` when there is none.
    func file(_ name: String) throws -> FileSlice? {
        var path = try Self.clean(name, archive: label)
        if let directory {
            do {
                var current = directory
                for part in path.dropLast() { current = try current.child(part) }
                return try current.openFile(path.last ?? ".").slice(name: "\(label): \(name)")
            } catch let failure as SyscallError where failure.errno == ENOENT || failure.errno == ENOTDIR {
                return nil
            } catch let failure as SyscallError where failure.errno == ELOOP {
                throw ImageError(.unsupported, "\(label): \(name)", "a symlink in the directory; import the archive as a .tar instead")
            }
        }
        guard let tarFile else { return nil }
        for _ in 0..<16 {
            switch members[path.joined(separator: "/")] {
            case nil: return nil
            case .file(let offset, let size): return FileSlice(file: tarFile, offset: offset, length: size, name: "\(label): \(name)")
            case .hardLink(let target): path = try Self.clean(target, archive: label)
            case .symlink(let target, let base): path = try Self.resolve(target, from: base, archive: label)
            }
        }
        throw ImageError(.corrupt, "\(label): \(name)", "too many links in a row")
    }

    /// A JSON document of the archive, decoded; `nil` when there is no such file.
    func json<Value: Decodable>(_ name: String, as type: Value.Type) throws -> Value? {
        guard let slice = try file(name) else { return nil }
        return try ImageJSON.decode(type, try slice.readAll(limit: ArchiveImport.jsonLimit), subject: "\(label): \(name)")
    }

    /// A member name as components, a leading `/` and `.` dropped; `..` refused.
    private static func clean(_ name: String, archive: String) throws -> [String] {
        let parts = name.split(separator: "/").filter { $0 != "." }.map(String.init)
        guard !parts.contains(".."), !parts.isEmpty else {
            throw ImageError(.unsafeEntry, "\(archive): '\(name)'", "a member name that leaves the archive or names nothing")
        }
        return parts
    }

    /// A symlink's target, relative to the directory holding it, kept inside the archive.
    private static func resolve(_ target: String, from base: [String], archive: String) throws -> [String] {
        var path = target.hasPrefix("/") ? [] : base
        for part in target.split(separator: "/") where part != "." {
            if part == ".." {
                guard !path.isEmpty else {
                    throw ImageError(.unsafeEntry, "\(archive): link to '\(target)'", "it points outside the archive")
                }
                path.removeLast()
            } else {
                path.append(String(part))
            }
        }
        return path
    }

    /// Decompresses a gzip'd archive into the work directory, to be read in place.
    private static func gunzip(_ file: OpenFile, into transaction: StoreTransaction) throws -> OpenFile {
        let name = transaction.scratchName("archive.tar")
        do {
            let fd = try retryingEINTR("create") {
                openat(transaction.work.fd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            }
            let output = OpenFile(fd: fd, path: transaction.work.path + "/" + name)
            var source = try GunzipSource(try file.slice(), name: file.path)
            var chunk = [UInt8](repeating: 0, count: 256 * 1024)
            while true {
                let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
                if count == 0 { return output }
                try DirectoryHandle.writeAll(fd, Array(chunk[..<count]), what: output.path)
            }
        } catch {
            throw ImageError(file.path, error)
        }
    }
}
