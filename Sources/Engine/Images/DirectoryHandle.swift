#if canImport(Glibc)
import Glibc
#endif

/// A directory held open by descriptor. Everything below it is reached with `*at`
/// calls relative to the descriptor that never follow a symlink, so a symlink planted
/// anywhere on the way (by an archive entry, or by anyone) cannot redirect a write.
final class DirectoryHandle {
    let fd: Int32
    /// For messages only; operations never go through it.
    let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// Opens a directory by path; the last component must not be a symlink unless
    /// `followingSymlink` (a path the learner typed).
    static func open(_ path: String, followingSymlink: Bool = false) throws -> DirectoryHandle {
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followingSymlink ? 0 : O_NOFOLLOW)
        let fd = try retryingEINTR("open \(path)") { Glibc.open(path, flags) }
        return DirectoryHandle(fd: fd, path: path)
    }

    /// The child directory `name`, made with `mode` first when it is missing and a
    /// mode is given. A symlink or a non-directory there fails (`ELOOP`, `ENOTDIR`).
    func child(_ name: String, creating mode: mode_t? = nil) throws -> DirectoryHandle {
        let childPath = path + "/" + name
        while true {
            let fd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd >= 0 { return DirectoryHandle(fd: fd, path: childPath) }
            let code = errno
            if code == EINTR { continue }
            guard code == ENOENT, let mode else { throw SyscallError(call: "open \(childPath)", errno: code) }
            if mkdirat(self.fd, name, mode) != 0 && errno != EEXIST { throw SyscallError(call: "mkdir \(childPath)", errno: errno) }
        }
    }

    /// Opens the regular file `name` here for reading, never through a symlink.
    func openFile(_ name: String) throws -> OpenFile {
        let file = try retryingEINTR("open \(path)/\(name)") { openat(fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        return OpenFile(fd: file, path: path + "/" + name)
    }

    /// `fstatat` without following a symlink; `nil` when there is nothing by that name.
    func status(_ name: String) throws -> stat? {
        var info = stat()
        if fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 { return info }
        if errno == ENOENT { return nil }
        throw SyscallError(call: "stat \(path)/\(name)", errno: errno)
    }

    func exists(_ name: String) throws -> Bool { try status(name) != nil }

    /// The names in this directory, `.` and `..` left out.
    func names() throws -> [String] {
        let copy = try retryingEINTR("dup") { fcntl(fd, F_DUPFD_CLOEXEC, 0) }
        guard let stream = fdopendir(copy) else {
            let code = errno
            close(copy)
            throw SyscallError(call: "opendir \(path)", errno: code)
        }
        defer { closedir(stream) }
        // The stream shares the offset with our descriptor: start from the top each time.
        rewinddir(stream)
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Removes `name` and, for a directory, everything in it, following no symlink.
    /// Directories are made writable first: a layer may hold read-only ones.
    func removeTree(_ name: String) throws {
        guard let info = try status(name) else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            let directory = try child(name)
            if info.st_mode & 0o700 != 0o700 { fchmod(directory.fd, 0o700) }
            for entry in try directory.names() { try directory.removeTree(entry) }
            try retryingEINTR("rmdir \(path)/\(name)") { unlinkat(fd, name, AT_REMOVEDIR) }
        } else {
            try retryingEINTR("unlink \(path)/\(name)") { unlinkat(fd, name, 0) }
        }
    }

    /// Renames `name` here to `newName` in `target`, replacing an empty directory or a file there.
    func rename(_ name: String, to target: DirectoryHandle, as newName: String) throws {
        try retryingEINTR("rename \(path)/\(name) to \(target.path)/\(newName)") { renameat(fd, name, target.fd, newName) }
    }

    /// Writes `bytes` to a new file `name` (`O_EXCL`: never through something already there).
    func writeNewFile(_ name: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
        let file = try retryingEINTR("create \(path)/\(name)") {
            openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        }
        defer { close(file) }
        try DirectoryHandle.writeAll(file, bytes, what: "\(path)/\(name)")
        try retryingEINTR("fsync \(path)/\(name)") { fsync(file) }
    }

    /// A file's bytes; a symlink in its place is refused.
    func readFile(_ name: String) throws -> [UInt8] {
        let file = try retryingEINTR("open \(path)/\(name)") { openat(fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        defer { close(file) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try retryingEINTR("read \(path)/\(name)") { chunk.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) } }
            if count == 0 { return data }
            data += chunk[..<count]
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, what: String) throws {
        var offset = 0
        while offset < bytes.count {
            offset += try retryingEINTR("write \(what)") { write(fd, bytes.baseAddress! + offset, bytes.count - offset) }
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], what: String) throws {
        try bytes.withUnsafeBytes { (buffer) throws in try writeAll(fd, buffer, what: what) }
    }
}
