import Foundation

/// `progress.journal`, beside `progress.json`: events a quick command (`ctutor demo`)
/// appends — one JSON line each, under the store's lock, without rewriting and
/// fsyncing the whole file, which cost a demo run more than the demo itself.
///
/// The next full save (``ProgressStore/record(_:now:)``) folds the journal into
/// `progress.json` and removes it. The file starts with a line naming its generation;
/// a save writes into `progress.json` how far into which generation it has folded
/// (``Mark``), so a crash between that save and the removal never counts an event
/// twice. A crash may lose the last lines appended (they are not fsynced): never
/// more, and never anything already in `progress.json`. A torn or unreadable line is
/// skipped.
struct ProgressJournal {
    let url: URL

    /// How much of which journal a `progress.json` already holds.
    struct Mark: Codable, Equatable, Sendable {
        var generation: String
        var offset: Int
    }

    struct Entry: Codable {
        var at: String
        var event: ProgressEvent
    }

    struct Read {
        var generation: String
        /// Events after the mark, with the offset just past each one's line.
        var events: [(at: Date, event: ProgressEvent)]
        var end: Int
    }

    /// The events not yet in a `progress.json` marked `mark`; nil without a journal.
    func read(after mark: Mark?) -> Read? {
        guard let data = FileManager.default.contents(atPath: url.path), !data.isEmpty else { return nil }
        let bytes = [UInt8](data)
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // After the last newline: nothing, or a line a crash cut short (not an event yet).
        lines.removeLast()
        guard let first = lines.first,
            let header = try? JSONSerialization.jsonObject(with: Data(first)) as? [String: Any],
            let generation = header["journal"] as? String
        else { return nil }
        let skip = mark?.generation == generation ? mark!.offset : 0
        let decoder = JSONDecoder()
        var events: [(at: Date, event: ProgressEvent)] = []
        var offset = first.count + 1
        for line in lines.dropFirst() {
            offset += line.count + 1
            guard offset > skip, let entry = try? decoder.decode(Entry.self, from: Data(line)),
                let at = UTCTimestamp.date(entry.at)
            else { continue }
            events.append((at, entry.event))
        }
        return Read(generation: generation, events: events, end: offset)
    }

    /// Appends `events` as one write; the caller holds the store's lock.
    func append(_ events: [ProgressEvent], at date: Date, owner: (uid: uid_t, gid: gid_t)?) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var text = ""
        let fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ProgressStore.StoreError.io("open", path: url.path, errno: errno) }
        defer { close(fd) }
        var status = stat()
        if fstat(fd, &status) == 0, status.st_size == 0 {
            if let owner { fchown(fd, owner.uid, owner.gid) }
            text += "{\"journal\":\"\(UInt64.random(in: 0...UInt64.max))-\(getpid())\"}\n"
        } else if status.st_size > 0 {
            // A line a crash cut short is ended here, so it costs only itself.
            var last: UInt8 = 0
            let reader = open(url.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            if reader >= 0 {
                if pread(reader, &last, 1, off_t(status.st_size - 1)) == 1, last != UInt8(ascii: "\n") { text += "\n" }
                close(reader)
            }
        }
        for event in events {
            let line = try encoder.encode(Entry(at: UTCTimestamp.string(date), event: event))
            text += String(decoding: line, as: UTF8.self) + "\n"
        }
        let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        guard written == text.utf8.count else { throw ProgressStore.StoreError.io("write", path: url.path, errno: errno) }
    }

    func remove() {
        unlink(url.path)
    }
}
