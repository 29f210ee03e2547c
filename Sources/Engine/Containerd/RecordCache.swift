import Foundation

#if os(Linux)
import Glibc
#endif

/// The containers' records as last decoded, each with the identity of the file it
/// came from (inode, size, modification time): a record is decoded again only when
/// its file was replaced. Every request looks containers up, and decoding each
/// `container.json` again was most of the daemon's own CPU per `docker run`.
final class RecordCache: @unchecked Sendable {
    private struct Stamp: Equatable {
        var inode: UInt
        var size: Int
        var seconds: Int
        var nanoseconds: Int
    }

    private let lock = NSLock()
    private var records: [String: (stamp: Stamp, record: ManagedContainer)] = [:]

    /// The record in `path` for `id`; `nil` when there is none or it cannot be read.
    func record(_ id: String, at path: String) -> ManagedContainer? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            forget(id)
            return nil
        }
        let stamp = Stamp(
            inode: UInt(info.st_ino), size: Int(info.st_size), seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec)
        lock.lock()
        let cached = records[id]
        lock.unlock()
        if let cached, cached.stamp == stamp { return cached.record }
        guard let data = FileManager.default.contents(atPath: path),
            let record = try? JSONDecoder().decode(ManagedContainer.self, from: data)
        else { return nil }
        lock.lock()
        records[id] = (stamp, record)
        lock.unlock()
        return record
    }

    func forget(_ id: String) {
        lock.lock()
        records[id] = nil
        lock.unlock()
    }
}
