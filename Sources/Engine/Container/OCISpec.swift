/// A container's configuration in the shape of the OCI runtime specification's
/// `config.json` (the subset ctutor runs): what `runc` reads from a bundle, and what
/// `ctutor run` writes beside each container it makes.
public struct OCISpec: Codable, Sendable, Equatable {
    public var ociVersion = "1.0.2"
    public var process: Process
    public var root: Root
    public var hostname: String?
    public var mounts: [Mount]
    public var linux: Linux
    public var domainname: String?
    /// Free-form metadata a runtime keeps and shows in its state.
    public var annotations: [String: String]?

    public struct Process: Codable, Sendable, Equatable {
        public var terminal: Bool?
        public var user: User
        public var args: [String]
        public var env: [String]?
        public var cwd: String
        public var capabilities: Capabilities?
        public var rlimits: [Rlimit]?
        public var noNewPrivileges: Bool?
    }

    public struct User: Codable, Sendable, Equatable {
        public var uid: UInt32
        public var gid: UInt32
        public var additionalGids: [UInt32]?
    }

    public struct Capabilities: Codable, Sendable, Equatable {
        public var bounding: [String]?
        public var effective: [String]?
        public var permitted: [String]?
        public var inheritable: [String]?
        public var ambient: [String]?
    }

    public struct Rlimit: Codable, Sendable, Equatable {
        /// `RLIMIT_NOFILE`, …
        public var type: String
        public var hard: UInt64
        public var soft: UInt64
    }

    public struct Root: Codable, Sendable, Equatable {
        /// The root filesystem: absolute, or relative to the bundle.
        public var path: String
        public var readonly: Bool?
    }

    public struct Mount: Codable, Sendable, Equatable {
        public var destination: String
        public var type: String?
        public var source: String?
        public var options: [String]?

        public init(destination: String, type: String? = nil, source: String? = nil, options: [String]? = nil) {
            self.destination = destination
            self.type = type
            self.source = source
            self.options = options
        }
    }

    public struct Linux: Codable, Sendable, Equatable {
        public var namespaces: [Namespace]
        public var uidMappings: [IDMapping]?
        public var gidMappings: [IDMapping]?
        public var devices: [Device]?
        public var resources: Resources?
        public var cgroupsPath: String?
        public var maskedPaths: [String]?
        public var readonlyPaths: [String]?
    }

    public struct Namespace: Codable, Sendable, Equatable {
        /// `pid`, `network`, `mount`, `ipc`, `uts`, `user`, `cgroup`, `time`.
        public var type: String
        public var path: String?
    }

    public struct IDMapping: Codable, Sendable, Equatable {
        public var containerID: UInt32
        public var hostID: UInt32
        public var size: UInt32
    }

    /// A device node the container gets (made here as a bind mount of the host's own
    /// node, which works with or without root).
    public struct Device: Codable, Sendable, Equatable {
        public var path: String
        public var type: String
        public var major: Int64
        public var minor: Int64
    }

    public struct Resources: Codable, Sendable, Equatable {
        public var memory: Memory?
        public var pids: Pids?
        public var cpu: CPU?
        /// The device cgroup's rules, in order (runc's default: deny all, then allow a few).
        public var devices: [DeviceRule]?

        public struct DeviceRule: Codable, Sendable, Equatable {
            public var allow: Bool
            public var type: String?
            public var major: Int64?
            public var minor: Int64?
            public var access: String?
        }

        public struct Memory: Codable, Sendable, Equatable {
            public var limit: Int64?
            public var swap: Int64?
        }

        public struct Pids: Codable, Sendable, Equatable {
            public var limit: Int64
        }

        public struct CPU: Codable, Sendable, Equatable {
            public var quota: Int64?
            public var period: UInt64?
        }
    }
}

extension OCISpec.Namespace {
    /// The namespace kind this entry names, as the OCI spec spells it.
    public var kind: NamespaceKind? {
        switch type {
        case "pid": .pid
        case "network": .net
        case "mount": .mnt
        case "ipc": .ipc
        case "uts": .uts
        case "user": .user
        case "cgroup": .cgroup
        case "time": .time
        default: nil
        }
    }

    public init(_ kind: NamespaceKind) {
        let names: [NamespaceKind: String] = [
            .pid: "pid", .net: "network", .mnt: "mount", .ipc: "ipc", .uts: "uts", .user: "user", .cgroup: "cgroup", .time: "time",
        ]
        self.init(type: names[kind] ?? kind.rawValue, path: nil)
    }
}
