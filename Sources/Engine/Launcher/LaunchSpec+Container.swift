/// What turns a launch into a container (`ctutor_container.h`): a new root with
/// mounts inside it, `pivot_root`, masked and read-only paths, and the limits the
/// process runs under. The launcher does it all in stage 2, after "go".
public struct ContainerSetup: Sendable, Equatable {
    /// The new root's host path. A ``LaunchSpec/mounts`` entry must make it a mount
    /// point first (an overlay, or a bind of a directory onto itself).
    public var rootfs: String
    /// Mounts whose targets are paths inside the new root, in order.
    public var mounts: [LaunchSpec.Mount] = []
    /// Symlinks made inside the new root: `/dev/fd → /proc/self/fd`.
    public var symlinks: [(target: String, path: String)] = []
    /// Paths hidden after `pivot_root`.
    public var maskedPaths: [String] = []
    /// Paths made read-only after `pivot_root`.
    public var readonlyPaths: [String] = []
    public var readonlyRoot = false
    /// The capabilities kept; `nil` keeps them all.
    public var capabilities: UInt64?
    public var noNewPrivileges = false
    public var user: (uid: UInt32, gid: UInt32, additionalGids: [UInt32])?
    /// `(RLIMIT_*, soft, hard)`.
    public var rlimits: [(resource: Int32, soft: UInt64, hard: UInt64)] = []
    /// Make standard input the controlling terminal of a new session (a pty's replica).
    public var terminal = false

    public init(rootfs: String) {
        self.rootfs = rootfs
    }

    public static func == (a: ContainerSetup, b: ContainerSetup) -> Bool {
        a.rootfs == b.rootfs && a.mounts == b.mounts && a.symlinks.map { [$0.target, $0.path] } == b.symlinks.map { [$0.target, $0.path] }
            && a.maskedPaths == b.maskedPaths && a.readonlyPaths == b.readonlyPaths && a.readonlyRoot == b.readonlyRoot
            && a.capabilities == b.capabilities && a.noNewPrivileges == b.noNewPrivileges
            && a.user.map { [$0.uid, $0.gid] + $0.additionalGids } == b.user.map { [$0.uid, $0.gid] + $0.additionalGids }
            && a.rlimits.map { [UInt64($0.resource), $0.soft, $0.hard] } == b.rlimits.map { [UInt64($0.resource), $0.soft, $0.hard] }
            && a.terminal == b.terminal
    }

    /// What is wrong with it, or `nil`.
    func problem(in spec: LaunchSpec) -> String? {
        guard rootfs.hasPrefix("/") else { return "a container's root must be an absolute path" }
        guard spec.namespaces.contains(.mnt), spec.privateMounts else {
            return "a container's root needs a new, private mount namespace"
        }
        guard spec.mounts.contains(where: { $0.target == rootfs }) else {
            return "a container's root must be made a mount point first (an overlay or a bind mount)"
        }
        for path in mounts.map(\.target) + symlinks.map(\.path) + maskedPaths + readonlyPaths where !path.hasPrefix("/") {
            return "paths inside a container are absolute: \(path)"
        }
        return nil
    }
}
