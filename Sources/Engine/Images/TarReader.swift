/// Reads a tar archive (ustar, GNU, PAX) entry by entry from a byte stream.
///
/// PAX extended headers and GNU long names/links are folded into the entry they
/// precede. The archive must end with its end-of-archive zero block(s): a stream that
/// stops earlier is truncated and refused.
struct TarReader<Source: ByteSource> {
    /// Longest PAX header or GNU long name accepted, so a hostile header cannot take all memory.
    static var metadataLimit: Int { 1 << 20 }

    private var source: Source
    /// For messages: the archive or layer being read.
    let name: String
    private var buffer = [UInt8](repeating: 0, count: 128 * 1024)
    private var start = 0
    private var end = 0
    /// Bytes taken from the stream so far; in an uncompressed file, the file offset.
    private(set) var position: Int64 = 0
    /// Where the current entry's content starts in the stream.
    private(set) var contentOffset: Int64 = 0
    private var remainingContent: Int64 = 0
    private var remainingPadding: Int64 = 0
    private(set) var ended = false

    init(_ source: Source, name: String) {
        self.source = source
        self.name = name
    }

    /// The next entry, or `nil` at the end-of-archive marker.
    mutating func next() throws -> TarEntry? {
        guard !ended else { return nil }
        try skip(remainingContent + remainingPadding)
        remainingContent = 0
        remainingPadding = 0
        var pax: [String: String] = [:]
        var longName: [UInt8]?
        var longLink: [UInt8]?
        while true {
            let headerOffset = position
            guard let block = try readBlock() else {
                throw ImageError(.corrupt, name, "truncated: the archive ends at byte \(position) without its end-of-archive blocks")
            }
            if block.isZero {
                // One zero block then the end is accepted, as GNU tar does; anything after it is not.
                guard let second = try readBlock(), !second.isZero else {
                    ended = true
                    return nil
                }
                throw ImageError(.corrupt, name, "an empty header block at byte \(headerOffset) is followed by more entries")
            }
            guard block.checksumMatches else {
                throw ImageError(.corrupt, name, "the header at byte \(headerOffset) fails its checksum (corrupt or not a tar archive)")
            }
            guard let size = block.size else { throw malformed("size", at: headerOffset) }
            let declaredSize = pax["size"].flatMap { Int64($0) } ?? size
            switch TarHeaderBlock.TypeFlag(rawValue: block.rawType) {
            case .paxExtended:
                for (key, value) in try parsePAX(try readMetadata(size, at: headerOffset), at: headerOffset) { pax[key] = value }
                continue
            case .paxGlobal:
                try skip(Self.padded(size))
                continue
            case .gnuLongName:
                longName = try readMetadata(size, at: headerOffset).prefix { $0 != 0 }
                continue
            case .gnuLongLink:
                longLink = try readMetadata(size, at: headerOffset).prefix { $0 != 0 }
                continue
            case .gnuSparse:
                throw ImageError(.unsupported, name, "a GNU sparse file at byte \(headerOffset); recreate the archive without --sparse")
            case nil:
                throw ImageError(.unsupported, name, "entry type '\(Unicode.Scalar(block.rawType))' at byte \(headerOffset)")
            case .file, .hardLink, .symlink, .characterDevice, .blockDevice, .directory, .fifo, .contiguous, .oldFile:
                break
            }
            var entry = try makeEntry(block, pax: pax, longName: longName, longLink: longLink, at: headerOffset)
            entry.size = entry.kind == .file ? declaredSize : 0
            contentOffset = position
            remainingContent = declaredSize
            remainingPadding = Self.padded(declaredSize) - declaredSize
            return entry
        }
    }

