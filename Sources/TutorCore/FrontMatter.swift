import Yams

/// The YAML header of a lesson file.
struct FrontMatter: Equatable {
    var id: String
    var idLine: Int
    var overview: LessonOverview
    var demos: [(id: String, line: Int)]
    var minutes: Int?
    /// `quiz_pass:`, the percent of quiz questions a learner must get right; nil when not given.
    var quizPass: (percent: Int, line: Int)?

    static func == (lhs: FrontMatter, rhs: FrontMatter) -> Bool {
        lhs.id == rhs.id && lhs.overview == rhs.overview && lhs.demos.map(\.id) == rhs.demos.map(\.id) && lhs.minutes == rhs.minutes
            && lhs.quizPass?.percent == rhs.quizPass?.percent
    }
}

/// A front matter as key–value fields in the few shapes a lesson uses, each with
/// its line (1-based, within the YAML). Read by ``SimpleFrontMatter`` at start-up,
/// or from Yams' nodes; checked the same way either way.
struct FrontMatterFields: Equatable {
    enum Value: Equatable {
        case text(String, line: Int, quoted: Bool)
        /// Items that are not text are nil.
        case list([ListItem], line: Int)
        /// A mapping or anything else no field takes.
        case other(line: Int)

        var line: Int {
            switch self {
            case .text(_, let line, _), .list(_, let line), .other(let line): return line
            }
        }
    }

    struct ListItem: Equatable {
        var text: String?
        var line: Int
    }

    struct Field: Equatable {
        var key: String
        var keyLine: Int
        var value: Value
    }

    var line: Int
    var fields: [Field]

    subscript(key: String) -> Value? { fields.first { $0.key == key }?.value }
}

extension FrontMatterFields {
    /// The fields of a composed YAML document; nil (and a diagnostic) when it is
    /// not a mapping.
    init?(_ root: Node, _ reader: inout YAMLReader) {
        guard case .mapping(let mapping) = root else {
            reader.report(root, "front matter must be key: value lines")
            return nil
        }
        func line(_ node: Node) -> Int { node.mark?.line ?? 1 }
        self.init(
            line: line(root),
            fields: mapping.map { key, value in
                let shape: Value
                switch value {
                case .scalar(let scalar):
                    shape = .text(scalar.string, line: line(value), quoted: scalar.style != .plain && scalar.style != .any)
                case .sequence(let items):
                    shape = .list(items.map { ListItem(text: $0.scalar?.string, line: line($0)) }, line: line(value))
                default:
                    shape = .other(line: line(value))
                }
                return Field(key: key.string ?? "?", keyLine: line(key), value: shape)
            })
    }

    /// Checks the fields and builds the front matter; every problem is reported.
    func frontMatter(_ reader: inout YAMLReader) -> FrontMatter? {
        let id = text("id", &reader)
        if let id, !id.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }) {
            reader.report(line: self["id"]?.line ?? line, "id '\(Diagnostic.quoted(id))' must use lowercase letters, digits and dashes")
        }
        let title = text("title", &reader)
        let summary = text("summary", required: false, &reader) ?? ""
        var objectives: [String] = []
        if let value = self["objectives"] {
            if case .list(let items, _) = value {
                for item in items {
                    if let text = item.text {
                        objectives.append(text)
                    } else {
                        reader.report(line: item.line, "'objectives' entries must be text")
                    }
                }
            } else {
                reader.report(line: value.line, "'objectives' must be a list")
            }
        }
        var demos: [(id: String, line: Int)] = []
        if let value = self["demos"] {
            if case .list(let items, _) = value {
                for item in items {
                    // Demo lines are file lines: one below the YAML's, for the opening '---'.
                    if let text = item.text {
                        demos.append((text, item.line + reader.lineOffset))
                    } else {
                        reader.report(line: item.line, "demo ids must be text")
                    }
                }
            } else {
                reader.report(line: value.line, "'demos' must be a list, like [uts]")
            }
        }
        var minutes: Int?
        if let value = self["minutes"] {
            if case .text(let text, _, false) = value, let number = Self.number(text), number > 0 {
                minutes = number
            } else {
                reader.report(line: value.line, "'minutes' must be a positive number")
            }
        }
        var quizPass: (percent: Int, line: Int)?
        if let value = self["quiz_pass"] {
            if case .text(let text, _, false) = value, let number = Self.number(text), (1...100).contains(number) {
                quizPass = (number, value.line + reader.lineOffset)
            } else {
                reader.report(line: value.line, "'quiz_pass' must be a percent from 1 to 100, like quiz_pass: 70")
            }
        }
        let known: Set<String> = ["id", "title", "summary", "objectives", "demos", "minutes", "quiz_pass"]
        for field in fields where !known.contains(field.key) {
            reader.report(line: field.keyLine, "unknown front matter key '\(Diagnostic.quoted(field.key))'", .warning)
        }
        guard let id, let title else { return nil }
        return FrontMatter(
            id: id, idLine: (self["id"]?.line ?? 1) + reader.lineOffset,
            overview: LessonOverview(title: title, summary: summary, objectives: objectives), demos: demos, minutes: minutes,
            quizPass: quizPass)
    }

    /// A plain number as Yams reads one, so both readers agree: `12` at once, and
    /// Yams' own rules for the rest (`0x10`, `010` in octal, `1_000`).
    private static func number(_ text: String) -> Int? {
        if let first = text.utf8.first, first != UInt8(ascii: "0") || text.utf8.count == 1,
            text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        {
            return Int(text)
        }
        return Int.construct(from: Node.Scalar(text, Tag(.implicit, .basic), .plain))
    }

    /// A non-empty text field, as ``YAMLReader/string(_:_:required:)`` reads one.
    private func text(_ key: String, required: Bool = true, _ reader: inout YAMLReader) -> String? {
        guard let value = self[key] else {
            if required { reader.report(line: line, "missing '\(key)'") }
            return nil
        }
        guard case .text(let text, _, _) = value, !text.isEmpty else {
            reader.report(line: value.line, "'\(key)' must be non-empty text")
            return nil
        }
        return text
    }
}
