/// The small part of YAML that recipes use, read by hand: Engine does not depend on
/// Yams (TutorCore's reader over it is internal to TutorCore), and a recipe is a
/// fixed, small shape.
///
/// Read: block mappings and sequences by indentation (a sequence may sit at its
/// key's indentation), `- key: value` items, plain, `"double"` (with `\n`, `\t`,
/// `\"`, `\\`, `\uXXXX` escapes) and `'single'` quoted scalars, one-line flow lists
/// `["a", "b"]`, literal `|` and folded `>` block scalars with `-`/`+` chomping, and
/// `#` comments. Anything else is an error naming its line.
indirect enum RecipeYAML {
    case scalar(String, line: Int)
    case list([RecipeYAML], line: Int)
    case map([(key: String, value: RecipeYAML)], line: Int)

    var line: Int {
        switch self {
        case .scalar(_, let line), .list(_, let line), .map(_, let line): line
        }
    }

    static func parse(_ text: String, file: String) throws -> RecipeYAML {
        var parser = Parser(text: text, file: file)
        return try parser.document()
    }

    private struct Parser {
        var lines: [String]
        let file: String
        var cursor = 0
        /// Past the first content line: a `---` from here on is not a document start.
        var started = false

        init(text: String, file: String) {
            lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
            self.file = file
        }

        func fail(_ line: Int, _ message: String) -> ImageError {
            ImageError(.invalidRecipe, "\(file):\(line + 1)", message)
        }

        static func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }
        static func content(_ line: String) -> Substring { line.drop { $0 == " " } }

        /// The next line that is not blank, a comment or `---`; the cursor moves to it.
        mutating func significant() throws -> Int? {
            while cursor < lines.count {
                let text = Self.content(lines[cursor])
                if text.hasPrefix("\t") { throw fail(cursor, "a tab in the indentation; indent with spaces") }
                if text.isEmpty || text.hasPrefix("#") || (!started && text == "---") {
                    cursor += 1
                    continue
                }
                return cursor
            }
            return nil
        }

        mutating func document() throws -> RecipeYAML {
            guard let first = try significant() else { throw fail(0, "the recipe is empty") }
            started = true
            let node = try block(indent: Self.indent(lines[first]))
            if let extra = try significant() { throw fail(extra, "unexpected indentation") }
            return node
        }

        mutating func block(indent: Int) throws -> RecipeYAML {
            let text = Self.content(lines[cursor])
            return text == "-" || text.hasPrefix("- ") ? try sequence(indent: indent) : try mapping(indent: indent)
        }

        mutating func mapping(indent: Int) throws -> RecipeYAML {
            let start = cursor
            var entries: [(key: String, value: RecipeYAML)] = []
            while let index = try significant(), Self.indent(lines[index]) >= indent {
                let text = Self.content(lines[index])
                guard Self.indent(lines[index]) == indent else { throw fail(index, "unexpected indentation") }
                if text == "-" || text.hasPrefix("- ") { break }
                guard let colon = text.firstIndex(of: ":"), Self.isKey(text[..<colon]),
                    text.index(after: colon) == text.endIndex || text[text.index(after: colon)] == " "
                else { throw fail(index, "expected `key: value`") }
                let key = String(text[..<colon])
                if entries.contains(where: { $0.key == key }) { throw fail(index, "'\(key)' appears twice") }
                cursor += 1
                entries.append((key, try value(String(text[text.index(after: colon)...]), parentIndent: indent, line: index)))
            }
            return .map(entries, line: start)
        }

        mutating func sequence(indent: Int) throws -> RecipeYAML {
            let start = cursor
            var items: [RecipeYAML] = []
            while let index = try significant(), Self.indent(lines[index]) == indent {
                let text = Self.content(lines[index])
                guard text == "-" || text.hasPrefix("- ") else { break }
                let item = text.dropFirst().drop { $0 == " " }
                let itemIndent = indent + (text.count - item.count)
                if let colon = item.firstIndex(of: ":"), Self.isKey(item[..<colon]),
                    item.index(after: colon) == item.endIndex || item[item.index(after: colon)] == " "
                {
                    // `- key: value`: the item is a mapping starting on this line, at the key's column.
                    lines[index] = String(repeating: " ", count: itemIndent) + item
                    items.append(try mapping(indent: itemIndent))
                } else {
                    cursor += 1
                    items.append(try value(String(item), parentIndent: indent, line: index))
                }
            }
            return .list(items, line: start)
        }

        /// The value after `key:` or `- `: inline, a block scalar, or a nested block.
        mutating func value(_ rest: String, parentIndent: Int, line: Int) throws -> RecipeYAML {
            let text = rest.drop { $0 == " " }
            if text.isEmpty || text.hasPrefix("#") {
                guard let next = try significant() else { return .scalar("", line: line) }
                let nextIndent = Self.indent(lines[next])
                let nextText = Self.content(lines[next])
                if nextIndent > parentIndent { return try block(indent: nextIndent) }
                if nextIndent == parentIndent && (nextText == "-" || nextText.hasPrefix("- ")) { return try sequence(indent: nextIndent) }
                return .scalar("", line: line)
            }
            if text.hasPrefix("|") || text.hasPrefix(">") { return try blockScalar(String(text), parentIndent: parentIndent, line: line) }
            if text.hasPrefix("[") { return try flowList(String(text), line: line) }
            if text.hasPrefix("{") { throw fail(line, "{ } mappings are not supported here; write the keys on their own lines") }
            var scanner = ScalarScanner(characters: Array(text), line: line, file: file)
            let scalar = try scanner.scalar(stoppingAt: [])
            try scanner.expectEnd()
            return .scalar(scalar, line: line)
        }

        mutating func blockScalar(_ header: String, parentIndent: Int, line: Int) throws -> RecipeYAML {
            let folded = header.hasPrefix(">")
            let indicator = header.dropFirst().prefix { $0 != " " && $0 != "#" }
            guard indicator.isEmpty || indicator == "-" || indicator == "+" else {
                throw fail(line, "block scalar header '\(header)': only |, |-, |+, >, >- and >+ are supported")
            }
            var body: [String] = []
            var contentIndent: Int?
            while cursor < lines.count {
                let raw = lines[cursor]
                let blank = raw.allSatisfy { $0 == " " }
                if !blank {
                    let indent = Self.indent(raw)
                    if contentIndent == nil { contentIndent = indent }
                    guard indent > parentIndent, let contentIndent, indent >= contentIndent else { break }
                }
                body.append(blank ? "" : String(raw.dropFirst(contentIndent ?? 0)))
                cursor += 1
            }
            var trailing = 0
            while let last = body.last, last.isEmpty {
                body.removeLast()
                trailing += 1
            }
            var text = folded ? Self.fold(body) : body.joined(separator: "\n")
            if indicator == "+" {
                text += String(repeating: "\n", count: body.isEmpty ? trailing : trailing + 1)
            } else if indicator.isEmpty && !body.isEmpty {
                text += "\n"
            }
            return .scalar(text, line: line)
        }

        /// Folded style: lines of one paragraph joined by spaces, a blank line a newline.
        static func fold(_ lines: [String]) -> String {
            var text = ""
            for (index, line) in lines.enumerated() {
                if index > 0 { text += line.isEmpty || lines[index - 1].isEmpty ? "\n" : " " }
                text += line
            }
            return text
        }

        mutating func flowList(_ text: String, line: Int) throws -> RecipeYAML {
            var scanner = ScalarScanner(characters: Array(text.dropFirst()), line: line, file: file)
            var items: [RecipeYAML] = []
            scanner.skipSpaces()
            if scanner.peek == "]" {
                scanner.index += 1
            } else {
                while true {
                    items.append(.scalar(try scanner.scalar(stoppingAt: [",", "]"]), line: line))
                    scanner.skipSpaces()
                    guard let separator = scanner.peek else { throw fail(line, "a [ list must close with ] on the same line") }
                    scanner.index += 1
                    if separator == "]" { break }
                }
            }
            try scanner.expectEnd()
            return .list(items, line: line)
        }

        static func isKey(_ text: Substring) -> Bool {
            guard let first = text.first, first.isLetter || first == "_" else { return false }
            return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        }
    }
}
