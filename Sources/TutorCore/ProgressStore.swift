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
    var journal: ProgressJournal { ProgressJournal(url: directory.appendingPathComponent("progress.journal")) }

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
        /// Set when the file was corrupt or cannot be read: what happened, in one line.
        public var notice: Localized?
        /// Set when progress cannot be kept on disk this session (it lives in memory).
        public var unsaved: Localized?
    }

    public enum StoreError: Error, CustomStringConvertible {
        case io(String, path: String, errno: Int32)
        /// Progress is kept in memory only this session; the message says why.
        case unsaved(Localized, path: String)

        public var description: String {
            switch self {
            case .io(let call, let path, let code):
                return "\(call) \(path): \(String(cString: strerror(code)))"
            case .unsaved(let message, _):
                return message.en
            }
        }

        /// One line for the learner: what failed, where, and what to do.
        public var localized: Localized {
            switch self {
            case .io(let call, let path, let code):
                let reason = String(cString: strerror(code))
                let folder = (path as NSString).deletingLastPathComponent
                return Localized(
                    ko: "진도를 저장하지 못했습니다(\(call) \(path): \(reason)). \(folder)에 쓸 수 있는지 확인하거나 XDG_DATA_HOME을 쓸 수 있는 곳으로 정하세요.",
                    en: "Progress was not saved (\(call) \(path): \(reason)). Make \(folder) writable, or point XDG_DATA_HOME at a folder you can write.")
            case .unsaved(let message, _):
                return message
            }
        }
    }

    /// Loads progress, never failing: a missing file is a fresh start; a corrupt one is
    /// renamed to `progress.json.corrupt-<time>` and reported in `notice`; a file that
    /// cannot be read (or a folder that cannot be written to set a corrupt one aside)
    /// leaves progress in memory for this session, said once in `unsaved`.
    public func load(now: Date = Date()) -> Loaded {
        let lock = try? ProgressLock(directory: directory, owner: owner, create: false)
        defer { lock?.release() }
        return loadUnlocked(now: now)
    }

    /// The language the learner chose last, read without touching anything (a corrupt
    /// file is left for ``load(now:)`` to set aside and report).
    public func rememberedLanguage() -> Language? {
        guard let data = FileManager.default.contents(atPath: file.path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let code = object["language"] as? String
        else { return nil }
        return Language(rawValue: code)
    }

    /// Applies `events` to the progress on disk under the store's lock, so that two
    /// tutors of one learner never lose each other's updates, and saves the result.
    /// Returns the merged progress, with whatever else has been recorded meanwhile.
    @discardableResult
    public func record(_ events: [ProgressEvent], now: Date = Date()) throws -> Progress {
        try makeDirectory()
        let lock = try ProgressLock(directory: directory, owner: owner, create: true)
        defer { lock.release() }
        let loaded = loadUnlocked(now: now)
        if let unsaved = loaded.unsaved { throw StoreError.unsaved(unsaved, path: file.path) }
        var progress = loaded.progress
        progress.apply(events, at: now)
        try save(progress)
        // Everything the journal held is in progress.json now, marked as such.
        if progress.journal != nil { journal.remove() }
        return progress
    }

    /// Appends `events` to the journal under the store's lock: for a command that only
    /// counts something (`ctutor demo`), a line written instead of the whole file
    /// rewritten and fsynced. The next ``record(_:now:)`` folds it in.
    public func append(_ events: [ProgressEvent], now: Date = Date()) throws {
        try makeDirectory()
        let lock = try ProgressLock(directory: directory, owner: owner, create: true)
        defer { lock.release() }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw StoreError.unsaved(Self.cannotKeep(file.path, "a folder is where the file should be", "폴더가 파일 자리에 있습니다"), path: file.path)
        }
        try journal.append(events, at: now, owner: owner)
    }

    /// The snapshot with the journal's events after its mark applied, and the new mark.
    private func loadUnlocked(now: Date) -> Loaded {
        var loaded = loadSnapshot(now: now)
        guard let read = journal.read(after: loaded.progress.journal) else { return loaded }
        for (at, event) in read.events { loaded.progress.apply(event, at: at) }
        loaded.progress.journal = ProgressJournal.Mark(generation: read.generation, offset: read.end)
        return loaded
    }

    private func loadSnapshot(now: Date) -> Loaded {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return Loaded(progress: Progress(), notice: nil, unsaved: Self.cannotKeep(file.path, "a folder is where the file should be", "폴더가 파일 자리에 있습니다"))
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            if FileManager.default.fileExists(atPath: file.path) || access(file.path, F_OK) == 0 {
                let reason = String(cString: strerror(access(file.path, R_OK) == 0 ? EIO : EACCES))
                return Loaded(progress: Progress(), notice: nil, unsaved: Self.cannotKeep(file.path, reason, reason))
            }
            return Loaded(progress: Progress(), notice: nil, unsaved: nil)
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
            if progress.version <= Progress.currentVersion { return Loaded(progress: progress, notice: nil, unsaved: nil) }
            problem = "version \(progress.version) is newer than this ctutor understands"
        } catch {
            problem = Self.describe(error)
        }
        guard let aside = setAside(now: now) else {
            let reason = String(cString: strerror(errno))
            return Loaded(
                progress: Progress(), notice: nil,
                unsaved: Localized(
                    ko: "진도 파일을 읽을 수 없고(\(problem)) 옆으로 옮길 수도 없습니다(\(reason)). 이번에는 진도를 메모리에만 두고 저장하지 않습니다. \(file.path)를 고치거나 옮기세요.",
                    en: "The progress file cannot be read (\(problem)) nor moved aside (\(reason)). This session keeps progress in memory only; fix or move \(file.path)."))
        }
        let notice = Localized(
            ko: "진도 파일을 읽을 수 없어(\(problem)) \(aside.path)로 옮겨 두었습니다. 새 진도로 시작합니다.",
            en: "The progress file could not be read (\(problem)); it was moved to \(aside.path). Starting with fresh progress."
        )
        return Loaded(progress: Progress(), notice: notice, unsaved: nil)
    }

    /// Moves a corrupt file to a name no earlier set-aside has: two corrupt files in
    /// the same second keep both.
    private func setAside(now: Date) -> URL? {
        let stamp = UTCTimestamp.string(now).filter { $0 != ":" }
        for attempt in 1...1000 {
            let name = attempt == 1 ? "progress.json.corrupt-\(stamp)" : "progress.json.corrupt-\(stamp)-\(attempt)"
            let aside = directory.appendingPathComponent(name)
            // link() refuses an existing name, where rename() would replace it.
            if link(file.path, aside.path) == 0 {
                unlink(file.path)
                return aside
            }
            if errno != EEXIST { return nil }
        }
        return nil
    }

    private static func cannotKeep(_ path: String, _ reasonEn: String, _ reasonKo: String) -> Localized {
        Localized(
            ko: "\(path)을(를) 쓸 수 없어(\(reasonKo)) 이번에는 진도를 메모리에만 두고 저장하지 않습니다. 권한을 고치거나 XDG_DATA_HOME을 쓸 수 있는 곳으로 정하세요.",
            en: "\(path) cannot be used (\(reasonEn)), so this session keeps progress in memory only. Fix its permissions, or point XDG_DATA_HOME at a folder you can write.")
    }

    /// Saves progress atomically. Callers that record what a learner did use
    /// ``record(_:now:)``, which merges with the file under the lock.
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
    func makeDirectory() throws {
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
