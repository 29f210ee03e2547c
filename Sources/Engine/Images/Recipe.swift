import Foundation

/// A recipe: an image made of another image and a few files, written in YAML.
///
///     name: software-c
///     tag: "5.0"
///     from: busybox
///     files:
///       - path: /opt/c/VERSION
///         content: "5.0\n"
///         mode: "0644"
///     cmd: ["c-version"]
///     env: ["C_HOME=/opt/c"]
///
/// Also `entrypoint` (a list), `workdir` and `user`. `cmd` and `entrypoint` may be one
/// string, run by `/bin/sh -c` as Docker's shell form is. Unknown keys are errors, so
/// a typo does not pass unnoticed.
struct Recipe: Equatable {
    struct File: Equatable {
        /// Absolute, clean: `/opt/c/VERSION`.
        var path: String
        var content: String
        var mode: UInt32
    }

    var name: String
    var tag: String
    var from: String
    var files: [File]
    var cmd: [String]?
    var entrypoint: [String]?
    var env: [String]
    var workingDir: String?
    var user: String?
    /// The recipe file, for messages and the image's history.
    var source: String

    static func load(path: String) throws -> Recipe {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImageError(.notFound, path, "cannot read the recipe", hint: "recipes are in Assets/recipes/*.yaml")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ImageError(.invalidRecipe, path, "not UTF-8 text") }
        return try parse(text, file: path)
    }

    static func parse(_ text: String, file: String) throws -> Recipe {
        let root = try RecipeYAML.parse(text, file: file)
        var reader = Fields(root, file: file, allowed: ["name", "tag", "from", "files", "cmd", "entrypoint", "env", "workdir", "user"])
        let name = try reader.string("name")
        let tag = try reader.optionalString("tag") ?? "latest"
        guard ImageReference.isValidName(name) else {
            throw reader.fail(root, "'\(name)' is not an image name (lowercase letters, digits, . _ - and /)")
        }
        guard ImageReference.isValidTag(tag) else { throw reader.fail(root, "'\(tag)' is not a tag (letters, digits, _ . -)") }
        var files: [File] = []
        for item in try reader.list("files") ?? [] {
            var fields = Fields(item, file: file, allowed: ["path", "content", "mode"])
            let path = try fields.string("path")
            let clean = "/" + path.split(separator: "/").joined(separator: "/")
            let parts = path.split(separator: "/")
            guard path.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else {
                throw fields.fail(item, "file path '\(path)' must be absolute, without . or .. (like /opt/c/VERSION)")
            }
            guard !files.contains(where: { $0.path == clean }) else { throw fields.fail(item, "\(clean) is listed twice") }
            let modeText = try fields.optionalString("mode") ?? "0644"
            guard let mode = UInt32(modeText, radix: 8), mode <= 0o7777 else {
                throw fields.fail(item, "mode '\(modeText)' must be octal, like \"0644\" or \"0755\"")
            }
            files.append(File(path: clean, content: try fields.string("content", allowEmpty: true), mode: mode))
        }
        for file in files {
            if let inner = files.first(where: { $0.path.hasPrefix(file.path + "/") }) {
                throw reader.fail(root, "\(file.path) is a file, so \(inner.path) cannot be inside it")
            }
        }
        let env = try reader.stringList("env") ?? []
        for entry in env where !entry.contains("=") || entry.hasPrefix("=") {
            throw reader.fail(root, "env entry '\(entry)' must be KEY=value")
        }
        return Recipe(
            name: name, tag: tag, from: try reader.string("from"), files: files, cmd: try reader.command("cmd"),
            entrypoint: try reader.command("entrypoint"), env: env, workingDir: try reader.optionalString("workdir"),
            user: try reader.optionalString("user"), source: file)
    }

    /// Typed access to a mapping's fields, with errors naming the line.
    private struct Fields {
        let node: RecipeYAML
        let file: String
        let entries: [(key: String, value: RecipeYAML)]

        init(_ node: RecipeYAML, file: String, allowed: Set<String>) {
            self.node = node
            self.file = file
            if case .map(let entries, _) = node { self.entries = entries } else { entries = [] }
            self.allowed = allowed
        }

        let allowed: Set<String>

        func fail(_ at: RecipeYAML, _ message: String) -> ImageError {
            ImageError(.invalidRecipe, "\(file):\(at.line + 1)", message)
        }

        mutating func value(_ key: String) throws -> RecipeYAML? {
            guard case .map = node else { throw fail(node, "expected `key: value` lines here") }
            if let unknown = entries.first(where: { !allowed.contains($0.key) }) {
                throw fail(unknown.value, "unknown key '\(unknown.key)' (known: \(allowed.sorted().joined(separator: ", ")))")
            }
            return entries.first { $0.key == key }?.value
        }

        mutating func optionalString(_ key: String) throws -> String? {
            guard let value = try value(key) else { return nil }
            guard case .scalar(let text, _) = value else { throw fail(value, "'\(key)' must be text") }
            return text.isEmpty ? nil : text
        }

        mutating func string(_ key: String, allowEmpty: Bool = false) throws -> String {
            guard let value = try value(key), case .scalar(let text, _) = value, allowEmpty || !text.isEmpty else {
                throw fail(node, "'\(key)' is required and must be text")
            }
            return text
        }

        mutating func list(_ key: String) throws -> [RecipeYAML]? {
            guard let value = try value(key) else { return nil }
            guard case .list(let items, _) = value else { throw fail(value, "'\(key)' must be a list") }
            return items
        }

        mutating func stringList(_ key: String) throws -> [String]? {
            try list(key)?.map { item in
                guard case .scalar(let text, _) = item else { throw fail(item, "'\(key)' must be a list of text") }
                return text
            }
        }

        /// A list, or one string in Docker's shell form: `["/bin/sh", "-c", string]`.
        mutating func command(_ key: String) throws -> [String]? {
            if let value = try value(key), case .scalar(let text, _) = value { return text.isEmpty ? nil : ["/bin/sh", "-c", text] }
            return try stringList(key)
        }
    }
}
