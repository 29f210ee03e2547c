#if os(Linux)
import Glibc
#endif

/// The line protocol of the hidden network programs: one record per line on standard
/// output, tab-separated fields, the first naming the record (`done`, `link`, `error`).
enum ChildLine {
    /// The fields of each line of `text`.
    static func records(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    #if os(Linux)
    /// Writes one line with `write(2)` at once: no stdio buffer to lose if the program is killed.
    static func write(_ fields: [String]) {
        let line = Array((fields.joined(separator: "\t") + "\n").utf8)
        var rest = line[...]
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            rest = rest.dropFirst(written)
        }
    }
    #endif
}
