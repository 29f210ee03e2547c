/// A problem found in a lesson, quiz or lab file, reported as `file:line: message`.
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

    public init(file: String, line: Int, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.message = message
        self.severity = severity
    }

    public var description: String {
        severity == .warning ? "\(file):\(line): warning: \(message)" : "\(file):\(line): \(message)"
    }
}
