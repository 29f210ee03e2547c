/// One member of a tar archive, with PAX and GNU long names already applied.
struct TarEntry: Equatable {
    enum Kind: Equatable {
        case file, directory, symlink, hardLink, characterDevice, blockDevice, fifo
    }

    /// The name as written in the archive: not yet checked or cleaned.
    var path: String
    var kind: Kind
    /// Permission bits with setuid, setgid and sticky (`07777`).
    var mode: UInt32
    var uid: Int = 0
    var gid: Int = 0
    /// Seconds since 1970; PAX's fractions are dropped.
    var mtime: Int64 = 0
    /// The content's length; 0 for everything but files.
    var size: Int64 = 0
    /// A symlink's target, or the earlier member a hard link names.
    var linkTarget: String = ""
    var deviceMajor: UInt32 = 0
    var deviceMinor: UInt32 = 0
}

/// The fixed 512-byte header block of ustar, GNU and PAX archives.
///
/// Field offsets are POSIX's ustar layout (pax(1), "ustar Interchange Format").
struct TarHeaderBlock {
    static let size = 512

    /// The type flag, as read.
    enum TypeFlag: UInt8 {
        case file = 0x30, hardLink = 0x31, symlink = 0x32, characterDevice = 0x33, blockDevice = 0x34
        case directory = 0x35, fifo = 0x36, contiguous = 0x37
        case paxExtended = 0x78, paxGlobal = 0x67
        case gnuLongName = 0x4c, gnuLongLink = 0x4b, gnuSparse = 0x53
        case oldFile = 0
    }

    let bytes: [UInt8]

    var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    /// The stored checksum matches the block's byte sum (with the checksum field as
    /// spaces), counted unsigned as POSIX says or signed as some old writers did.
    var checksumMatches: Bool {
        guard let stored = number(148, 8) else { return false }
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (index, byte) in bytes.enumerated() {
            let value = (148..<156).contains(index) ? 0x20 : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        return stored == unsigned || stored == signed
    }

    var rawType: UInt8 { bytes[156] }
    var name: [UInt8] { field(0, 100) }
    var linkName: [UInt8] { field(157, 100) }
    var isUstar: Bool { Array(bytes[257..<263]) == Array("ustar\0".utf8) }
    /// ustar's prefix; GNU archives keep other data there, so only for ustar magic.
    var prefix: [UInt8] { isUstar ? field(345, 155) : [] }
    var mode: Int64? { number(100, 8) }
    var uid: Int64? { number(108, 8) }
    var gid: Int64? { number(116, 8) }
    var size: Int64? { number(124, 12) }
    var mtime: Int64? { number(136, 12) }
    var deviceMajor: Int64? { number(329, 8) }
    var deviceMinor: Int64? { number(337, 8) }

    /// Bytes up to the first NUL.
    func field(_ offset: Int, _ length: Int) -> [UInt8] {
        let slice = bytes[offset..<(offset + length)]
        return Array(slice.prefix { $0 != 0 })
    }

    /// An octal field (spaces and NULs around it), or GNU's base-256 form whose first
    /// byte has the high bit set. `nil` when it is neither.
    func number(_ offset: Int, _ length: Int) -> Int64? {
        let slice = bytes[offset..<(offset + length)]
        if let first = slice.first, first & 0x80 != 0 {
            // 0xff would start a negative number: no size, id or time here is negative.
            guard first & 0x40 == 0 else { return nil }
            var value: Int64 = Int64(first & 0x3f)
            for byte in slice.dropFirst() {
                guard value <= Int64.max >> 8 else { return nil }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        let digits = slice.drop { $0 == 0x20 || $0 == 0 }.prefix { $0 != 0x20 && $0 != 0 }
        if digits.isEmpty { return 0 }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= 0x30 && byte <= 0x37, value <= Int64.max >> 3 else { return nil }
            value = value << 3 | Int64(byte - 0x30)
        }
        return value
    }
}
