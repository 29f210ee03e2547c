/// A cpio archive in the "newc" format (`070701`), the one the Linux kernel unpacks
/// as an initramfs (Documentation/driver-api/early-userspace/buffer-format.rst).
/// Uncompressed: the kernel takes a plain archive as well as a compressed one.
///
/// Each entry is a 110-byte header of ASCII hex fields, the path, and the contents,
/// the header with its path and the contents each padded to a multiple of 4 bytes.
/// Paths are relative (`bin/busybox`), and a directory comes before what it holds.
struct CPIOArchive {
    private(set) var bytes: [UInt8] = []
    private var nextInode: UInt32 = 1

    static let trailerName = "TRAILER!!!"

    mutating func addDirectory(_ path: String, mode: UInt32 = 0o755) {
        add(path, mode: 0o040000 | mode, links: 2, contents: [])
    }

    mutating func addFile(_ path: String, contents: [UInt8], mode: UInt32 = 0o644) {
        add(path, mode: 0o100000 | mode, contents: contents)
    }

    /// A device node, such as `dev/console` (5, 1): only bytes here, made by the kernel when it unpacks.
    mutating func addCharacterDevice(_ path: String, major: UInt32, minor: UInt32, mode: UInt32 = 0o600) {
        add(path, mode: 0o020000 | mode, contents: [], device: (major, minor))
    }

    /// The archive, closed by its trailer entry.
    func finished() -> [UInt8] {
        var archive = self
        archive.add(Self.trailerName, mode: 0, contents: [], inode: 0)
        return archive.bytes
    }

    private mutating func add(
        _ path: String, mode: UInt32, links: UInt32 = 1, contents: [UInt8], device: (UInt32, UInt32) = (0, 0),
        inode: UInt32? = nil
    ) {
        precondition(!path.hasPrefix("/") && !path.isEmpty, "cpio paths are relative and not empty")
        let name = Array(path.utf8) + [0]
        let fields: [UInt32] = [
            inode ?? nextInode, mode, 0, 0, links, 0, UInt32(contents.count), 0, 0, device.0, device.1, UInt32(name.count), 0,
        ]
        if inode == nil { nextInode += 1 }
        bytes += Array("070701".utf8)
        for field in fields { bytes += Self.hex(field) }
        bytes += name
        pad()
        bytes += contents
        pad()
    }

    /// Eight upper-case hex digits.
    private static func hex(_ value: UInt32) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return (0..<8).reversed().map { digits[Int((value >> (UInt32($0) * 4)) & 0xF)] }
    }

    private mutating func pad() {
        bytes += [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4)
    }
}
