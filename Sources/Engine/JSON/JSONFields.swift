/// A member that has the wrong shape for the record reading it: where, and what is wrong.
public struct JSONShapeError: Error, Equatable, CustomStringConvertible {
    /// `process.args[0]`; empty for the document itself.
    public var path: String
    /// `is missing`, `expected a string, found a number`.
    public var problem: String

    public var description: String { path.isEmpty ? problem : (problem.hasPrefix("is ") ? "\(path) \(problem)" : "\(path): \(problem)") }
}

/// The members of one JSON object, read by a record that knows its fields: a required
/// field that is absent is an error naming its path; an optional one that is absent or
/// `null` is `nil`; a member of the wrong type is an error, never skipped; members no
/// field names are left alone (as `JSONDecoder` leaves them).
public struct JSONFields {
    public let path: String
    private let members: [JSONMember]

    /// `value` must be an object.
    public init(_ value: JSONValue, path: String = "") throws(JSONShapeError) {
        guard case .object(let members) = value else { throw JSONShapeError(path: path, problem: "expected an object, found \(value.kind)") }
        self.path = path
        self.members = members
    }

    private func at(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The member, `nil` when it is absent or `null`.
    public func value(_ key: String) -> JSONValue? {
        guard let value = members.last(where: { $0.key == key })?.value, value != .null else { return nil }
        return value
    }

    private func required(_ key: String) throws(JSONShapeError) -> JSONValue {
        guard let value = value(key) else { throw JSONShapeError(path: at(key), problem: "is missing") }
        return value
    }

    // MARK: Strings and booleans

    public func string(_ key: String) throws(JSONShapeError) -> String {
        try Self.string(required(key), at: at(key))
    }

    public func optionalString(_ key: String) throws(JSONShapeError) -> String? {
        try value(key).map { value throws(JSONShapeError) in try Self.string(value, at: at(key)) }
    }

    public func optionalBool(_ key: String) throws(JSONShapeError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else { throw JSONShapeError(path: at(key), problem: "expected a boolean, found \(value.kind)") }
        return flag
    }

    public func bool(_ key: String) throws(JSONShapeError) -> Bool {
        guard let flag = try optionalBool(key) else { throw JSONShapeError(path: at(key), problem: "is missing") }
        return flag
    }

    public func strings(_ key: String) throws(JSONShapeError) -> [String] {
        try elements(required(key), at: at(key)).enumerated().map { (offset, element) throws(JSONShapeError) in
            try Self.string(element, at: at(key) + "[\(offset)]")
        }
    }

    public func optionalStrings(_ key: String) throws(JSONShapeError) -> [String]? {
        value(key) == nil ? nil : try strings(key)
    }

    /// An object of strings (`annotations`).
    public func optionalStringMap(_ key: String) throws(JSONShapeError) -> [String: String]? {
        guard let value = value(key) else { return nil }
        guard case .object(let members) = value else { throw JSONShapeError(path: at(key), problem: "expected an object, found \(value.kind)") }
        var map: [String: String] = [:]
        for member in members { map[member.key] = try Self.string(member.value, at: at(key) + "." + member.key) }
        return map
    }

    private static func string(_ value: JSONValue, at path: String) throws(JSONShapeError) -> String {
        guard case .string(let text) = value else { throw JSONShapeError(path: path, problem: "expected a string, found \(value.kind)") }
        return text
    }

    private func elements(_ value: JSONValue, at path: String) throws(JSONShapeError) -> [JSONValue] {
        guard case .array(let elements) = value else { throw JSONShapeError(path: path, problem: "expected an array, found \(value.kind)") }
        return elements
    }

    // MARK: Integers (exact: a number that is not a whole one in range is an error)

    public func int64(_ key: String) throws(JSONShapeError) -> Int64 { try Self.integer(required(key), Int64.self, at: at(key)) }
    public func uint64(_ key: String) throws(JSONShapeError) -> UInt64 { try Self.integer(required(key), UInt64.self, at: at(key)) }
    public func int32(_ key: String) throws(JSONShapeError) -> Int32 { try Self.integer(required(key), Int32.self, at: at(key)) }
    public func uint32(_ key: String) throws(JSONShapeError) -> UInt32 { try Self.integer(required(key), UInt32.self, at: at(key)) }

    public func optionalInt64(_ key: String) throws(JSONShapeError) -> Int64? {
        try value(key).map { value throws(JSONShapeError) in try Self.integer(value, Int64.self, at: at(key)) }
    }

    public func optionalUInt64(_ key: String) throws(JSONShapeError) -> UInt64? {
        try value(key).map { value throws(JSONShapeError) in try Self.integer(value, UInt64.self, at: at(key)) }
    }

    public func optionalInt32(_ key: String) throws(JSONShapeError) -> Int32? {
        try value(key).map { value throws(JSONShapeError) in try Self.integer(value, Int32.self, at: at(key)) }
    }

    public func optionalUInt32s(_ key: String) throws(JSONShapeError) -> [UInt32]? {
        guard let value = value(key) else { return nil }
        return try elements(value, at: at(key)).enumerated().map { (offset, element) throws(JSONShapeError) in
            try Self.integer(element, UInt32.self, at: at(key) + "[\(offset)]")
        }
    }

    private static func integer<Integer: FixedWidthInteger>(_ value: JSONValue, _: Integer.Type, at path: String) throws(JSONShapeError) -> Integer {
        guard case .number(let text) = value else { throw JSONShapeError(path: path, problem: "expected a number, found \(value.kind)") }
        if let exact = Integer(text) { return exact }
        // 1e3 or 4096.0: whole, and in range, is the same number.
        if let real = Double(text), real.rounded() == real, let exact = Integer(exactly: real) { return exact }
        throw JSONShapeError(path: path, problem: "\(text) is not a whole number from \(Integer.min) to \(Integer.max)")
    }

    // MARK: Nested objects

    public func object(_ key: String) throws(JSONShapeError) -> JSONFields {
        try JSONFields(required(key), path: at(key))
    }

    public func optionalObject(_ key: String) throws(JSONShapeError) -> JSONFields? {
        try value(key).map { value throws(JSONShapeError) in try JSONFields(value, path: at(key)) }
    }

    public func objects(_ key: String) throws(JSONShapeError) -> [JSONFields] {
        try elements(required(key), at: at(key)).enumerated().map { (offset, element) throws(JSONShapeError) in
            try JSONFields(element, path: at(key) + "[\(offset)]")
        }
    }

    public func optionalObjects(_ key: String) throws(JSONShapeError) -> [JSONFields]? {
        value(key) == nil ? nil : try objects(key)
    }
}

extension JSONValue {
    public static func strings(_ list: [String]) -> JSONValue { .array(list.map { .string($0) }) }

    public static func stringMap(_ map: [String: String]) -> JSONValue {
        .object(map.map { JSONMember(key: $0.key, value: .string($0.value)) })
    }
}

/// A record kept in a file the runtime or the shim reads back, as plain JSON.
public protocol PlainJSONRecord {
    init(json: JSONValue) throws(JSONShapeError)
    var json: JSONValue { get }
}

extension PlainJSONRecord {
    /// From a document's bytes: a syntax or shape error, said in one line.
    public init(jsonBytes bytes: [UInt8]) throws(JSONRecordError) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw .syntax(error)
        }
        do {
            try self.init(json: value)
        } catch {
            throw .shape(error)
        }
    }
}

/// Why a document is not the record asked for.
public enum JSONRecordError: Error, Equatable, CustomStringConvertible {
    case syntax(JSONSyntaxError)
    case shape(JSONShapeError)

    public var description: String {
        switch self {
        case .syntax(let error): "not valid JSON at \(error)"
        case .shape(let error): error.description
        }
    }
}
