import TutorCore

/// What the namespace launcher should make: which namespaces, how the isolated
/// process sets itself up inside them, what it reports from inside, and whether it
/// holds (stays blocked for the parent to look at) or runs a program.
///
/// Every request that changes something is tied to a new namespace of its kind;
/// ``validate()`` refuses the rest, and the C launcher checks again.
public struct LaunchSpec: Sendable {
    /// A mount made inside the new mount namespace, after propagation is made private.
    public struct Mount: Sendable, Equatable {
        public var type: String
        public var source: String
        public var target: String
        /// `MS_*` flags.
        public var flags: UInt64
        public var data: String

        public init(type: String, source: String, target: String, flags: UInt64 = 0, data: String = "") {
            self.type = type
            self.source = source
            self.target = target
            self.flags = flags
            self.data = data
        }
    }

    /// One line of a `uid_map` or `gid_map`: `inside outside count`.
    public struct IDMapping: Sendable, Equatable {
        public var inside: UInt32
        public var outside: UInt32
        public var count: UInt32

        public init(inside: UInt32, outside: UInt32, count: UInt32 = 1) {
            self.inside = inside
            self.outside = outside
            self.count = count
        }

        var line: String { "\(inside) \(outside) \(count)\n" }
    }

    /// A program to exec as the isolated process.
    public struct Program: Sendable, Equatable {
        /// An absolute path, as `execve` takes it.
        public var path: String
        /// `argv`, `argv[0]` included.
        public var arguments: [String]
        public var environment: [String]
        public var workingDirectory: String?

        public init(path: String, arguments: [String]? = nil, environment: [String] = [], workingDirectory: String? = nil) {
            self.path = path
            self.arguments = arguments ?? [path]
            self.environment = environment
            self.workingDirectory = workingDirectory
        }
    }

    public var namespaces: Set<NamespaceKind>
    public var hostname: String?
    public var domainname: String?
    /// Make every mount private first (`mount --make-rprivate /`), so nothing done
    /// inside propagates back to the host.
    public var privateMounts = false
    public var mounts: [Mount] = []
    /// Offsets of the monotonic and boot-time clocks in a new time namespace, in seconds.
    public var clockOffsets: (monotonic: Int64, boottime: Int64)?
    /// Bring `lo` up in the new network namespace.
    public var loopbackUp = false
    /// The isolated process's name in `/proc/<pid>/comm` (at most 15 bytes).
    public var name = "ctutor-demo"
    /// Files the isolated process reads from inside and reports (`/proc/self/cgroup`).
    public var readFiles: [String] = []
    /// Symlinks it reads from inside (`/proc/self/ns/uts`).
    public var readLinks: [String] = []
    /// Directories it lists from inside (`/proc`, to see which PIDs its namespace shows).
    public var readDirectories: [String] = []
    /// A System V message queue it makes with this key (`msgget`) in its new IPC namespace.
    public var messageQueueKey: Int32?
    /// `nil`: hold until the parent lets go. Otherwise exec this program.
    public var program: Program?
    /// The maps written for a new user namespace; empty means "root inside is me outside".
    /// A map must map 0: the launcher becomes root inside (`setresuid(0, 0, 0)`).
    public var uidMap: [IDMapping] = []
    public var gidMap: [IDMapping] = []
    /// Existing namespaces to enter before any new one is made, as `nsenter` does:
    /// each a kind and the host PID of a process in it (a demo's own isolated process).
    /// A user namespace is joined first, so the others are entered with its powers.
    public var join: [(kind: NamespaceKind, pid: Int32)] = []
    /// `cgroup.procs` files the launcher joins before it unshares anything, so the
    /// isolated process starts inside them (and a new cgroup namespace is rooted there).
    public var cgroupProcsFiles: [String] = []
    /// A container: a new root, hardening and limits. `nil` for a plain namespace demo.
    public var container: ContainerSetup?
    /// The isolated process outlives the process that launched it (no parent-death
    /// signal), as an OCI runtime's container outlives `create`.
    public var detached = false
    /// runc's `exec.fifo`: the program is exec'd only once another process opens this
    /// FIFO for reading (`ctutor runtime start`); the launch returns before that.
    public var execFifo: String?

    /// `/proc/<pid>/ns/<kind>` of each joined namespace, user first.
    var joinPaths: [String] {
        join.sorted { ($0.kind == .user ? 0 : 1) < ($1.kind == .user ? 0 : 1) }.map { "/proc/\($0.pid)/ns/\($0.kind.rawValue)" }
    }

    public init(namespaces: Set<NamespaceKind>) {
        self.namespaces = namespaces
    }

    /// What is wrong with the spec, or `nil`. A spec that would change the host
    /// outside a new namespace is refused, not run.
    public func validate() -> String? {
        if (hostname != nil || domainname != nil) && !namespaces.contains(.uts) {
            return "a hostname needs a new UTS namespace; without one it would rename the host"
        }
        if (privateMounts || !mounts.isEmpty) && !namespaces.contains(.mnt) {
            return "mounts need a new mount namespace; without one they would appear on the host"
        }
        if !mounts.isEmpty && !privateMounts {
            return "mounts need private propagation, or they could propagate to the host"
        }
        if loopbackUp && !namespaces.contains(.net) {
            return "bringing lo up needs a new network namespace; without one it would change the host's"
        }
        if clockOffsets != nil && !namespaces.contains(.time) {
            return "clock offsets need a new time namespace"
        }
        if messageQueueKey != nil && !namespaces.contains(.ipc) {
            return "a message queue needs a new IPC namespace; without one it would be made on the host"
        }
        if (!uidMap.isEmpty || !gidMap.isEmpty) && !namespaces.contains(.user) {
            return "uid/gid maps need a new user namespace"
        }
        for map in [uidMap, gidMap] where !map.isEmpty && !map.contains(where: { $0.inside == 0 }) {
            return "a uid/gid map must map 0, whom the launcher becomes inside"
        }
        if join.contains(where: { $0.kind == .user }) && namespaces.contains(.user) {
            return "join a user namespace or make a new one, not both"
        }
        if join.contains(where: { namespaces.contains($0.kind) }) {
            return "a namespace kind is both joined and made new"
        }
        if let hostname, !(1...64).contains(hostname.utf8.count) { return "a hostname is 1 to 64 bytes" }
        if name.utf8.count > 15 || name.isEmpty { return "a process name is 1 to 15 bytes" }
        if let program, !program.path.hasPrefix("/"), container == nil || program.path.isEmpty {
            return "the program's path must be absolute (a container's may be a name looked up in its PATH)"
        }
        if let execFifo, program == nil || !execFifo.hasPrefix("/") {
            return "an exec FIFO needs a program to exec and an absolute path"
        }
        if let problem = container?.problem(in: self) { return problem }
        return nil
    }
}
