/// A problem found in a lesson, quiz or lab file, reported as `file:line: message`.
///
/// Always one printable line: a message or a file name that came from a file
/// (a YAML parser's excerpt, an id with an escape byte, a folder name with a
/// newline) has its control characters escaped (`\x1b`, `\n`), so printing it
/// cannot break the line or drive the terminal, and it is cut to a readable length.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        /// The file cannot be used; the lesson is listed as broken.
        case error
        /// The file renders, but not as its author meant.
        case warning
    }

    public var file: String
    public var line: Int
    public var message: String
    public var severity: Severity

    /// The longest message kept, in characters: longer ones end in `…`.
    public static let maxMessageLength = 300

    public init(file: String, line: Int, message: String, severity: Severity = .error) {
        self.file = Self.printable(file, limit: Self.maxMessageLength)
        self.line = max(1, line)
        self.message = Self.printable(message, limit: Self.maxMessageLength)
        self.severity = severity
    }

    public var description: String {
        severity == .warning ? "\(file):\(line): warning: \(message)" : "\(file):\(line): \(message)"
    }

    /// A piece of a file quoted in a message: escaped and cut short, so a huge or
    /// binary value shows as a readable excerpt.
    public static func quoted(_ text: some StringProtocol, limit: Int = 60) -> String {
        printable(String(text), limit: limit)
    }

    /// `text` on one line of printable characters, at most `limit` characters
    /// (the last one `…` when it was cut).
    static func printable(_ text: String, limit: Int) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            let piece = escape(scalar)
            if count + piece.count > limit - 1 {
                return result + "…"
            }
            result.unicodeScalars.append(contentsOf: piece.unicodeScalars)
            count += piece.count
        }
        return result
    }

    /// A scalar as it may be printed: itself, or an escape for control characters,
    /// line separators and the bidirectional controls that reorder a line on screen.
    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x00..<0x20, 0x7F..<0xA0:
            let hex = String(scalar.value, radix: 16)
            return "\\x" + (hex.count < 2 ? "0" + hex : hex)
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
            return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default:
            return String(scalar)
        }
    }
}
