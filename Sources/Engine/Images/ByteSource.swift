#if canImport(Glibc)
import Glibc
#endif

/// Bytes read front to back: a file, a slice of an archive, a decompressed stream.
/// Stages wrap one another: a layer is file → hash → gunzip → hash → tar reader.
protocol ByteSource {
    /// Fills the start of `buffer`; 0 only at the end of the stream.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// An open file, closed when the last reference goes away.
final class OpenFile {
    let fd: Int32
    /// For messages: the path it was opened by.
    let path: String

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Opens `path` for reading; a symlink at the last component is refused unless
    /// `followingSymlink` (a path the learner typed, not one from an archive).
    convenience init(reading path: String, followingSymlink: Bool = false) throws {
        do {
            let flags = O_RDONLY | O_CLOEXEC | (followingSymlink ? 0 : O_NOFOLLOW)
            let fd = try retryingEINTR("open") { open(path, flags) }
            self.init(fd: fd, path: path)
        } catch {
            throw ImageError(path, error)
        }
    }

    deinit { close(fd) }

    /// `fstat`'s size, refusing anything but a regular file.
    func regularFileSize() throws -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ImageError(path, SyscallError(call: "fstat", errno: errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ImageError(.unsupported, path, "not a regular file") }
        return Int64(info.st_size)
    }

    /// The whole file as one slice.
    func slice(name: String? = nil) throws -> FileSlice {
        FileSlice(file: self, offset: 0, length: try regularFileSize(), name: name ?? path)
    }
}

/// Bytes `offset ..< offset + length` of an open file, read with `pread` so that
/// several slices (the members of one archive) share a descriptor.
struct FileSlice: ByteSource {
    let file: OpenFile
    let offset: Int64
    let length: Int64
    /// What to call it in a message: an archive member, a blob.
    let name: String
    private var position: Int64 = 0

    init(file: OpenFile, offset: Int64, length: Int64, name: String) {
        self.file = file
        self.offset = offset
        self.length = length
        self.name = name
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let wanted = Int(min(Int64(buffer.count), length - position))
        guard wanted > 0 else { return 0 }
        let count: Int
        do {
            count = try retryingEINTR("pread") { pread(file.fd, buffer.baseAddress, wanted, off_t(offset + position)) }
        } catch {
            throw ImageError(name, error)
        }
        guard count > 0 else {
            throw ImageError(.corrupt, name, "the file ends \(length - position) bytes early (was it truncated while being read?)")
        }
        position += Int64(count)
        return count
    }

    /// The first `count` bytes, without moving through the slice.
    func peek(_ count: Int) throws -> [UInt8] {
        var copy = FileSlice(file: file, offset: offset, length: min(length, Int64(count)), name: name)
        var bytes = [UInt8](repeating: 0, count: Int(copy.length))
        var filled = 0
        while filled < bytes.count {
            let read = try bytes.withUnsafeMutableBytes { (buffer) throws -> Int in
                try copy.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            }
            filled += read
        }
        return bytes
    }

    /// All of it in memory, for small JSON documents; more than `limit` bytes is refused.
    func readAll(limit: Int) throws -> [UInt8] {
        guard length <= Int64(limit) else {
            throw ImageError(.unsupported, name, "\(length) bytes is too large for a JSON document (the limit is \(limit))")
        }
        return try peek(Int(length))
    }
}

/// Passes bytes through while hashing them.
struct HashingSource<Base: ByteSource>: ByteSource {
    var base: Base
    let hasher: ContentHasher

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try base.read(into: buffer)
        hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        return count
    }
}

extension ByteSource {
    /// Reads to the end, so that hashing stages see every byte.
    mutating func drain() throws {
        var scratch = [UInt8](repeating: 0, count: 64 * 1024)
        while try scratch.withUnsafeMutableBytes({ (buffer) throws -> Int in try read(into: buffer) }) > 0 {}
    }
}
