/// Parses the lesson Markdown subset: headings (#, ##, ###), paragraphs, one-level
/// bullet and numbered lists, fenced code, pipe tables, `> [!NOTE]` callouts,
/// `:::demo ID` directives, and inline `**bold**`, `` `code` `` and `[text](url)`.
/// Anything outside the subset is reported, never silently dropped.
public struct MarkdownParser {
    public let file: String

    public init(file: String) {
        self.file = file
    }

    /// Parses `lines`; `firstLine` is the 1-based file line number of `lines[0]`.
    public func parse(_ lines: [String], firstLine: Int = 1) -> (blocks: [Block], diagnostics: [Diagnostic]) {
        var blocks: [Block] = []
        var diagnostics: [Diagnostic] = []
        var index = 0

        func lineNumber(_ i: Int) -> Int { firstLine + i }
        func report(_ i: Int, _ message: String, _ severity: Diagnostic.Severity = .error) {
            diagnostics.append(Diagnostic(file: file, line: lineNumber(i), message: message, severity: severity))
        }
        func inlines(_ text: String, _ i: Int) -> Inlines {
            let (runs, problem) = InlineParser.parse(text)
            if let problem { report(i, problem, .warning) }
            return runs
        }

        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty {
                index += 1
                continue
            }
            if trimmed.hasPrefix("```") {
                let language = String(trimmed.dropFirst(3)).trimmingSpaces
                let start = index
                var code: [String] = []
                index += 1
                var closed = false
                while index < lines.count {
                    if lines[index].trimmingSpaces.hasPrefix("```") {
                        closed = true
                        index += 1
                        break
                    }
                    code.append(lines[index])
                    index += 1
                }
                if !closed { report(start, "code block opened here is never closed with ```") }
                blocks.append(.code(language: language, lines: code))
                continue
            }
            if trimmed.hasPrefix(":::") {
                let words = trimmed.dropFirst(3).split(separator: " ").map(String.init)
                if words.count == 2, words[0] == "demo" {
                    blocks.append(.demo(id: words[1]))
                } else {
                    report(index, "unknown directive '\(Diagnostic.quoted(trimmed))'; expected ':::demo ID'")
                }
                index += 1
                continue
            }
            if let level = Self.headingLevel(trimmed) {
                if level > 3 { report(index, "heading level \(level) is not supported; use #, ## or ###", .warning) }
                let text = String(trimmed.drop(while: { $0 == "#" })).trimmingSpaces
                blocks.append(.heading(level: min(level, 3), inlines(text, index)))
                index += 1
                continue
            }
            if trimmed.hasPrefix(">") {
                let start = index
                var quoted: [String] = []
                while index < lines.count, lines[index].trimmingSpaces.hasPrefix(">") {
                    quoted.append(String(lines[index].trimmingSpaces.dropFirst()).trimmingSpaces)
                    index += 1
                }
                var kind = Block.CalloutKind.quote
                if let first = quoted.first, first.hasPrefix("[!"), first.hasSuffix("]") {
                    let name = String(first.dropFirst(2).dropLast()).uppercased()
                    if let known = Block.CalloutKind(rawValue: name), known != .quote {
                        kind = known
                    } else {
                        report(start, "unknown callout [!\(Diagnostic.quoted(name))]; use [!NOTE], [!TIP] or [!WARNING]")
                    }
                    quoted.removeFirst()
                }
                let paragraphs = Self.paragraphs(quoted).map { inlines($0, start) }
                blocks.append(.callout(kind, paragraphs))
                continue
            }
            if trimmed.hasPrefix("|") {
                let start = index
                var rows: [[String]] = []
                var rowLines: [Int] = []
                while index < lines.count, lines[index].trimmingSpaces.hasPrefix("|") {
                    rows.append(Self.tableCells(lines[index].trimmingSpaces))
                    rowLines.append(index)
                    index += 1
                }
                guard rows.count >= 2, rows[1].allSatisfy(Self.isSeparatorCell) else {
                    report(start, "table needs a header row followed by a |---|---| separator row")
                    continue
                }
                let columns = rows[0].count
                var body: [[Inlines]] = []
                for (offset, row) in rows.enumerated().dropFirst(2) {
                    if row.count != columns {
                        report(rowLines[offset], "table row has \(row.count) cells, the header has \(columns)", .warning)
                    }
                    let cells = (0..<columns).map { $0 < row.count ? row[$0] : "" }
                    body.append(cells.map { inlines($0, rowLines[offset]) })
                }
                blocks.append(.table(header: rows[0].map { inlines($0, start) }, rows: body))
                continue
            }
            if let item = Self.listItem(trimmed) {
                // One warning for a list however many of its lines are nested.
                var nestedLine: Int? = line.hasPrefix("  ") ? index : nil
                let ordered = item.number != nil
                var items: [(text: String, line: Int)] = [(item.text, index)]
                index += 1
                while index < lines.count {
                    let next = lines[index]
                    let nextTrimmed = next.trimmingSpaces
                    if nextTrimmed.isEmpty { break }
                    if let nextItem = Self.listItem(nextTrimmed), (nextItem.number != nil) == ordered, !next.hasPrefix("  ") {
                        items.append((nextItem.text, index))
                    } else if next.hasPrefix("  ") {
                        if nestedLine == nil, Self.listItem(nextTrimmed) != nil { nestedLine = index }
                        items[items.count - 1].text += " " + nextTrimmed
                    } else {
                        break
                    }
                    index += 1
                }
                if let nestedLine {
                    report(nestedLine, "nested lists are not supported; keep list items at the left margin", .warning)
                }
                let parsed = items.map { inlines($0.text, $0.line) }
                blocks.append(ordered ? .orderedList(start: item.number ?? 1, parsed) : .bulletList(parsed))
                continue
            }
            var paragraph: [String] = [trimmed]
            let start = index
            index += 1
            while index < lines.count {
                let next = lines[index].trimmingSpaces
                if next.isEmpty || next.hasPrefix("```") || next.hasPrefix("#") || next.hasPrefix(">")
                    || next.hasPrefix("|") || next.hasPrefix(":::") || Self.listItem(next) != nil
                {
                    break
                }
                paragraph.append(next)
                index += 1
            }
            blocks.append(.paragraph(inlines(paragraph.joined(separator: " "), start)))
        }
        return (blocks, diagnostics)
    }

    private static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard hashes > 0 else { return nil }
        let rest = line.dropFirst(hashes)
        return rest.isEmpty || rest.first == " " ? hashes : nil
    }

    private static func listItem(_ line: String) -> (number: Int?, text: String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") {
            return (nil, String(line.dropFirst(2)).trimmingSpaces)
        }
        let digits = line.prefix(while: \.isASCIIDigit)
        if !digits.isEmpty, digits.count <= 3 {
            let rest = line.dropFirst(digits.count)
            if rest.hasPrefix(". ") { return (Int(digits), String(rest.dropFirst(2)).trimmingSpaces) }
        }
        return nil
    }

    private static func tableCells(_ line: String) -> [String] {
        var body = Substring(line)
        if body.hasPrefix("|") { body = body.dropFirst() }
        if body.hasSuffix("|") { body = body.dropLast() }
        var cells: [String] = []
        var current = ""
        var inCode = false
        var previous: Character = " "
        for character in body {
            if character == "`" { inCode.toggle() }
            if character == "|", !inCode, previous != "\\" {
                cells.append(current.trimmingSpaces)
                current = ""
            } else if character == "|", previous == "\\" {
                current.removeLast()
                current.append(character)
            } else {
                current.append(character)
            }
            previous = character
        }
        cells.append(current.trimmingSpaces)
        return cells
    }

    private static func isSeparatorCell(_ cell: String) -> Bool {
        !cell.isEmpty && cell.allSatisfy { $0 == "-" || $0 == ":" } && cell.contains(where: { $0 == "-" })
    }

    private static func paragraphs(_ lines: [String]) -> [String] {
        var result: [String] = []
        var current: [String] = []
        for line in lines {
            if line.isEmpty {
                if !current.isEmpty { result.append(current.joined(separator: " ")) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { result.append(current.joined(separator: " ")) }
        return result
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
