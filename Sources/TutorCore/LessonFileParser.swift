import Yams

/// The YAML header of a lesson file.
struct FrontMatter: Equatable {
    var id: String
    var idLine: Int
    var demos: [(id: String, line: Int)]
    var minutes: Int?

    static func == (lhs: FrontMatter, rhs: FrontMatter) -> Bool {
        lhs.id == rhs.id && lhs.demos.map(\.id) == rhs.demos.map(\.id) && lhs.minutes == rhs.minutes
    }
}

/// Parses one `lesson.LANG.md`: front matter between `---` lines, then Markdown.
enum LessonFileParser {
    struct Parsed {
        var frontMatter: FrontMatter
        var text: LessonText
        /// `:::demo` directives and their lines.
        var demoLines: [(Int, String)]
    }

    static func parse(_ source: String, file: String) -> (Parsed?, [Diagnostic]) {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first?.trimmingSpaces == "---" else {
            return (
                nil,
                [
                    Diagnostic(
                        file: file, line: 1,
                        message: "a lesson file must start with '---' and a front matter block (id, title, summary, objectives, demos)")
                ]
            )
        }
        guard let close = lines.indices.dropFirst().first(where: { lines[$0].trimmingSpaces == "---" }) else {
            return (nil, [Diagnostic(file: file, line: 1, message: "front matter opened on line 1 is never closed with '---'")])
        }
        var reader = YAMLReader(file: file, lineOffset: 1)
        let yaml = lines[1..<close].joined(separator: "\n")
        guard let root = reader.compose(yaml) else { return (nil, reader.diagnostics) }
        guard case .mapping = root else {
            reader.report(root, "front matter must be key: value lines")
            return (nil, reader.diagnostics)
        }
        let id = reader.string(root, "id")
        if let id, !id.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }) {
            reader.report(root["id"], "id '\(id)' must use lowercase letters, digits and dashes")
        }
        let title = reader.string(root, "title")
        let summary = reader.string(root, "summary", required: false) ?? ""
        let objectives = reader.strings(root, "objectives") ?? []
        var demos: [(id: String, line: Int)] = []
        if let node = root["demos"] {
            if case .sequence(let items) = node {
                for item in items {
                    if let text = item.string {
                        demos.append((text, (item.mark?.line ?? 1) + 1))
                    } else {
                        reader.report(item, "demo ids must be text")
                    }
                }
            } else {
                reader.report(node, "'demos' must be a list, like [uts]")
            }
        }
        var minutes: Int?
        if let node = root["minutes"] {
            if let value = node.int, value > 0 { minutes = value } else { reader.report(node, "'minutes' must be a positive number") }
        }
        let known: Set<String> = ["id", "title", "summary", "objectives", "demos", "minutes"]
        if case .mapping(let mapping) = root {
            for key in mapping.keys where !known.contains(key.string ?? "") {
                reader.report(key, "unknown front matter key '\(key.string ?? "?")'", .warning)
            }
        }

        let body = Array(lines[(close + 1)...])
        let (blocks, markdownDiagnostics) = MarkdownParser(file: file).parse(body, firstLine: close + 2)
        var demoLines: [(Int, String)] = []
        for (offset, line) in body.enumerated() {
            let trimmed = line.trimmingSpaces
            if trimmed.hasPrefix(":::demo ") { demoLines.append((close + 2 + offset, String(trimmed.dropFirst(8)).trimmingSpaces)) }
        }
        let diagnostics = reader.diagnostics + markdownDiagnostics
        guard let id, let title else { return (nil, diagnostics) }
        let matter = FrontMatter(id: id, idLine: (root["id"]?.mark?.line ?? 1) + 1, demos: demos, minutes: minutes)
        let text = LessonText(title: title, summary: summary, objectives: objectives, blocks: blocks)
        return (Parsed(frontMatter: matter, text: text, demoLines: demoLines), diagnostics)
    }
}
