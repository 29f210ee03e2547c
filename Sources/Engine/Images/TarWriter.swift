/// Writes a tar archive into memory, byte for byte the same for the same entries:
/// ustar headers, with a PAX header before any entry whose name or link does not fit.
///
/// Names are written as given, unchecked, so tests can also make hostile archives.
/// The archive ends with two zero blocks and is not padded to a 10 KiB record.
struct TarWriter {
    private(set) var bytes: [UInt8] = []

    /// Appends one entry; `content` only for files.
    mutating func append(_ entry: TarEntry, content: [UInt8] = []) {
        var pax: [(String, String)] = []
        let split = Self.splitUstarName(entry.path)
        if split == nil { pax.append(("path", entry.path)) }
        if entry.linkTarget.utf8.count > 100 || !entry.linkTarget.allSatisfy(\.isASCII) { pax.append(("linkpath", entry.linkTarget)) }
        if !pax.isEmpty {
            let records = Array(pax.map(Self.paxRecord).joined())
            let header = TarEntry(path: "", kind: .file, mode: 0o644, mtime: entry.mtime)
            write(header: header, name: (prefix: [], name: Array("././@PaxHeader".utf8)), type: 0x78, size: records.count)
            write(padded: records)
        }
        let name = split ?? (prefix: [], name: Array(entry.path.utf8.prefix(100)))
        write(header: entry, name: name, type: Self.typeFlag(entry.kind), size: entry.kind == .file ? content.count : 0)
        if entry.kind == .file { write(padded: content) }
    }

    mutating func directory(_ path: String, mode: UInt32 = 0o755, mtime: Int64 = 0) {
        append(TarEntry(path: path, kind: .directory, mode: mode, mtime: mtime))
    }

    mutating func file(_ path: String, _ content: [UInt8], mode: UInt32 = 0o644, mtime: Int64 = 0) {
        append(TarEntry(path: path, kind: .file, mode: mode, mtime: mtime), content: content)
    }

    mutating func symlink(_ path: String, to target: String, mtime: Int64 = 0) {
        append(TarEntry(path: path, kind: .symlink, mode: 0o777, mtime: mtime, linkTarget: target))
    }

    mutating func hardLink(_ path: String, to target: String, mtime: Int64 = 0) {
        append(TarEntry(path: path, kind: .hardLink, mode: 0o644, mtime: mtime, linkTarget: target))
    }

    /// The archive with its end-of-archive marker.
    func finished() -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: 2 * TarHeaderBlock.size)
    }

    private mutating func write(header entry: TarEntry, name: (prefix: [UInt8], name: [UInt8]), type: UInt8, size: Int) {
        var block = [UInt8](repeating: 0, count: TarHeaderBlock.size)
        func put(_ value: [UInt8], at offset: Int, max: Int) {
            for (index, byte) in value.prefix(max).enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int64, at offset: Int, width: Int) {
            // Digits, then a NUL; too large for octal (8 GiB, big ids) goes base-256, as GNU tar does.
            let digits = String(value, radix: 8)
            if value >= 0 && digits.count < width {
                put(Array((String(repeating: "0", count: width - 1 - digits.count) + digits).utf8), at: offset, max: width - 1)
            } else {
                var number = UInt64(bitPattern: value)
                for index in stride(from: width - 1, to: 0, by: -1) {
                    block[offset + index] = UInt8(truncatingIfNeeded: number)
                    number >>= 8
                }
                block[offset] = 0x80
            }
        }
        put(name.name, at: 0, max: 100)
        octal(Int64(entry.mode), at: 100, width: 8)
        octal(Int64(entry.uid), at: 108, width: 8)
        octal(Int64(entry.gid), at: 116, width: 8)
        octal(Int64(size), at: 124, width: 12)
        octal(entry.mtime, at: 136, width: 12)
        block[156] = type
        put(Array(entry.linkTarget.utf8), at: 157, max: 100)
        put(Array("ustar\u{0}00".utf8), at: 257, max: 8)
        octal(Int64(entry.deviceMajor), at: 329, width: 8)
        octal(Int64(entry.deviceMinor), at: 337, width: 8)
        put(name.prefix, at: 345, max: 155)
        put(Array("        ".utf8), at: 148, max: 8)
        let sum = block.reduce(0) { $0 + Int($1) }
        put(
            Array((String(repeating: "0", count: 6 - String(sum, radix: 8).count) + String(sum, radix: 8)).utf8) + [0, 0x20], at: 148,
            max: 8)
        bytes += block
    }

    private mutating func write(padded content: [UInt8]) {
        bytes += content
        let padding = Int(TarReader<FileSlice>.padded(Int64(content.count))) - content.count
        bytes += [UInt8](repeating: 0, count: padding)
    }

    /// ustar keeps names up to 100 bytes, or a prefix of up to 155 and a name of up
    /// to 100 split at a slash; ASCII only, so that readers agree on the bytes.
    static func splitUstarName(_ path: String) -> (prefix: [UInt8], name: [UInt8])? {
        let bytes = Array(path.utf8)
        guard path.allSatisfy(\.isASCII) else { return nil }
        if bytes.count <= 100 { return ([], bytes) }
        for index in bytes.indices.reversed() where bytes[index] == 0x2f {
            let prefix = Array(bytes[..<index])
            let name = Array(bytes[(index + 1)...])
            if prefix.count <= 155 && name.count <= 100 && !name.isEmpty { return (prefix, name) }
        }
        return nil
    }

    /// One `LENGTH key=value\n` record, whose length counts its own digits.
    static func paxRecord(_ record: (key: String, value: String)) -> [UInt8] {
        let body = " \(record.key)=\(record.value)\n".utf8.count
        var length = body + String(body).count
        if String(length).count != String(body).count { length = body + String(length).count }
        return Array("\(length) \(record.key)=\(record.value)\n".utf8)
    }

    static func typeFlag(_ kind: TarEntry.Kind) -> UInt8 {
        switch kind {
        case .file: 0x30
        case .hardLink: 0x31
        case .symlink: 0x32
        case .characterDevice: 0x33
        case .blockDevice: 0x34
        case .directory: 0x35
        case .fifo: 0x36
        }
    }
}
