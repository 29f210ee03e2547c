import Foundation

#if os(Linux)
import Glibc
#endif

/// Removing a container's directory: taken out of the containers at once, emptied
/// on a thread of its own.
///
/// `docker run --rm` waits until the container is removed, and emptying its directory
/// (the record, the log, the bundle, the snapshot's upper layer) was a third of that
/// wait on a disk that discards each freed block as it goes. A rename ends the
/// container for every reader; what it held is deleted behind it, under `trash/`,
/// which a daemon started on the same root empties again if one was interrupted.
extension Containerd {
    var trashDirectory: String { root + "/trash" }

    /// Moves the container's directory to the trash (it is no longer a container from
    /// here on) and empties it in the background. Throws only when it stays where it is.
    func discard(_ id: String) throws {
        if mkdir(trashDirectory, 0o700) != 0 && errno != EEXIST {
            try ContainerStore.removeTree(directory(of: id))
            return
        }
        let destination = trashDirectory + "/\(id)-\(UInt32.random(in: 0...UInt32.max))"
        guard rename(directory(of: id), destination) == 0 else {
            if errno == ENOENT { return }
            try ContainerStore.removeTree(directory(of: id))
            return
        }
        records.forget(recordFile(of: id))
        Thread.detachNewThread { try? ContainerStore.removeTree(destination) }
    }

    /// Empties what an earlier daemon left in the trash (stopped while it deleted).
    public func emptyTrash() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: trashDirectory)) ?? [] {
            try? ContainerStore.removeTree(trashDirectory + "/" + name)
        }
    }
}
