/// A JSON document as plain values, read and written without `Codable`.
///
/// The runtime, the shim and their steps each start cold, once per container, and in a
/// fresh process `JSONDecoder` and `JSONEncoder` pay for the Swift runtime's first
/// lookups: every `KeyedDecodingContainer<…CodingKeys>` they instantiate checks a
/// conformance by scanning all of the binary's ~6,600 conformance records, faulting
/// their pages in. `config.json` alone cost ~2.4 ms that way in a runtime `create`,
/// `state.json` ~0.7 ms in the shim (measured on `docker run --rm busybox true`).
/// What they read and write here is a handful of small objects; this reads them in
/// one pass over the bytes and builds nothing generic at run time.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number as written (so a 64-bit integer such as `RLIM_INFINITY` stays exact).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// The members in the order read (a key written twice: the last one counts).
    case object([JSONMember])

    public static func integer(_ value: Int64) -> JSONValue { .number(String(value)) }
    public static func integer(_ value: UInt64) -> JSONValue { .number(String(value)) }

    /// An object of the members given that are not `nil` (written sorted by key).
    public static func fields(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        .object(pairs.compactMap { pair in pair.value.map { JSONMember(key: pair.key, value: $0) } })
    }

    /// The member `key` of an object (`nil`: absent, or this is not an object).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// What a reader is told it found instead of what it wanted.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

public struct JSONMember: Equatable, Sendable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// Where a document stops being JSON.
public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var problem: String

    public var description: String { "line \(line), column \(column): \(problem)" }
}

extension JSONValue {
    /// Parses a whole document (RFC 8259; surrounding white space allowed).
    public init(parsing bytes: [UInt8]) throws(JSONSyntaxError) {
        var parser = JSONParser(bytes: bytes)
        self = try parser.document()
    }

    public init(parsing text: String) throws(JSONSyntaxError) {
        try self.init(parsing: Array(text.utf8))
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var index = 0
    var depth = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func document() throws(JSONSyntaxError) -> JSONValue {
        let value = try self.value()
        skipSpace()
        guard index == bytes.count else { throw failure("unexpected text after the document") }
        return value
    }

    private func failure(_ problem: String) -> JSONSyntaxError {
        var line = 1
        var column = 1
        for byte in bytes[..<min(index, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return JSONSyntaxError(line: line, column: column, problem: problem)
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        skipSpace()
        guard index < bytes.count else { throw failure("the document ends where a value should be") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try word("true", .bool(true))
        case UInt8(ascii: "f"): return try word("false", .bool(false))
        case UInt8(ascii: "n"): return try word("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("a value cannot start with \(shown(bytes[index]))")
        }
    }

    private func shown(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    private mutating func word(_ text: StaticString, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure("expected \(text)") }
        for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] {
            throw failure("expected \(text)")
        }
        index += count
        return value
    }

    /// Steps into an object or array (at its opening bracket); `true` when it is
    /// empty, its closing bracket consumed.
    private mutating func enter(closing: UInt8) throws(JSONSyntaxError) -> Bool {
        depth += 1
        guard depth <= 512 else { throw failure("nested more than 512 deep") }
        index += 1
        skipSpace()
        guard index < bytes.count, bytes[index] == closing else { return false }
        index += 1
        depth -= 1
        return true
    }

    /// After a member or element: `true` at a comma (another follows), `false` at the
    /// closing bracket (consumed).
    private mutating func another(closing: UInt8, in what: String) throws(JSONSyntaxError) -> Bool {
        skipSpace()
        guard index < bytes.count else { throw failure("the document ends inside \(what)") }
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: ",") { return true }
        guard byte == closing else {
            index -= 1
            throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))' in \(what)")
        }
        depth -= 1
        return false
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        var members: [JSONMember] = []
        if try enter(closing: UInt8(ascii: "}")) { return .object(members) }
        repeat {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key in quotes") }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':' after the key \"\(key)\"") }
            index += 1
            members.append(JSONMember(key: key, value: try value()))
        } while try another(closing: UInt8(ascii: "}"), in: "an object")
        return .object(members)
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        var elements: [JSONValue] = []
        if try enter(closing: UInt8(ascii: "]")) { return .array(elements) }
        repeat {
            elements.append(try value())
        } while try another(closing: UInt8(ascii: "]"), in: "an array")
        return .array(elements)
    }

    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        func digits(_ parser: inout JSONParser) -> Int {
            let from = parser.index
            while parser.index < parser.bytes.count, parser.bytes[parser.index] >= UInt8(ascii: "0"), parser.bytes[parser.index] <= UInt8(ascii: "9") {
                parser.index += 1
            }
            return parser.index - from
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let leadingZero = index < bytes.count && bytes[index] == UInt8(ascii: "0")
        let integral = digits(&self)
        guard integral > 0 else { throw failure("a number needs digits") }
        guard !leadingZero || integral == 1 else { throw failure("a number cannot start with 0") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw failure("a number needs digits after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw failure("a number needs digits in its exponent") }
        }
        return .number(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        index += 1
        let start = index
        // Most strings have no escape: taken as they are.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 {
            index += 1
        }
        guard index < bytes.count else { throw failure("the document ends inside a string") }
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return try validated(bytes[start..<index - 1])
        }
        var text = Array(bytes[start..<index])
        while true {
            guard index < bytes.count else { throw failure("the document ends inside a string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return try validated(text[...])
            }
            guard byte >= 0x20 else { throw failure("a control character must be escaped in a string") }
            guard byte == UInt8(ascii: "\\") else {
                text.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { throw failure("the document ends inside an escape") }
            let escaped = bytes[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
            case UInt8(ascii: "b"): text.append(0x08)
            case UInt8(ascii: "f"): text.append(0x0C)
            case UInt8(ascii: "n"): text.append(0x0A)
            case UInt8(ascii: "r"): text.append(0x0D)
            case UInt8(ascii: "t"): text.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw failure("a lone surrogate \\u\(String(scalar, radix: 16)) in a string")
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure("a lone surrogate in a string") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let character = Unicode.Scalar(scalar) else { throw failure("a lone surrogate in a string") }
                text.append(contentsOf: Array(String(Character(character)).utf8))
            default:
                throw failure("\\\(shown(escaped)) is not an escape")
            }
        }
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("\\u needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("\\u needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// The bytes as a string when they are UTF-8 (JSON text is).
    private func validated(_ text: ArraySlice<UInt8>) throws(JSONSyntaxError) -> String {
        guard let string = String(validating: text, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
        return string
    }
}

extension JSONValue {
    /// The document as text: keys sorted, `/` not escaped; `pretty` indents by two
    /// spaces, one member or element per line.
    public func serialized(pretty: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out, pretty: pretty, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private func write(into out: inout [UInt8], pretty: Bool, indent: Int) {
        func newline(_ out: inout [UInt8], _ level: Int) {
            guard pretty else { return }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: level * 2))
        }
        switch self {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let value): out.append(contentsOf: Array((value ? "true" : "false").utf8))
        case .number(let text): out.append(contentsOf: Array(text.utf8))
        case .string(let text): Self.writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent + 1)
                element.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if !elements.isEmpty { newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (position, member) in sorted.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent + 1)
                Self.writeString(member.key, into: &out)
                out.append(contentsOf: pretty ? Array(" : ".utf8) : [UInt8(ascii: ":")])
                member.value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if !members.isEmpty { newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
