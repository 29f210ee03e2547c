#if os(Linux)
import Foundation
import Glibc

/// Wakes a follower of a container (`logs -f`, `attach`) when anything in its
/// directory changes — the shim appends to the log, the record is replaced (exit
/// recorded), the directory is removed — instead of looking every few milliseconds:
/// `docker run` waits for the attached stream to end, so a poll's sleep is its latency.
final class DirectoryChanges {
    private let fd: Int32

    /// Watches `directory`; `nil` when inotify cannot (no instances left, no directory).
    init?(directory: String) {
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        let events = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)
        guard inotify_add_watch(fd, directory, events) >= 0 else {
            close(fd)
            return nil
        }
    }

    /// Closed on a thread of its own: closing an inotify instance waits for an SRCU
    /// grace period (`fsnotify_destroy_group`), 10 ms and more here, and the follower
    /// that drops it is about to close its client's stream, which `docker run` waits for.
    deinit {
        let fd = self.fd
        Thread.detachNewThread { close(fd) }
    }

    /// What ended a ``wait(orHangUpOf:milliseconds:)``.
    enum Wake: Equatable {
        case changed, quiet, hungUp
    }

    /// Waits until something changed since the last call (at once if it already has),
    /// `socket` hung up, or `milliseconds` passed. A socket whose peer only shut its
    /// writing half has not hung up (the docker CLI does that when it has no input to
    /// send, and still reads).
    func wait(orHangUpOf socket: Int32, milliseconds: Int32) -> Wake {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: socket, events: 0, revents: 0)]
        while poll(&fds, 2, milliseconds) < 0 && errno == EINTR {}
        if fds[1].revents & Int16(POLLHUP | POLLERR) != 0 { return .hungUp }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var changed = false
        while read(fd, &buffer, buffer.count) > 0 { changed = true }
        return changed ? .changed : .quiet
    }
}
#endif
