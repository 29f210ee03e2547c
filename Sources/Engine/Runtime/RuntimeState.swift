import Foundation

#if os(Linux)
import Glibc
#endif

/// Where an OCI container is in its life, as the runtime spec names it.
public enum RuntimeStatus: String, Codable, Sendable {
    /// Set up, its init blocked before `execve` until `start`.
    case created
    /// Its init has exec'd the program and lives.
    case running
    /// Its init is gone (or a zombie waiting for its parent).
    case stopped
}

/// What `ctutor runtime create` keeps about a container (`state.json` in its directory
/// under the runtime root), enough to find it again from any later command.
public struct RuntimeState: Codable, Sendable, Equatable {
    public var id: String
    /// The bundle's absolute path.
    public var bundle: String
    /// The root filesystem's absolute path.
    public var rootfs: String
    /// The init's host PID, and its start time from `/proc/<pid>/stat` (clock ticks after
    /// boot), so a PID the kernel gives to another process later is never taken for it.
    public var pid: Int32
    public var pidStart: UInt64
    /// RFC 3339, UTC.
    public var created: String
    /// The container's cgroup directories, one per hierarchy (empty when it has none).
    public var cgroupPaths: [String]
    public var annotations: [String: String]?
    /// The UID that made it.
    public var owner: UInt32
}

/// The state `ctutor runtime state` prints: the OCI runtime spec's state object, with
/// runc's extra fields (`rootfs`, `created`).
public struct OCIState: Codable, Sendable, Equatable {
    public var ociVersion = "1.0.2"
    public var id: String
    public var status: RuntimeStatus
    /// The init's host PID; 0 once stopped.
    public var pid: Int32
    public var bundle: String
    public var rootfs: String
    public var created: String
    public var annotations: [String: String]?

    /// Pretty, sorted JSON with a final newline, as `runc state` prints it.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
    }
}

/// A shim that holds a container (`shim.json`): `ctutor runtime delete` cleans up after
/// one that is gone.
public struct ShimRecord: Codable, Sendable, Equatable {
    public var pid: Int32
    public var pidStart: UInt64
    /// Its control socket.
    public var socket: String
    /// The file the container's output goes to.
    public var log: String

    /// Whether the shim still runs (same PID, same start time, not a zombie its parent
    /// has yet to reap).
    public var isAlive: Bool { ProcessStart.of(pid) == pidStart && (try? ProcFS.status(pid: pid))?.isZombie != true }
}

/// How a container's init ended, as its shim recorded it when it reaped it (`exit.json`).
public struct ExitRecord: Codable, Sendable, Equatable {
    /// As a shell shows it: the status, or 128 + the signal.
    public var exitStatus: Int32
    /// The signal that killed it, if one did.
    public var signal: Int32?
    /// RFC 3339, UTC.
    public var exitedAt: String
}

extension RuntimeState {
    /// The status now, read from the kernel: stopped when the init is gone (its PID
    /// reused by another process counts as gone) or a zombie; created while the exec
    /// FIFO is still there; running otherwise.
    public func status(fifo: String) -> RuntimeStatus {
        guard ProcessStart.of(pid) == pidStart, (try? ProcFS.status(pid: pid))?.isZombie != true else { return .stopped }
        return access(fifo, F_OK) == 0 ? .created : .running
    }

    func ociState(status: RuntimeStatus) -> OCIState {
        OCIState(
            id: id, status: status, pid: status == .stopped ? 0 : pid, bundle: bundle, rootfs: rootfs, created: created,
            annotations: annotations)
    }
}

// The runtime's and the shim's files, read and written as plain JSON (each is read by
// a process that has just started: see ``JSONValue``). Same keys as their `Codable` form.

extension RuntimeState: PlainJSONRecord {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json)
        self.init(
            id: try fields.string("id"), bundle: try fields.string("bundle"), rootfs: try fields.string("rootfs"), pid: try fields.int32("pid"),
            pidStart: try fields.uint64("pidStart"), created: try fields.string("created"), cgroupPaths: try fields.strings("cgroupPaths"),
            annotations: try fields.optionalStringMap("annotations"), owner: try fields.uint32("owner"))
    }

    public var json: JSONValue {
        .fields([
            "id": .string(id), "bundle": .string(bundle), "rootfs": .string(rootfs), "pid": .integer(Int64(pid)), "pidStart": .integer(pidStart),
            "created": .string(created), "cgroupPaths": .strings(cgroupPaths), "annotations": annotations.map { .stringMap($0) },
            "owner": .integer(UInt64(owner)),
        ])
    }
}

extension ShimRecord: PlainJSONRecord {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json)
        self.init(pid: try fields.int32("pid"), pidStart: try fields.uint64("pidStart"), socket: try fields.string("socket"), log: try fields.string("log"))
    }

    public var json: JSONValue {
        .fields(["pid": .integer(Int64(pid)), "pidStart": .integer(pidStart), "socket": .string(socket), "log": .string(log)])
    }
}

extension ExitRecord: PlainJSONRecord {
    public init(json: JSONValue) throws(JSONShapeError) {
        let fields = try JSONFields(json)
        self.init(exitStatus: try fields.int32("exitStatus"), signal: try fields.optionalInt32("signal"), exitedAt: try fields.string("exitedAt"))
    }

    public var json: JSONValue {
        .fields(["exitStatus": .integer(Int64(exitStatus)), "signal": signal.map { .integer(Int64($0)) }, "exitedAt": .string(exitedAt)])
    }
}
