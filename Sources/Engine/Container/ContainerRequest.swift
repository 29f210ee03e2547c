import TutorCore

/// What `ctutor run` (or a demo) asks for: an image and a command, with the
/// container's name, hostname, environment, volumes, limits and network.
public struct ContainerRequest: Sendable, Equatable {
    public enum Network: String, Sendable, Equatable, CaseIterable {
        /// Only a loopback interface.
        case none
        /// A veth into the host's `ctutor0` bridge, with an address of its own.
        case bridge
    }

    /// A host directory (or file) seen inside the container.
    public struct Volume: Sendable, Equatable {
        public var host: String
        public var container: String
        public var readonly: Bool

        public init(host: String, container: String, readonly: Bool = false) {
            self.host = host
            self.container = container
            self.readonly = readonly
        }

        /// `HOST:CONTAINER[:ro|:rw]`; both paths absolute.
        public static func parse(_ text: String) -> Result<Volume, ContainerError> {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard (2...3).contains(parts.count), parts[0].hasPrefix("/"), parts[1].hasPrefix("/") else {
                return .failure(.invalid("--volume \(text): write HOST:CONTAINER[:ro], both absolute paths, e.g. /home/me/data:/data:ro"))
            }
            if parts.count == 3 && !["ro", "rw"].contains(parts[2]) {
                return .failure(.invalid("--volume \(text): the third part is ro or rw, not \(parts[2])"))
            }
            return .success(Volume(host: parts[0], container: parts[1], readonly: parts.count == 3 && parts[2] == "ro"))
        }
    }

    /// An image reference (`busybox`, `software-c:5.0`), or `nil` with ``rootfsDirectory``.
    public var image: String? = "busybox"
    /// A directory to use as the root as it is (runc's way), instead of an image.
    public var rootfsDirectory: String?
    /// The command; empty: the image's own.
    public var command: [String] = []
    public var name: String?
    public var hostname: String?
    /// `NAME=value`, added to (and overriding) the image's.
    public var environment: [String] = []
    public var workingDirectory: String?
    public var volumes: [Volume] = []
    public var memoryBytes: Int64?
    public var pidsMax: Int64?
    public var cpus: Double?
    public var network: Network = .none
    /// Removed when it exits (`--rm`).
    public var autoRemove = false
    /// The process gets a pseudo-terminal (`-t`).
    public var terminal = false
    /// A new user namespace even for root.
    public var rootless = false
    /// The pseudo-terminal the console made for `-t`, bind-mounted on `/dev/console`
    /// inside (the replica lives in the host's devpts, which the container cannot see).
    public var consolePath: String?

    public init() {}

    public var hasLimits: Bool { memoryBytes != nil || pidsMax != nil || cpus != nil }
}

/// Why a container could not be made or run: one line, saying what to do.
public enum ContainerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The request itself is wrong.
    case invalid(String)
    /// This machine does not allow it, and why, and how to allow it (in both languages:
    /// a demo's report shows it).
    case refused(reason: Localized, remedy: Localized)
    /// A step failed.
    case failed(String)
    /// The command could not be run inside (`execve` failed): not found, or not executable.
    case cannotRun(String, notFound: Bool)

    public var description: String {
        switch self {
        case .invalid(let message): message
        case .refused(let reason, let remedy): "\(reason.en). \(remedy.en)"
        case .failed(let message): message
        case .cannotRun(let message, _): message
        }
    }
}
