import CShim

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The calls the cgroup code makes on a cgroup filesystem, each failure a
/// ``CgroupError/system(_:)`` naming the call and the path.
enum CgroupFS {
    /// `statfs` `f_type` of cgroup2, and of a cgroup v1 hierarchy.
    static let cgroup2Magic: UInt = 0x6367_7270
    static let cgroup1Magic: UInt = 0x0027_e0eb

    static func read(_ path: String) throws(CgroupError) -> String {
        do { return try ProcFS.readFile(path) } catch { throw .system(error) }
    }

    /// The file's text, or `nil` when it is not there (a controller not enabled, an
    /// older kernel) or cannot be read.
    static func readIfPresent(_ path: String) -> String? {
        try? ProcFS.readFile(path)
    }

    static func write(_ value: String, to path: String) throws(CgroupError) {
        do { try ProcFS.writeFile(value, to: path) } catch { throw .system(error) }
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// `mkdir(path, 0755)`. Returns whether it made the directory: `false` when it was
    /// there already and `existing` allows that.
    static func makeDirectory(_ path: String, existing allowed: Bool) throws(CgroupError) -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        let code = errno
        if code == EEXIST && allowed { return false }
        throw .system(SyscallError(call: "mkdir \(path)", errno: code))
    }

    /// `rmdir(path)`: `0`, or the `errno` it failed with.
    static func removeDirectory(_ path: String) -> Int32 {
        rmdir(path) == 0 ? 0 : errno
    }

    /// The directories directly below `path` (child cgroups), by full path.
    static func subdirectories(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var found: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if entry.pointee.d_type == UInt8(DT_DIR) && name != "." && name != ".." { found.append(path + "/" + name) }
        }
        return found.sorted()
    }

    /// The PIDs in a `cgroup.procs` file; none when it is gone.
    static func pids(_ procsFile: String) -> [Int32] {
        (readIfPresent(procsFile) ?? "").split(separator: "\n").compactMap { Int32($0) }
    }

    /// The filesystem type of `path`, `nil` when it cannot be looked at (it is not there).
    static func magic(_ path: String) -> UInt? {
        var magic: UInt = 0
        return ctutor_fs_magic(path, &magic) == 0 ? magic : nil
    }

    /// The `key value` lines of files such as `memory.events`, `cpu.stat`, `pids.events`,
    /// `memory.oom_control`.
    static func keyedValues(_ text: String) -> [String: Int64] {
        var values: [String: Int64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let value = Int64(fields[1]) { values[String(fields[0])] = value }
        }
        return values
    }

    /// The words of a file such as `cgroup.controllers` (`cpu memory pids`) or `cpu.max` (`max 100000`).
    static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: \.isWhitespace)
    }
}
