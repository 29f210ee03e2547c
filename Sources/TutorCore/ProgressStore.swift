import Foundation

/// Reads and writes `progress.json` in the learner's data directory
/// (`$XDG_DATA_HOME/ctutor`, default `~/.local/share/ctutor`).
///
/// Writes are atomic: a temp file in the same directory, fsync, rename, fsync of
/// the directory; a crash leaves the old file or the new one, never half of one.
/// A file that cannot be read is moved aside and reported, never silently reset.
public struct ProgressStore: Sendable {
    public let directory: URL
    /// Who should own what is written: the learner behind `sudo`, so that their own
    /// progress never becomes a root-owned file in their home. `nil`: whoever we are.
    public let owner: (uid: uid_t, gid: gid_t)?
    public var file: URL { directory.appendingPathComponent("progress.json") }

    public init(directory: URL, owner: (uid: uid_t, gid: gid_t)? = nil) {
        self.directory = directory
        self.owner = owner
    }

    /// The store for this user: under `sudo`, the invoking learner's own, owned by them.
    public static func forCurrentUser(environment: [String: String]) -> ProgressStore {
        if let learner = sudoInvoker(environment: environment) {
            let directory = URL(fileURLWithPath: learner.home).appendingPathComponent(".local/share/ctutor")
            return ProgressStore(directory: directory, owner: (learner.uid, learner.gid))
        }
        return ProgressStore(directory: defaultDirectory(environment: environment))
    }

    /// The learner who ran `sudo ctutor`: `SUDO_UID`/`SUDO_GID` while we are root, with
    /// their home from the password database (root's `HOME` is not theirs).
    static func sudoInvoker(environment: [String: String]) -> (uid: uid_t, gid: gid_t, home: String)? {
        guard geteuid() == 0, let uid = environment["SUDO_UID"].flatMap({ uid_t($0) }), uid != 0,
            let gid = environment["SUDO_GID"].flatMap({ gid_t($0) }), let entry = getpwuid(uid), let dir = entry.pointee.pw_dir
        else { return nil }
        return (uid, gid, String(cString: dir))
    }

    /// The default location for this user.
    public static func defaultDirectory(environment: [String: String]) -> URL {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("ctutor")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/share/ctutor")
    }

    public struct Loaded: Sendable {
        public var progress: Progress
        /// Set when the file was corrupt: where it was moved and why.
        public var notice: Localized?
    }

    public enum StoreError: Error, CustomStringConvertible {
        case io(String, path: String, errno: Int32)

        public var description: String {
            switch self {
            case .io(let call, let path, let code):
                return "\(call) \(path): \(String(cString: strerror(code)))"
            }
        }
    }

    /// Loads progress. A missing file is a fresh start; a corrupt one is renamed to
    /// `progress.json.corrupt-<time>` and reported in `notice`.
    public func load(now: Date = Date()) throws -> Loaded {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            if FileManager.default.fileExists(atPath: file.path) {
                throw StoreError.io("read", path: file.path, errno: EACCES)
            }
            return Loaded(progress: Progress(), notice: nil)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = UTCTimestamp.date(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a time like 2026-11-29T21:06:21Z")
            }
            return date
        }
        let problem: String
        do {
            let progress = try decoder.decode(Progress.self, from: data)
            if progress.version <= Progress.currentVersion { return Loaded(progress: progress, notice: nil) }
            problem = "version \(progress.version) is newer than this ctutor understands"
        } catch {
            problem = Self.describe(error)
        }
        let stamp = UTCTimestamp.string(now).filter { $0 != ":" }
        let aside = directory.appendingPathComponent("progress.json.corrupt-\(stamp)")
        guard rename(file.path, aside.path) == 0 else { throw StoreError.io("rename", path: file.path, errno: errno) }
        let notice = Localized(
            ko: "진도 파일을 읽을 수 없어(\(problem)) \(aside.path)로 옮겨 두었습니다. 새 진도로 시작합니다.",
            en: "The progress file could not be read (\(problem)); it was moved to \(aside.path). Starting with fresh progress."
        )
        return Loaded(progress: Progress(), notice: notice)
    }

    /// Saves progress atomically.
    public func save(_ progress: Progress) throws {
        try makeDirectory()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(UTCTimestamp.string(date))
        }
        let data = try encoder.encode(progress)

        // A fresh name opened with O_EXCL|O_NOFOLLOW: a file or symlink planted there
        // makes the save fail instead of writing through it.
        let temp = directory.appendingPathComponent(".progress.json.\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.io("open", path: temp.path, errno: errno) }
        if let owner, fchown(fd, owner.uid, owner.gid) != 0 {
            let code = errno
            close(fd)
            unlink(temp.path)
            throw StoreError.io("fchown", path: temp.path, errno: code)
        }
        var ok = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        let writeErrno = errno
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok else {
            unlink(temp.path)
            throw StoreError.io("write", path: temp.path, errno: writeErrno)
        }
        guard rename(temp.path, file.path) == 0 else {
            let code = errno
            unlink(temp.path)
            throw StoreError.io("rename", path: file.path, errno: code)
        }
        let dirfd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }

    /// Creates the directory and any missing parents, each owned by `owner` when set.
    private func makeDirectory() throws {
        var missing: [URL] = []
        var cursor = directory
        while !FileManager.default.fileExists(atPath: cursor.path) && cursor.path != "/" {
            missing.insert(cursor, at: 0)
            cursor = cursor.deletingLastPathComponent()
        }
        for path in missing {
            guard mkdir(path.path, 0o700) == 0 || errno == EEXIST else {
                throw StoreError.io("mkdir", path: path.path, errno: errno)
            }
            if let owner { chown(path.path, owner.uid, owner.gid) }
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return "not valid JSON: \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, _):
            return "missing '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default:
            return "\(error)"
        }
    }
}
