/// Reads the plain front matter lessons are written in without a YAML parser:
/// `key: text`, `key: "text"`, `key: [a, b]`, and `key:` followed by `- item`
/// lines, with blank and comment lines between. Anything else (a comment after a
/// value, escapes, block scalars, anchors, nested mappings, a text continued on
/// the next line, a repeated key) makes it give up with nil, and Yams reads the
/// file instead. For what it accepts it gives the same fields as Yams (tested), at
/// a fraction of the cost, which keeps start-up flat in the number of lessons.
///
/// It works on UTF-8 bytes: every character YAML gives a meaning to is ASCII, and
/// walking Characters (grapheme clusters) through Korean text costs more than
/// the rest of reading a lesson's header.
enum SimpleFrontMatter {
    private typealias Bytes = ArraySlice<UInt8>

    static func read(_ yaml: Substring) -> FrontMatterFields? {
        // Control characters are for Yams to report (YAML forbids most); 0xC2 starts the C1 ones.
        guard !yaml.utf8.contains(where: { ($0 < 0x20 && $0 != newline) || $0 == 0x7F || $0 == 0xC2 }) else { return nil }
        let lines = Array(yaml.utf8).split(separator: newline, omittingEmptySubsequences: false)
        var fields: [FrontMatterFields.Field] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            if skippable(line) { continue }
            guard let colon = line.firstIndex(of: ascii(":")), let key = keyName(line[..<colon]) else { return nil }
            let rest = line[(colon + 1)...]
            guard rest.isEmpty || rest.first == space else { return nil }
            let lineNumber = index
            let value: FrontMatterFields.Value
            let text = trimmed(rest)
            if text.isEmpty {
                var items: [FrontMatterFields.ListItem] = []
                var indent: Int?
                while index < lines.count {
                    let candidate = lines[index]
                    if skippable(candidate) {
                        index += 1
                        continue
                    }
                    let spaces = candidate.prefix { $0 == space }.count
                    let body = candidate.dropFirst(spaces)
                    guard body.starts(with: [ascii("-"), space]), indent == nil || indent == spaces,
                        let item = scalar(body.dropFirst(2), inFlow: false)
                    else { break }
                    indent = spaces
                    items.append(FrontMatterFields.ListItem(text: item.text, line: index + 1))
                    index += 1
                }
                guard let first = items.first else { return nil }
                value = .list(items, line: first.line)
            } else if text.first == ascii("[") {
                guard text.last == ascii("]") else { return nil }
                let inner = text.dropFirst().dropLast()
                var items: [FrontMatterFields.ListItem] = []
                if !inner.allSatisfy({ $0 == space }) {
                    for part in inner.split(separator: ascii(","), omittingEmptySubsequences: false) {
                        guard let item = scalar(trimmed(part), inFlow: true) else { return nil }
                        items.append(FrontMatterFields.ListItem(text: item.text, line: lineNumber))
                    }
                }
                value = .list(items, line: lineNumber)
            } else {
                guard let item = scalar(text, inFlow: false) else { return nil }
                value = .text(item.text, line: lineNumber, quoted: item.quoted)
            }
            // A text or list may not go on in an indented line, and a key comes once.
            if index < lines.count, !skippable(lines[index]), lines[index].first == space { return nil }
            guard !fields.contains(where: { $0.key == key }) else { return nil }
            fields.append(FrontMatterFields.Field(key: key, keyLine: lineNumber, value: value))
        }
        guard let first = fields.first else { return nil }
        return FrontMatterFields(line: first.keyLine, fields: fields)
    }

    private static let newline = ascii("\n")
    private static let space = ascii(" ")

    private static func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(character.value) }

    /// A blank line, or a comment.
    private static func skippable(_ line: Bytes) -> Bool {
        let content = line.drop { $0 == space }
        return content.isEmpty || content.first == ascii("#")
    }

    private static func trimmed(_ text: Bytes) -> Bytes {
        var text = text.drop { $0 == space }
        while text.last == space { text = text.dropLast() }
        return text
    }

    /// A key at the start of the line: letters, digits, `_` and `-`.
    private static func keyName(_ text: Bytes) -> String? {
        func letter(_ byte: UInt8) -> Bool { (ascii("a")...ascii("z")).contains(byte) || (ascii("A")...ascii("Z")).contains(byte) }
        guard let first = text.first, letter(first),
            text.allSatisfy({ letter($0) || (ascii("0")...ascii("9")).contains($0) || $0 == ascii("_") || $0 == ascii("-") })
        else { return nil }
        return String(decoding: text, as: UTF8.self)
    }

    /// A plain text, or one in quotes with no escapes; nil for anything YAML would
    /// read differently from its letters.
    private static func scalar(_ text: Bytes, inFlow: Bool) -> (text: String, quoted: Bool)? {
        guard let first = text.first, !text.contains(ascii("\t")) else { return nil }
        if first == ascii("\"") || first == ascii("'") {
            let inner = text.dropFirst().dropLast()
            guard text.count >= 2, text.last == first, !inner.contains(first), !inner.contains(ascii("\\")) else { return nil }
            return (String(decoding: inner, as: UTF8.self), true)
        }
        let indicators = Array("-?:,[]{}#&*!|>%@`".utf8)
        guard !indicators.contains(first), text.last != ascii(":"), !contains(text, ascii(":"), space), !contains(text, space, ascii("#"))
        else { return nil }
        if inFlow, text.contains(where: { Array(",[]{}".utf8).contains($0) }) { return nil }
        return (String(decoding: text, as: UTF8.self), false)
    }

    /// Whether `first` is followed by `second` somewhere.
    private static func contains(_ text: Bytes, _ first: UInt8, _ second: UInt8) -> Bool {
        zip(text, text.dropFirst()).contains { $0 == first && $1 == second }
    }
}
