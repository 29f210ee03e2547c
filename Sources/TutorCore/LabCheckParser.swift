import Yams

/// Reads one checker of a lab step: a mapping with one key, the checker's name,
/// whose value holds its options, e.g. `process: {comm: sleep, new-ns: [pid]}`.
enum LabCheckParser {
    static let options: [String: Set<String>] = [
        "process": ["comm", "new-ns", "ns-pid", "min-threads"],
        "hostname": ["equals"],
        "ns-inodes-noted": ["kind", "file"],
        "file": ["path", "contains", "fact", "max-size", "in-new-mount-ns"],
        "mount": ["fstype", "target"],
        "link": ["name", "in", "min-rx-packets"],
        "address": ["ip", "in"],
        "neighbor": ["ip", "in"],
        "rlimit": ["comm", "resource", "at-most"],
    ]

    static func parse(_ node: Node, reader: inout YAMLReader) -> LabCheck? {
        guard case .mapping(let pairs) = node, pairs.count == 1, let pair = pairs.first, let name = pair.key.string else {
            reader.report(node, "a checker is one of \(LabCheck.names.joined(separator: ", ")) with its options, e.g. 'process: {comm: sleep}'")
            return nil
        }
        guard let allowed = options[name] else {
            reader.report(pair.key, "unknown checker '\(name)'; use \(LabCheck.names.joined(separator: ", "))")
            return nil
        }
        let body = pair.value
        guard case .mapping(let fields) = body else {
            reader.report(body, "'\(name)' takes a mapping of options: \(allowed.sorted().joined(separator: ", "))")
            return nil
        }
        let before = reader.diagnostics.count
        for key in fields.keys {
            if let text = key.string, !allowed.contains(text) {
                reader.report(key, "'\(name)' has no option '\(text)'; its options: \(allowed.sorted().joined(separator: ", "))")
            }
        }
        let check = build(name, body, reader: &reader)
        return reader.diagnostics.count == before ? check : nil
    }

    private static func build(_ name: String, _ body: Node, reader: inout YAMLReader) -> LabCheck? {
        switch name {
        case "process":
            let kinds = namespaceKinds(body, "new-ns", reader: &reader)
            return .process(
                comm: reader.string(body, "comm", required: false), newNamespaces: kinds,
                nsPID: number(body, "ns-pid", reader: &reader), minThreads: number(body, "min-threads", reader: &reader))
        case "hostname":
            return reader.string(body, "equals").map { LabCheck.hostname(equals: $0) }
        case "ns-inodes-noted":
            let kind = reader.string(body, "kind")
            if let kind, !LabCheck.namespaceKinds.contains(kind) { reader.report(body["kind"], unknownKind(kind)) }
            guard let kind, let path = filePath(body, reader: &reader) else { return nil }
            return .namespaceInodesNoted(kind: kind, path: path)
        case "file":
            guard let path = filePath(body, reader: &reader) else { return nil }
            var fact: LabFact?
            if let text = reader.string(body, "fact", required: false) {
                fact = LabFact(text)
                if fact == nil { reader.report(body["fact"], "unknown fact '\(text)'; use \(LabFact.help)") }
            }
            let contains = reader.string(body, "contains", required: false)
            let maxSize = number(body, "max-size", reader: &reader)
            if contains == nil && fact == nil && maxSize == nil {
                reader.report(body, "a 'file' checker needs contains:, fact: or max-size:, so it sees what the learner did")
            }
            let inNew = body["in-new-mount-ns"].map { reader.bool($0) ?? false } ?? false
            return .file(path: path, contains: contains, fact: fact, maxSize: maxSize, inNewMountNamespace: inNew)
        case "mount":
            guard let fstype = reader.string(body, "fstype") else { return nil }
            return .mount(fstype: fstype, target: reader.string(body, "target", required: false))
        case "link":
            guard let name = reader.string(body, "name") else { return nil }
            return .link(name: name, inNew: inNewNamespace(body, reader: &reader), minReceivedPackets: number(body, "min-rx-packets", reader: &reader))
        case "address":
            guard let ip = reader.string(body, "ip") else { return nil }
            if IPv4Text.parts(ip) == nil { reader.report(body["ip"], "'\(ip)' is not an IPv4 address like 10.0.0.1") }
            return .address(ip: ip, inNew: inNewNamespace(body, reader: &reader))
        case "neighbor":
            guard let ip = reader.string(body, "ip") else { return nil }
            if IPv4Text.parts(ip) == nil { reader.report(body["ip"], "'\(ip)' is not an IPv4 address like 10.0.0.1") }
            return .neighbor(ip: ip, inNew: inNewNamespace(body, reader: &reader))
        default:
            let resource = reader.string(body, "resource")
            if let resource, LabCheck.rlimitRows[resource] == nil {
                reader.report(body["resource"], "unknown resource '\(resource)'; use \(LabCheck.rlimitRows.keys.sorted().joined(separator: ", "))")
            }
            guard let resource, let atMost = number(body, "at-most", reader: &reader, required: true) else { return nil }
            return .rlimit(comm: reader.string(body, "comm", required: false), resource: resource, atMost: UInt64(atMost))
        }
    }

    private static func unknownKind(_ kind: String) -> String {
        "unknown namespace kind '\(kind)'; use \(LabCheck.namespaceKinds.joined(separator: ", "))"
    }

    private static func namespaceKinds(_ body: Node, _ key: String, reader: inout YAMLReader) -> [String] {
        let kinds = reader.strings(body, key) ?? []
        for kind in kinds where !LabCheck.namespaceKinds.contains(kind) { reader.report(body[key], unknownKind(kind)) }
        return kinds
    }

    /// A path inside the sandbox: absolute, or `~/…` (the sandbox's `/root`, or `$HOME`
    /// for `ctutor lab check` from the learner's own shell).
    private static func filePath(_ body: Node, reader: inout YAMLReader) -> String? {
        let key = body["file"] != nil ? "file" : "path"
        guard let path = reader.string(body, key) else { return nil }
        guard path.hasPrefix("/") || path.hasPrefix("~/"), !path.split(separator: "/").contains("..") else {
            reader.report(body[key], "'\(path)' must be absolute or start with ~/, without ..")
            return nil
        }
        return path
    }

    /// `in: new` (the default) or `in: base`.
    private static func inNewNamespace(_ body: Node, reader: inout YAMLReader) -> Bool {
        guard let text = reader.string(body, "in", required: false) else { return true }
        if text != "new" && text != "base" { reader.report(body["in"], "'in' is new (a namespace the learner made) or base (the sandbox's own)") }
        return text != "base"
    }

    private static func number(_ body: Node, _ key: String, reader: inout YAMLReader, required: Bool = false) -> Int? {
        guard let node = body[key] else {
            if required { reader.report(body, "missing '\(key)'") }
            return nil
        }
        guard let value = node.int, value >= 0 else {
            reader.report(node, "'\(key)' must be a whole number, 0 or more")
            return nil
        }
        return value
    }
}

/// Dotted-quad IPv4 text, checked without the engine's types.
enum IPv4Text {
    static func parts(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        return parts.count == 4 && text.split(separator: ".").count == 4 ? parts : nil
    }
}
