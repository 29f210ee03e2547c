/// Capability sets as `/proc/<pid>/status` shows them (`CapEff: 000001ffffffffff`).
enum Capabilities {
    /// Every capability this kernel knows: bits 0 to `/proc/sys/kernel/cap_last_cap`.
    static func all() throws -> UInt64 {
        let path = "/proc/sys/kernel/cap_last_cap"
        let text = try ProcFS.readFile(path)
        guard let word = text.split(whereSeparator: \.isWhitespace).first, let last = Int(word), (0..<64).contains(last) else {
            throw ProcFormatError(path: path, problem: "expected a capability number, found \"\(text)\"")
        }
        return last == 63 ? .max : (1 << UInt64(last + 1)) - 1
    }

    /// `000001ffffffffff (41/41)`: the set as the kernel prints it, and how many of all it holds.
    static func describe(_ set: UInt64, of all: UInt64) -> String {
        let digits = String(set, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits + " (\(set.nonzeroBitCount)/\(all.nonzeroBitCount))"
    }
}
