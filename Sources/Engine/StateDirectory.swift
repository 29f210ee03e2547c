import Foundation

#if os(Linux)
import Glibc
#endif

/// The per-user directory where runs record what they made: `/run/ctutor` for root,
/// `$XDG_RUNTIME_DIR/ctutor` for a user who has one, else `/tmp/ctutor-<uid>`.
///
/// Every directory on the way is checked to be a real directory owned by us and
/// closed to others (mode 0700), so another user on a shared lab server cannot plant
/// a record or a symlink in it.
enum StateDirectory {
    /// `…/runs`, created if missing; `nil` when it is not safe to use.
    static func runs(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        guard let base = base(environment: environment) else { return nil }
        let runs = base.appendingPathComponent("runs")
        return ensurePrivateDirectory(runs.path) ? runs : nil
    }

    /// This process's state directory (``base(environment:)`` for its own environment),
    /// where runs keep their records and container networks their leases.
    static var current: String? {
        base(environment: ProcessInfo.processInfo.environment)?.path
    }

    static func base(environment: [String: String]) -> URL? {
        let uid = geteuid()
        let candidates: [String] =
            uid == 0
            ? ["/run/ctutor"]
            : [environment["XDG_RUNTIME_DIR"].map { $0 + "/ctutor" }, "/tmp/ctutor-\(uid)"].compactMap { $0 }
        for path in candidates where path.hasPrefix("/") {
            let parent = (path as NSString).deletingLastPathComponent
            guard FileManager.default.fileExists(atPath: parent) else { continue }
            if ensurePrivateDirectory(path) { return URL(fileURLWithPath: path) }
        }
        return nil
    }

    /// Makes `path` a 0700 directory of ours if it is missing; true when it is one now.
    static func ensurePrivateDirectory(_ path: String) -> Bool {
        if mkdir(path, 0o700) != 0 && errno != EEXIST { return false }
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFDIR && info.st_uid == geteuid() && (info.st_mode & 0o077) == 0
    }

    /// Writes `data` to a fresh temporary file beside `file` (`O_EXCL|O_NOFOLLOW`),
    /// then renames it over `file`: a reader sees the old or the new record, whole.
    /// Not fsynced (unlike Foundation's `Data.write`, which flushes the disk each
    /// time): these are run-time records under /run, gone at a reboot anyway, and
    /// three flushes were milliseconds of every container start.
    static func writeAtomically(_ data: Data, to file: URL, mode: mode_t = 0o600) throws(SyscallError) {
        let temporary = file.path + ".tmp-\(getpid())"
        let fd = try retryingEINTR("open \(temporary)") {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        }
        var failure: SyscallError?
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = SyscallError(call: "write \(temporary)", errno: errno)
                    return
                }
                offset += written
            }
        }
        close(fd)
        if let failure {
            unlink(temporary)
            throw failure
        }
        if rename(temporary, file.path) != 0 {
            let code = errno
            unlink(temporary)
            throw SyscallError(call: "rename \(temporary)", errno: code)
        }
    }

    /// A file's bytes, refusing a symlink in its place.
    static func readFile(_ file: URL) throws(SyscallError) -> Data {
        let fd = try retryingEINTR("open \(file.path)") { open(file.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        defer { close(fd) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try retryingEINTR("read \(file.path)") {
                chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            }
            if count == 0 { return data }
            data.append(contentsOf: chunk[..<count])
        }
    }
}
