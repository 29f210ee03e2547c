import Yams

/// Reads YAML into `Yams.Node`s and turns every problem into a `Diagnostic` that
/// points at the right line of the file, even when the YAML sits inside a lesson's
/// front matter (`lineOffset` lines below the top of the file).
///
/// Scalars are composed with Yams' basic resolver, which tags every plain scalar as
/// a string: the default one compiles a dozen regular expressions (through ICU) on
/// first use, which cost more start-up time and memory than reading all the lessons.
/// Numbers are still read by `Node.int`, which parses the text; booleans by `bool`.
/// The encoding is given too: Yams' default one reads the whole environment
/// (for `YAMS_DEFAULT_ENCODING`) on every call.
struct YAMLReader {
    let file: String
    let lineOffset: Int
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, lineOffset: Int = 0) {
        self.file = file
        self.lineOffset = lineOffset
    }

    /// Composes the document; a syntax error becomes a diagnostic and returns nil.
    mutating func compose(_ text: String) -> Node? {
        do {
            guard let node = try Yams.compose(yaml: text, .basic, .default, .utf8) else {
                report(line: 1, "the file is empty")
                return nil
            }
            return node
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                var message = "YAML syntax: \(problem)"
                if let context, context.mark.line != mark.line {
                    message += " (\(context.text) started on line \(context.mark.line + lineOffset))"
                }
                report(line: mark.line, message)
            case .reader(let problem, let offset, let value, _):
                // The offset counts Characters from the start of the text given.
                let line = offset.map { text.prefix($0).reduce(1) { $1 == "\n" ? $0 + 1 : $0 } } ?? 1
                report(line: line, "YAML: \(problem) (character \(Self.codePoint(value)))")
            case .duplicatedKeysInMapping(let duplicates, let context):
                let keys = duplicates.map { "'\(Diagnostic.quoted($0, limit: 40))'" }.joined(separator: ", ")
                report(line: context.mark.line, "YAML: key \(keys) appears more than once in this mapping")
            default:
                report(line: 1, "YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
            }
        } catch {
            report(line: 1, "YAML: \(error)")
        }
        return nil
    }

    /// `U+001B` for the value a YAML reader error names.
    private static func codePoint(_ value: Int32) -> String {
        let hex = String(UInt32(bitPattern: value), radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    mutating func report(line: Int, _ message: String, _ severity: Diagnostic.Severity = .error) {
        diagnostics.append(Diagnostic(file: file, line: line + lineOffset, message: message, severity: severity))
    }

    mutating func report(_ node: Node?, _ message: String, _ severity: Diagnostic.Severity = .error) {
        report(line: node?.mark?.line ?? 1, message, severity)
    }

    /// A required string field of a mapping.
    mutating func string(_ map: Node, _ key: String, required: Bool = true) -> String? {
        guard let value = map[key] else {
            if required { report(map, "missing '\(key)'") }
            return nil
        }
        guard case .scalar = value, let text = value.string, !text.isEmpty else {
            report(value, "'\(key)' must be non-empty text")
            return nil
        }
        return text
    }

    /// A `{ko: ..., en: ...}` field.
    mutating func localized(_ map: Node, _ key: String) -> Localized? {
        guard let value = map[key] else {
            report(map, "missing '\(key)' (needs ko: and en:)")
            return nil
        }
        guard case .mapping = value else {
            report(value, "'\(key)' must have ko: and en: entries")
            return nil
        }
        let ko = string(value, "ko")
        let en = string(value, "en")
        guard let ko, let en else { return nil }
        return Localized(ko: ko, en: en)
    }

    /// A boolean: the YAML 1.1 words Yams' default resolver accepts, in a plain scalar.
    func bool(_ node: Node?) -> Bool? {
        guard let scalar = node?.scalar, scalar.style == .plain || scalar.style == .any else { return nil }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    /// A list of strings (`[a, b]` or `- a` lines).
    mutating func strings(_ map: Node, _ key: String, required: Bool = false) -> [String]? {
        guard let value = map[key] else {
            if required { report(map, "missing '\(key)'") }
            return nil
        }
        guard case .sequence(let items) = value else {
            report(value, "'\(key)' must be a list")
            return nil
        }
        var result: [String] = []
        for item in items {
            if case .scalar = item, let text = item.string { result.append(text) } else { report(item, "'\(key)' entries must be text") }
        }
        return result
    }
}
