/// One line of `/proc/<pid>/mountinfo` (proc(5)): a mount as the reading process's
/// mount namespace has it.
///
/// `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`
public struct MountInfoEntry: Equatable, Sendable {
    /// Unique among all mounts of the system: the same mount has the same ID in
    /// every namespace that lists it.
    public var mountID: Int
    public var parentID: Int
    /// Where the mount point is, relative to the reader's root.
    public var mountPoint: String
    public var options: String
    /// `shared:N`, `master:N`, `propagate_from:N`, `unbindable`; none means private.
    public var optionalFields: [String]
    public var fsType: String
    public var source: String
    /// The filesystem's own options (`lowerdir=…,upperdir=…` for an overlay).
    public var superOptions: String

    /// Parses one line; `nil` when it lacks the documented fields.
    public init?(line: Substring) {
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard let dash = fields.firstIndex(of: "-"), dash >= 6, fields.count >= dash + 3,
            let mountID = Int(fields[0]), let parentID = Int(fields[1])
        else { return nil }
        self.mountID = mountID
        self.parentID = parentID
        mountPoint = Self.unescape(fields[4])
        options = String(fields[5])
        optionalFields = fields[6..<dash].map(String.init)
        fsType = String(fields[dash + 1])
        source = Self.unescape(fields[dash + 2])
        superOptions = fields.count > dash + 3 ? String(fields[dash + 3]) : ""
    }

    /// Every mount in a `mountinfo` text, in its order.
    public static func parse(_ text: String) -> [MountInfoEntry] {
        text.split(separator: "\n").compactMap { MountInfoEntry(line: $0) }
    }

    /// The mount at `/` in `pid`'s mount namespace (`nil`: this process's).
    static func root(of pid: Int32? = nil) throws -> MountInfoEntry {
        let path = "/proc/\(pid.map(String.init) ?? "self")/mountinfo"
        guard let root = parse(try ProcFS.readFile(path)).last(where: { $0.mountPoint == "/" }) else {
            throw ProcFormatError(path: path, problem: "no mount at /")
        }
        return root
    }

    /// `key=value` super options as a dictionary (an overlay's `lowerdir`, `upperdir`).
    var superOptionValues: [String: String] {
        Dictionary(
            superOptions.split(separator: ",").compactMap { option -> (String, String)? in
                let parts = option.split(separator: "=", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }, uniquingKeysWith: { first, _ in first })
    }

    /// How `findmnt` would show it: target, type, source, options.
    public var summary: String { "\(mountPoint) \(fsType) \(source) \(options)" }

    /// The propagation as `findmnt -o PROPAGATION` names it: `private`, or the optional fields.
    public var propagation: String {
        optionalFields.isEmpty ? "private" : optionalFields.joined(separator: " ")
    }

    /// The kernel writes space, tab, newline and backslash as `\040`, `\011`, `\012`, `\134`.
    private static func unescape(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        var rest = Array(field.utf8)[...]
        while let byte = rest.popFirst() {
            if byte == UInt8(ascii: "\\"), rest.count >= 3,
                let code = UInt8(String(decoding: rest.prefix(3), as: UTF8.self), radix: 8)
            {
                bytes.append(code)
                rest = rest.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
