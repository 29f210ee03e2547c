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
    /// at, the rest of the file is not split or parsed. `quick` tries
    /// ``SimpleFrontMatter`` before Yams (start-up); otherwise Yams reads it (lint,
    /// opening a lesson), so a problem the quick reader missed still shows.
    static func header(_ source: String, file: String, quick: Bool = false) -> Header {
        let source = SourceFile.text(source)
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
        let yaml = source[yamlStart..<yamlEnd]
        let fields = (quick ? SimpleFrontMatter.read(yaml) : nil) ?? reader.compose(String(yaml)).flatMap { FrontMatterFields($0, &reader) }
        let matter = fields?.frontMatter(&reader)
        return Header(frontMatter: matter, diagnostics: reader.diagnostics, body: body, bodyFirstLine: bodyFirstLine)
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
            if trimmed.hasPrefix(":::demo ") {
                demoLines.append((header.bodyFirstLine + offset, String(trimmed.dropFirst(8)).trimmingSpaces))
            }
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
