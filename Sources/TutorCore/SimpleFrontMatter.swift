/// Reads the plain front matter lessons are written in without a YAML parser:
/// `key: text`, `key: "text"`, `key: [a, b]`, and `key:` followed by `- item`
/// lines, with blank and comment lines between. Anything else (a comment after a
/// value, escapes, block scalars, anchors, nested mappings, a text continued on
/// the next line, a repeated key) makes it give up with nil, and Yams reads the
/// file instead. For what it accepts it gives the same fields as Yams (tested), at
/// a fraction of the cost, which is what keeps start-up flat in the number of
/// lessons.
enum SimpleFrontMatter {
    static func read(_ yaml: Substring) -> FrontMatterFields? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        var fields: [FrontMatterFields.Field] = []
        var index = 0
        func skippable(_ line: Substring) -> Bool {
            let content = line.drop { $0 == " " }
            return content.isEmpty || content.first == "#"
        }
        while index < lines.count {
            let line = lines[index]
            index += 1
            if skippable(line) { continue }
            guard let colon = line.firstIndex(of: ":"), let key = keyName(line[..<colon]) else { return nil }
            let rest = line[line.index(after: colon)...]
            guard rest.isEmpty || rest.first == " " else { return nil }
            let lineNumber = index
            let value: FrontMatterFields.Value
            let text = rest.trimmingPlainSpaces
            if text.isEmpty {
                var items: [FrontMatterFields.ListItem] = []
                var indent: Int?
                while index < lines.count {
                    let candidate = lines[index]
                    if skippable(candidate) {
                        index += 1
                        continue
                    }
                    let spaces = candidate.prefix { $0 == " " }.count
                    let body = candidate.dropFirst(spaces)
                    guard body.hasPrefix("- "), indent == nil || indent == spaces, let item = scalar(body.dropFirst(2), inFlow: false)
                    else { break }
                    indent = spaces
                    items.append(FrontMatterFields.ListItem(text: item.text, line: index + 1))
                    index += 1
                }
                guard let first = items.first else { return nil }
                value = .list(items, line: first.line)
            } else if text.first == "[" {
                guard text.last == "]" else { return nil }
                let inner = text.dropFirst().dropLast()
                var items: [FrontMatterFields.ListItem] = []
                if !inner.allSatisfy({ $0 == " " }) {
                    for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
                        guard let item = scalar(part.trimmingPlainSpaces, inFlow: true) else { return nil }
                        items.append(FrontMatterFields.ListItem(text: item.text, line: lineNumber))
                    }
                }
                value = .list(items, line: lineNumber)
            } else {
                guard let item = scalar(text, inFlow: false) else { return nil }
                value = .text(item.text, line: lineNumber, quoted: item.quoted)
            }
            // A text or list may not go on in an indented line, and a key comes once.
            if index < lines.count, !skippable(lines[index]), lines[index].first == " " { return nil }
            guard !fields.contains(where: { $0.key == key }) else { return nil }
            fields.append(FrontMatterFields.Field(key: key, keyLine: lineNumber, value: value))
        }
        guard let first = fields.first else { return nil }
        return FrontMatterFields(line: first.keyLine, fields: fields)
    }

    /// A key at the start of the line: letters, digits, `_` and `-`.
    private static func keyName(_ text: Substring) -> String? {
        guard let first = text.first, first.isASCII, first.isLetter,
            text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { return nil }
        return String(text)
    }

    /// A plain text, or one in quotes with no escapes; nil for anything YAML would
    /// read differently from its letters.
    private static func scalar(_ text: Substring, inFlow: Bool) -> (text: String, quoted: Bool)? {
        guard let first = text.first, !text.contains("\t" as Character) else { return nil }
        if first == "\"" || first == "'" {
            let inner = text.dropFirst().dropLast()
            guard text.count >= 2, text.last == first, !inner.contains(first), !inner.contains("\\" as Character) else {
                return nil
            }
            return (String(inner), true)
        }
        let indicators: Set<Character> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "%", "@", "`"]
        guard !indicators.contains(first), !text.contains(pair: ":", " "), !text.contains(pair: " ", "#"), text.last != ":" else { return nil }
        if inFlow, text.contains(where: { ",[]{}".contains($0) }) { return nil }
        return (String(text), false)
    }
}

extension Substring {
    /// Whether `first` is followed by `second` somewhere. (Foundation's
    /// `contains(_: String)` goes through NSString and CoreFoundation's tables.)
    fileprivate func contains(pair first: Character, _ second: Character) -> Bool {
        zip(self, dropFirst()).contains { $0 == first && $1 == second }
    }

    /// Without the spaces at either end (tabs are kept, for the caller to refuse).
    fileprivate var trimmingPlainSpaces: Substring {
        var text = drop { $0 == " " }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
