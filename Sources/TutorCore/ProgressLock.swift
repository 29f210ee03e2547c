import Foundation

/// An exclusive `flock` on `progress.lock` beside the progress file, held while a
/// tutor reads, merges and writes progress.
struct ProgressLock {
    private let fd: Int32

    /// Without `create`, a missing lock file (nothing saved yet) or a folder that
    /// cannot be written is not an error: the caller only reads.
    init(directory: URL, owner: (uid: uid_t, gid: gid_t)?, create: Bool) throws {
        let path = directory.appendingPathComponent("progress.lock").path
        let flags = O_RDWR | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT : 0)
        var fd = open(path, flags, 0o600)
        if fd < 0 && !create { fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) }
        guard fd >= 0 else { throw ProgressStore.StoreError.io("open", path: path, errno: errno) }
        if create, let owner { fchown(fd, owner.uid, owner.gid) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let code = errno
                close(fd)
                throw ProgressStore.StoreError.io("flock", path: path, errno: code)
            }
        }
        self.fd = fd
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