    /// Hands the current entry's content to `body` in pieces, front to back.
    mutating func readContent(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        while remainingContent > 0 {
            if start == end { try refill(atLeast: 1, what: "the content of an entry") }
            let count = Int(min(Int64(end - start), remainingContent))
            try buffer.withUnsafeBytes { (bytes) throws in
                try body(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)]))
            }
            start += count
            position += Int64(count)
            remainingContent -= Int64(count)
        }
    }

    /// Reads the rest of the stream after the end-of-archive marker, so that every
    /// hashing stage under this reader has seen the whole blob.
    mutating func finish() throws {
        position += Int64(end - start)
        start = end
        try source.drain()
    }

    static func padded(_ size: Int64) -> Int64 { (size + 511) / 512 * 512 }

    private func malformed(_ field: String, at offset: Int64) -> ImageError {
        ImageError(.corrupt, name, "the header at byte \(offset) has a malformed \(field) field")
    }

    private func text(_ bytes: some Collection<UInt8>, _ what: String, at offset: Int64) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ImageError(.unsupported, name, "the \(what) at byte \(offset) is not UTF-8")
        }
        return text
    }

    private func makeEntry(
        _ block: TarHeaderBlock, pax: [String: String], longName: [UInt8]?, longLink: [UInt8]?, at offset: Int64
    ) throws -> TarEntry {
        let path: String
        if let paxPath = pax["path"] {
            path = paxPath
        } else if let longName {
            path = try text(longName, "long name", at: offset)
        } else {
            let prefix = block.prefix
            path = try text(prefix.isEmpty ? block.name : prefix + [0x2f] + block.name, "name", at: offset)
        }
        let link = try pax["linkpath"] ?? text(longLink ?? block.linkName, "link name", at: offset)
        let kind: TarEntry.Kind
        switch TarHeaderBlock.TypeFlag(rawValue: block.rawType) {
        case .hardLink: kind = .hardLink
        case .symlink: kind = .symlink
        case .characterDevice: kind = .characterDevice
        case .blockDevice: kind = .blockDevice
        case .directory: kind = .directory
        case .fifo: kind = .fifo
        // Pre-POSIX archives mark a directory only by the slash at the end of its name.
        case .oldFile where path.hasSuffix("/"): kind = .directory
        default: kind = .file
        }
        guard let mode = block.mode else { throw malformed("mode", at: offset) }
        guard let uid = pax["uid"].flatMap({ Int64($0) }) ?? block.uid else { throw malformed("uid", at: offset) }
        guard let gid = pax["gid"].flatMap({ Int64($0) }) ?? block.gid else { throw malformed("gid", at: offset) }
        let paxTime = pax["mtime"].flatMap { Int64($0.prefix { $0 != "." }) }
        guard let mtime = paxTime ?? block.mtime else { throw malformed("mtime", at: offset) }
        var entry = TarEntry(path: path, kind: kind, mode: UInt32(truncatingIfNeeded: mode) & 0o7777)
        entry.uid = Int(uid)
        entry.gid = Int(gid)
        entry.mtime = mtime
        entry.linkTarget = link
        if kind == .characterDevice || kind == .blockDevice {
            guard let major = block.deviceMajor, let minor = block.deviceMinor else { throw malformed("device number", at: offset) }
            entry.deviceMajor = UInt32(truncatingIfNeeded: major)
            entry.deviceMinor = UInt32(truncatingIfNeeded: minor)
        }
        return entry
    }

    /// `LENGTH key=value\n` records (POSIX pax, "pax Extended Header").
    private func parsePAX(_ data: [UInt8], at offset: Int64) throws -> [String: String] {
        var records: [String: String] = [:]
        var index = 0
        while index < data.count {
            guard let space = data[index...].firstIndex(of: 0x20),
                let length = Int(try text(data[index..<space], "PAX record", at: offset)),
                length > space - index + 1, index + length <= data.count, data[index + length - 1] == 0x0a,
                let equals = data[(space + 1)..<(index + length)].firstIndex(of: 0x3d)
            else { throw ImageError(.corrupt, name, "a malformed PAX record in the header at byte \(offset)") }
            let key = try text(data[(space + 1)..<equals], "PAX key", at: offset)
            if key.hasPrefix("GNU.sparse.") {
                throw ImageError(.unsupported, name, "a PAX sparse file at byte \(offset); recreate the archive without --sparse")
            }
            records[key] = try text(data[(equals + 1)..<(index + length - 1)], "PAX value", at: offset)
            index += length
        }
        return records
    }

    private mutating func readMetadata(_ size: Int64, at offset: Int64) throws -> [UInt8] {
        guard size <= Int64(Self.metadataLimit) else {
            throw ImageError(.unsupported, name, "a \(size)-byte extended header at byte \(offset) (more than \(Self.metadataLimit))")
        }
        remainingContent = size
        var data: [UInt8] = []
        try readContent { bytes throws in data.append(contentsOf: bytes) }
        try skip(Self.padded(size) - size)
        return data
    }

    private mutating func readBlock() throws -> TarHeaderBlock? {
        if end - start < TarHeaderBlock.size {
            try refill(atLeast: TarHeaderBlock.size, what: "a header", allowEmpty: true)
            if start == end { return nil }
        }
        let block = TarHeaderBlock(bytes: Array(buffer[start..<(start + TarHeaderBlock.size)]))
        start += TarHeaderBlock.size
        position += Int64(TarHeaderBlock.size)
        return block
    }

    private mutating func skip(_ count: Int64) throws {
        var left = count
        while left > 0 {
            if start == end { try refill(atLeast: 1, what: "an entry's content") }
            let step = Int(min(Int64(end - start), left))
            start += step
            position += Int64(step)
            left -= Int64(step)
        }
    }

    /// Reads until at least `count` bytes are buffered. The end of the stream is an
    /// error unless `allowEmpty` and nothing at all was left.
    private mutating func refill(atLeast count: Int, what: String, allowEmpty: Bool = false) throws {
        if start > 0 {
            buffer.withUnsafeMutableBytes { bytes in
                bytes.baseAddress!.copyMemory(from: bytes.baseAddress! + start, byteCount: end - start)
            }
            end -= start
            start = 0
        }
        while end < count {
            let read = try buffer.withUnsafeMutableBytes { (bytes) throws -> Int in
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[end...]))
            }
            if read == 0 {
                if allowEmpty && end == 0 { return }
                throw ImageError(.corrupt, name, "truncated: the archive ends inside \(what), at byte \(position + Int64(end))")
            }
            end += read
        }
    }
}
