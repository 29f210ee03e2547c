#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The eight namespace types, as they appear as links in `/proc/<pid>/ns/`.
public enum NamespaceKind: String, CaseIterable, Hashable, Sendable {
    case mnt, uts, ipc, pid, net, user, cgroup, time

    /// The `CLONE_NEW*` flag that makes one.
    public var cloneFlag: UInt32 {
        switch self {
        case .mnt: 0x0002_0000
        case .uts: 0x0400_0000
        case .ipc: 0x0800_0000
        case .pid: 0x2000_0000
        case .net: 0x4000_0000
        case .user: 0x1000_0000
        case .cgroup: 0x0200_0000
        case .time: 0x0000_0080
        }
    }

    /// `CLONE_NEWUTS`, as `man 2 unshare` spells it (`CLONE_NEWNS` for mnt).
    public var cloneFlagName: String {
        self == .mnt ? "CLONE_NEWNS" : "CLONE_NEW" + rawValue.uppercased()
    }

    /// Names joined as a flag mask: `CLONE_NEWUTS|CLONE_NEWPID`, in a fixed order.
    public static func flagNames(_ kinds: Set<NamespaceKind>) -> String {
        allCases.filter(kinds.contains).map(\.cloneFlagName).joined(separator: "|")
    }
}

/// A namespace as the kernel names it in a `/proc/<pid>/ns/<kind>` link: `uts:[4026531838]`.
///
/// Two processes are in the same namespace exactly when their links read the same.
public struct NamespaceID: Hashable, Sendable, CustomStringConvertible {
    /// `uts`, `pid`, `user`, …
    public var kind: String
    /// The inode number of the namespace on the kernel's nsfs.
    public var inode: UInt64

    public init(kind: String, inode: UInt64) {
        self.kind = kind
        self.inode = inode
    }

    /// Parses link text of the form `kind:[inode]`; `nil` for anything else.
    public init?(link: String) {
        guard link.hasSuffix("]"), let open = link.firstIndex(of: ":") else { return nil }
        let kind = link[..<open]
        let bracketed = link[link.index(after: open)...].dropLast()
        guard !kind.isEmpty, bracketed.first == "[", let inode = UInt64(bracketed.dropFirst()) else {
            return nil
        }
        self.init(kind: String(kind), inode: inode)
    }

    public var description: String { "\(kind):[\(inode)]" }
}

/// The `Key:\tvalue` lines of `/proc/<pid>/status`.
public struct ProcessStatus: Equatable, Sendable {
    /// Each line's value by its key, whitespace-trimmed.
    public var fields: [String: String]

    public init(parsing text: String) {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            fields[String(line[..<colon])] = String(value)
        }
        self.fields = fields
    }

    /// `NSpid`: the process's PID in each PID namespace it belongs to, from the
    /// reader's namespace inwards; the last one is the PID the process sees itself.
    public var namespacePIDs: [Int32]? { numbers("NSpid") }

    /// `Uid`: real, effective, saved and filesystem UID, as seen from the reader's
    /// user namespace.
    public var uids: [UInt32]? { numbers("Uid") }

    /// `Gid`: real, effective, saved and filesystem GID, as seen from the reader's
    /// user namespace.
    public var gids: [UInt32]? { numbers("Gid") }

    /// `CapEff`: the effective capabilities, a bit for each `CAP_*` number, held in
    /// the process's own user namespace.
    public var effectiveCapabilities: UInt64? { fields["CapEff"].flatMap { UInt64($0, radix: 16) } }

    /// `PPid`: the parent's PID, as seen from the reader's PID namespace.
    public var parentPID: Int32? { (numbers("PPid") as [Int32]?)?.first }

    /// `State` starts with `Z`: exited, waiting for its parent to reap it.
    public var isZombie: Bool { fields["State"]?.hasPrefix("Z") == true }

    private func numbers<Number: FixedWidthInteger>(_ key: String) -> [Number]? {
        guard let value = fields[key] else { return nil }
        let numbers = value.split(whereSeparator: \.isWhitespace).map { Number($0) }
        guard !numbers.isEmpty, !numbers.contains(nil) else { return nil }
        return numbers.compactMap { $0 }
    }
}

/// A `/proc` file that did not have the format the kernel documents for it.
public struct ProcFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    /// What was expected and what was there.
    public var problem: String

    public var description: String { "\(path): \(problem)" }
}

/// Reads and writes `/proc` the way the engine gathers evidence: from outside the
/// isolated process, by its host PID.
public enum ProcFS {
    /// The namespace `pid` (or this process, when `nil`) is in, from `/proc/<pid>/ns/<kind>`.
    public static func namespace(_ kind: NamespaceKind, pid: Int32? = nil) throws -> NamespaceID {
        let path = "/proc/\(pid.map(String.init) ?? "self")/ns/\(kind.rawValue)"
        let link = try readLink(path)
        guard let id = NamespaceID(link: link) else {
            throw ProcFormatError(path: path, problem: "expected kind:[inode], found \"\(link)\"")
        }
        return id
    }

    /// The parsed `/proc/<pid>/status` of `pid`.
    public static func status(pid: Int32) throws -> ProcessStatus {
        ProcessStatus(parsing: try readFile("/proc/\(pid)/status"))
    }

    /// The PIDs `/proc` lists (one a process, threads not counted), in the PID
    /// namespace of whoever mounted it: on the host, every process of the system.
    public static func pids(in proc: String = "/proc") throws(SyscallError) -> [Int32] {
        guard let directory = opendir(proc) else { throw SyscallError(call: "opendir \(proc)", errno: errno) }
        defer { closedir(directory) }
        var pids: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let pid = Int32(name) { pids.append(pid) }
        }
        return pids.sorted()
    }

    /// Whether `/proc/<pid>` exists: the process runs or is a zombie not yet reaped.
    public static func exists(pid: Int32) -> Bool {
        access("/proc/\(pid)", F_OK) == 0
    }

    /// The whole content of a (usually `/proc` or `/sys`) file, whose size `stat` does not tell.
    public static func readFile(_ path: String) throws(SyscallError) -> String {
        let fd = try retryingEINTR("open \(path)") { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try retryingEINTR("read \(path)") {
                chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to an existing file. `uid_map` and `gid_map` need the whole map in
    /// one `write(2)`: the text goes in one call, which the kernel takes whole or refuses.
    public static func writeFile(_ text: String, to path: String) throws(SyscallError) {
        let fd = try retryingEINTR("open \(path)") { open(path, O_WRONLY | O_CLOEXEC) }
        defer { close(fd) }
        var rest = Array(text.utf8)[...]
        while !rest.isEmpty {
            let written = try retryingEINTR("write \(path)") {
                rest.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            }
            rest = rest.dropFirst(written)
        }
    }

    /// The target of the symbolic link at `path`.
    public static func readLink(_ path: String) throws(SyscallError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        let count = try retryingEINTR("readlink \(path)") {
            buffer.withUnsafeMutableBufferPointer { readlink(path, $0.baseAddress!, $0.count) }
        }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
