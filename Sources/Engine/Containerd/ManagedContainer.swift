import Foundation

/// One container as the manager (containerd's role) keeps it: what it was created
/// from, and how it ended. `container.json` in its directory; the live half (is its
/// shim there, does its init run) is read from the runtime's state each time, so a
/// restarted daemon sees the truth.
public struct ManagedContainer: Codable, Sendable, Equatable {
    /// 64 hexadecimal digits; also the runtime's container id and the cgroup's name.
    public var id: String
    /// Without Docker's leading `/`.
    public var name: String
    /// The image as it was asked for (`busybox`, `busybox:latest`).
    public var image: String
    /// `sha256:…`
    public var imageID: String
    /// The program and its arguments: the entrypoint followed by the command.
    public var path: String
    public var args: [String]
    /// The request's `Cmd` and `Entrypoint`, as inspect shows them.
    public var cmd: [String]
    public var entrypoint: [String]?
    public var env: [String]
    public var workingDir: String
    public var hostname: String
    /// RFC 3339, UTC.
    public var created: String
    /// Removed once it has exited (`docker run --rm`).
    public var autoRemove: Bool
    public var startedAt: String?
    public var finishedAt: String?
    public var exitCode: Int32?

    public var shortID: String { String(id.prefix(12)) }
}

/// Where a managed container is now, as `docker ps` and `inspect` show it.
public struct ContainerStatus: Sendable, Equatable {
    public enum Phase: String, Sendable {
        case created, running, exited
    }

    public var phase: Phase
    /// The init's PID on the host while it runs, else 0.
    public var pid: Int32
    /// The shim's PID while it runs, else 0.
    public var shimPID: Int32
    public var exitCode: Int32
    public var startedAt: String?
    public var finishedAt: String?

    public var isRunning: Bool { phase == .running }
}

/// Why the manager refused or failed; each maps to one HTTP status.
public enum ContainerdError: Error, Equatable, Sendable, CustomStringConvertible {
    case noSuchContainer(String)
    case noSuchImage(String)
    /// The request conflicts with the state (a name in use, a running container removed).
    case conflict(String)
    case invalid(String)
    /// Already in the state asked for (started, stopped): nothing done.
    case notModified
    case failed(String)

    public var description: String {
        switch self {
        case .noSuchContainer(let id): "No such container: \(id)"
        case .noSuchImage(let reference): "No such image: \(reference)"
        case .conflict(let message), .invalid(let message), .failed(let message): message
        case .notModified: "not modified"
        }
    }
}
