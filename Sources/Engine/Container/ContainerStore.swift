import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// What ctutor knows about one container: written as `container.json` in its
/// directory when it is made and whenever its state changes, so `ctutor ps` in a
/// second terminal sees it.
public struct ContainerRecord: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case created, running, exited
    }

    public var id: String
    public var name: String
    public var image: String
    public var imageID: String?
    public var command: [String]
    public var created: String
    public var hostname: String
    public var memoryBytes: Int64?
    public var pidsMax: Int64?
    public var cpus: Double?
    public var network: String
    public var address: String?
    public var autoRemove: Bool
    public var status: Status = .created
    /// The container's init on the host, and its start time (so a reused PID is not it).
    public var pid: Int32?
    public var pidStart: UInt64?
    public var exitCode: Int32?
    public var oomKilled: Bool?
    public var startedAt: String?
    public var finishedAt: String?

    public var shortID: String { String(id.prefix(12)) }

    /// The record as JSON, written by hand: it is written as a container starts, and
    /// JSONEncoder's first use costs more than a millisecond (JSONDecoder reads it back).
    var json: String {
        func string(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        var fields: [(String, String)] = [
            ("id", string(id)), ("name", string(name)), ("image", string(image)),
            ("command", "[" + command.map(string).joined(separator: ", ") + "]"), ("created", string(created)),
            ("hostname", string(hostname)), ("network", string(network)), ("autoRemove", autoRemove ? "true" : "false"),
            ("status", string(status.rawValue)),
        ]
        let optional: [(String, String?)] = [
            ("imageID", imageID.map(string)), ("memoryBytes", memoryBytes.map(String.init)), ("pidsMax", pidsMax.map(String.init)),
            ("cpus", cpus.map { "\($0)" }), ("address", address.map(string)), ("pid", pid.map(String.init)),
            ("pidStart", pidStart.map(String.init)), ("exitCode", exitCode.map(String.init)),
            ("oomKilled", oomKilled.map { $0 ? "true" : "false" }), ("startedAt", startedAt.map(string)),
            ("finishedAt", finishedAt.map(string)),
        ]
        fields += optional.compactMap { key, value in value.map { (key, $0) } }
        return "{\n" + fields.sorted { $0.0 < $1.0 }.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }

    /// Whether its init still runs: a running record whose process is gone belongs to a
    /// `ctutor run` that was killed.
    public var isRunning: Bool {
        guard status == .running, let pid, let pidStart else { return false }
        return ProcessStart.of(pid) == pidStart
    }
}

/// The containers of this user: `<data dir>/containers/<id>/` holding
/// `container.json`, `config.json` (OCI), `log`, and the overlay's `upper`, `work`
/// and `rootfs` directories.
public struct ContainerStore: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// `$XDG_DATA_HOME/ctutor/containers`, default `~/.local/share/ctutor/containers`.
    public static func forCurrentUser(environment: [String: String] = ProcessInfo.processInfo.environment) -> ContainerStore {
        ContainerStore(root: ProgressStore.defaultDirectory(environment: environment).appendingPathComponent("containers"))
    }

    public func directory(of id: String) -> URL { root.appendingPathComponent(id) }

    /// Every container recorded, newest first.
    public func list() -> [ContainerRecord] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return ids.compactMap { try? read($0) }.sorted { $0.created > $1.created }
    }

    public func read(_ id: String) throws -> ContainerRecord {
        let data = try StateDirectory.readFile(directory(of: id).appendingPathComponent("container.json"))
        return try JSONDecoder().decode(ContainerRecord.self, from: data)
    }

    public func write(_ record: ContainerRecord) throws {
        try StateDirectory.writeAtomically(Data(record.json.utf8), to: directory(of: record.id).appendingPathComponent("container.json"))
    }

    /// A container by full id, id prefix (at least 3 characters) or name.
    public func find(_ reference: String) throws(ContainerLookupError) -> ContainerRecord {
        let all = list()
        if let byName = all.first(where: { $0.name == reference }) { return byName }
        let matches = reference.count >= 3 ? all.filter { $0.id.hasPrefix(reference) } : []
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 { throw .ambiguous(reference, matches.map(\.shortID)) }
        throw .notFound(reference)
    }

    /// Removes a container's directory, upper layer and all.
    public func remove(_ id: String) throws {
        try Self.removeTree(directory(of: id).path)
    }

    /// Removes a container's directory tree, overlayfs's permissionless `work/work`
    /// included (a rootless container's files are ours, but mode 000 stops a walk).
    static func removeTree(_ path: String) throws {
        makeRemovable(path)
        try FileManager.default.removeItem(atPath: path)
    }

    /// Gives us back the directories overlayfs made without permissions (`work/work`
    /// is mode 000), so they can be emptied; symlinks are never followed.
    private static func makeRemovable(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return }
        if info.st_mode & 0o700 != 0o700 { chmod(path, (info.st_mode & 0o7777) | 0o700) }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { makeRemovable(path + "/" + name) }
    }

    /// A new id: 32 random bytes in hex, as Docker's.
    public static func newID() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// A name like Docker's: an adjective and a computer scientist.
    public static func newName(avoiding taken: Set<String>) -> String {
        let adjectives = ["brave", "calm", "eager", "gentle", "happy", "jolly", "keen", "lucid", "merry", "nifty", "quiet", "sharp", "tidy", "witty"]
        let people = ["turing", "hopper", "lovelace", "ritchie", "thompson", "torvalds", "dijkstra", "knuth", "liskov", "hamilton", "cerf", "kernighan"]
        for _ in 0..<100 {
            let name = "\(adjectives.randomElement()!)_\(people.randomElement()!)"
            if !taken.contains(name) { return name }
        }
        return "ctutor_\(UInt32.random(in: 0...UInt32.max))"
    }
}

/// A container reference that names none, or several.
public enum ContainerLookupError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(String)
    case ambiguous(String, [String])

    public var description: String {
        switch self {
        case .notFound(let reference): "no such container: \(reference) (see `ctutor ps -a`)"
        case .ambiguous(let reference, let ids): "\(reference) matches several containers (\(ids.joined(separator: ", "))); give more of the id"
        }
    }
}
