import Yams

/// The YAML header of a lesson file.
struct FrontMatter: Equatable {
    var id: String
    var idLine: Int
    var overview: LessonOverview
    var demos: [(id: String, line: Int)]
    var minutes: Int?

    static func == (lhs: FrontMatter, rhs: FrontMatter) -> Bool {
        lhs.id == rhs.id && lhs.overview == rhs.overview && lhs.demos.map(\.id) == rhs.demos.map(\.id) && lhs.minutes == rhs.minutes
    }
}

/// Parses one `lesson.LANG.md`: front matter between `---` lines, then Markdown.
/// The front matter can be read alone, which is what start-up does for the menu;
/// the body is parsed only when the lesson is opened (or linted).
enum LessonFileParser {
    /// The front matter, and where the body starts.
    struct Header {
        var frontMatter: FrontMatter?
        var diagnostics: [Diagnostic]
        /// The source after the closing `---` line, and its 1-based line number.
        var body: Substring
        var bodyFirstLine: Int
    }

    struct Parsed {
        var frontMatter: FrontMatter
        var text: LessonText
        /// `:::demo` directives and their lines.
        var demoLines: [(Int, String)]
    }

    /// Reads only the front matter: the lines up to the closing `---` are looked
    /// at, the rest of the file is not split or parsed.
    static func header(_ source: String, file: String) -> Header {
        var lines = LineScanner(source)
        guard let first = lines.next(), first.trimmingSpaces == "---" else {
            let message = "a lesson file must start with '---' and a front matter block (id, title, summary, objectives, demos)"
            return Header(frontMatter: nil, diagnostics: [Diagnostic(file: file, line: 1, message: message)], body: "", bodyFirstLine: 1)
        }
        let yamlStart = lines.position
        var yamlEnd = yamlStart
        var closed = false
        while let line = lines.next() {
            if line.trimmingSpaces == "---" {
                closed = true
                break
            }
            yamlEnd = lines.position
        }
        guard closed else {
            let message = "front matter opened on line 1 is never closed with '---'"
            return Header(frontMatter: nil, diagnostics: [Diagnostic(file: file, line: 1, message: message)], body: "", bodyFirstLine: 1)
        }
        let body = source[lines.position...]
        let bodyFirstLine = lines.lineNumber
        var reader = YAMLReader(file: file, lineOffset: 1)
        guard let root = reader.compose(String(source[yamlStart..<yamlEnd])) else {
            return Header(frontMatter: nil, diagnostics: reader.diagnostics, body: body, bodyFirstLine: bodyFirstLine)
        }
        let matter = frontMatter(root, &reader)
        return Header(frontMatter: matter, diagnostics: reader.diagnostics, body: body, bodyFirstLine: bodyFirstLine)
    }

    private static func frontMatter(_ root: Node, _ reader: inout YAMLReader) -> FrontMatter? {
        guard case .mapping(let mapping) = root else {
            reader.report(root, "front matter must be key: value lines")
            return nil
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
        for key in mapping.keys where !known.contains(key.string ?? "") {
            reader.report(key, "unknown front matter key '\(key.string ?? "?")'", .warning)
        }
        guard let id, let title else { return nil }
        return FrontMatter(
            id: id, idLine: (root["id"]?.mark?.line ?? 1) + 1,
            overview: LessonOverview(title: title, summary: summary, objectives: objectives), demos: demos, minutes: minutes)
    }

    /// Reads the whole file: front matter and Markdown body.
    static func parse(_ source: String, file: String) -> (Parsed?, [Diagnostic]) {
        let header = header(source, file: file)
        guard header.bodyFirstLine > 1 else { return (nil, header.diagnostics) }
        let body = header.body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let (blocks, markdownDiagnostics) = MarkdownParser(file: file).parse(body, firstLine: header.bodyFirstLine)
        var demoLines: [(Int, String)] = []
        for (offset, line) in body.enumerated() {
            let trimmed = line.trimmingSpaces
            if trimmed.hasPrefix(":::demo ") { demoLines.append((header.bodyFirstLine + offset, String(trimmed.dropFirst(8)).trimmingSpaces)) }
        }
        let diagnostics = header.diagnostics + markdownDiagnostics
        guard let matter = header.frontMatter else { return (nil, diagnostics) }
        let overview = matter.overview
        let text = LessonText(title: overview.title, summary: overview.summary, objectives: overview.objectives, blocks: blocks)
        return (Parsed(frontMatter: matter, text: text, demoLines: demoLines), diagnostics)
    }
}

/// Walks a string line by line without splitting the whole of it.
private struct LineScanner {
    let source: String
    private(set) var position: String.Index
    /// The 1-based number of the line `next()` returns next.
    private(set) var lineNumber = 1

    init(_ source: String) {
        self.source = source
        position = source.startIndex
    }

    mutating func next() -> Substring? {
        guard position < source.endIndex else { return nil }
        let end = source.utf8[position...].firstIndex(of: UInt8(ascii: "\n")) ?? source.endIndex
        let line = source[position..<end]
        position = end < source.endIndex ? source.index(after: end) : end
        lineNumber += 1
        return line
    }
}

extension Substring {
    var trimmingSpaces: String { String(self).trimmingSpaces }
}
