import Foundation

#if os(Linux)
import Glibc
#endif

/// The runtime's state directory (runc's `--root`): one directory per container, named
/// by its id, holding `state.json`, the `exec.fifo` while it is created, and what a
/// shim adds (`shim.json`, `shim.sock`, `exit.json`).
public struct RuntimeRoot: Sendable, Equatable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// `/run/ctutor/runtime` for root; `$XDG_RUNTIME_DIR/ctutor/runtime`, else
    /// `/tmp/ctutor-UID/runtime`, for another user.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let base = StateDirectory.base(environment: environment) { return base.path + "/runtime" }
        return geteuid() == 0 ? "/run/ctutor/runtime" : "/tmp/ctutor-\(geteuid())/runtime"
    }

    /// A container id: 1 to 64 of `A-Z a-z 0-9 _ . -`, not `.` or `..` (it names a
    /// directory and a cgroup, never a path).
    public static func isValidID(_ id: String) -> Bool {
        ContainerCgroup.isValidName(id)
    }

    public func directory(of id: String) -> String { path + "/" + id }
    public func stateFile(of id: String) -> String { directory(of: id) + "/state.json" }
    public func execFifo(of id: String) -> String { directory(of: id) + "/exec.fifo" }
    public func shimFile(of id: String) -> String { directory(of: id) + "/shim.json" }
    public func exitFile(of id: String) -> String { directory(of: id) + "/exit.json" }
    public func shimSocket(of id: String) -> String { directory(of: id) + "/shim.sock" }

    /// Makes the root (and missing parents) closed to other users.
    func ensureExists() throws(RuntimeError) {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw .failed(SyscallError(call: "mkdir \(prefix)", errno: errno).description)
            }
        }
    }

    /// The ids of the containers here, sorted.
    public func ids() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter {
            Self.isValidID($0) && access(stateFile(of: $0), F_OK) == 0
        }.sorted()
    }

    public func load(_ id: String) throws(RuntimeError) -> RuntimeState {
        guard Self.isValidID(id) else { throw .invalid("\"\(id)\" is not a container id: 1 to 64 of A-Z a-z 0-9 _ . -") }
        guard let state = try read(RuntimeState.self, from: stateFile(of: id)) else { throw .notFound(id: id) }
        return state
    }

    /// The shim that holds `id`, if one registered.
    public func shim(of id: String) -> ShimRecord? {
        try? read(ShimRecord.self, from: shimFile(of: id))
    }

    /// How `id`'s init ended, if its shim recorded it.
    public func exit(of id: String) -> ExitRecord? {
        try? read(ExitRecord.self, from: exitFile(of: id))
    }

    /// The container's OCI state now.
    public func ociState(of id: String) throws(RuntimeError) -> OCIState {
        let state = try load(id)
        return state.ociState(status: state.status(fifo: execFifo(of: id)))
    }

    /// Written as plain JSON, keys sorted (read back by processes that have just
    /// started, where `JSONEncoder` and `JSONDecoder` cost most: see ``JSONValue``).
    func write(_ value: some PlainJSONRecord, to file: String) throws(RuntimeError) {
        do {
            try StateDirectory.writeAtomically(Data(value.json.serialized().utf8), to: URL(fileURLWithPath: file))
        } catch {
            throw .failed(error.description)
        }
    }

    /// `nil` when the file does not exist.
    func read<Value: PlainJSONRecord>(_ type: Value.Type, from file: String) throws(RuntimeError) -> Value? {
        let data: Data
        do {
            data = try StateDirectory.readFile(URL(fileURLWithPath: file))
        } catch {
            if error.errno == ENOENT { return nil }
            throw .failed(error.description)
        }
        do {
            return try Value(jsonBytes: Array(data))
        } catch {
            throw .failed("\(file) is not readable state: \(error)")
        }
    }
}
