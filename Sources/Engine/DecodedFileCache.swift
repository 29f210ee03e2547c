import Foundation

#if os(Linux)
import Glibc
#endif

/// Values decoded from files, each kept with the identity of the file it came from
/// (inode, size, modification time), so a file is decoded again only once it has
/// changed. The files it serves are always replaced by a rename, so a change is a new
/// inode as well. Used where a long-lived process reads the same small file on every
/// request (the daemon's container records, the image index).
final class DecodedFileCache<Value>: @unchecked Sendable {
    private struct Stamp: Equatable {
        var inode: UInt
        var size: Int
        var seconds: Int
        var nanoseconds: Int

        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            inode = UInt(info.st_ino)
            size = Int(info.st_size)
            seconds = info.st_mtim.tv_sec
            nanoseconds = info.st_mtim.tv_nsec
        }
    }

    private let lock = NSLock()
    private var values: [String: (stamp: Stamp, value: Value)] = [:]

    /// The value decoded from `path`: the one kept if the file is the same, else
    /// `decode()`'s, kept when the file is there. A file gone is forgotten.
    func value(at path: String, decode: () throws -> Value) rethrows -> Value {
        let stamp = Stamp(path)
        lock.lock()
        let kept = values[path]
        if stamp == nil { values[path] = nil }
        lock.unlock()
        if let kept, let stamp, kept.stamp == stamp { return kept.value }
        let value = try decode()
        if let stamp {
            lock.lock()
            values[path] = (stamp, value)
            lock.unlock()
        }
        return value
    }

    func forget(_ path: String) {
        lock.lock()
        values[path] = nil
        lock.unlock()
    }
}
