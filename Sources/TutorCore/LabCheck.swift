/// What a lab step's checker looks for, as `lab.yaml` declares it. The engine
/// evaluates it against real kernel state (`/proc/<pid>/…` of the sandbox's
/// processes), never against what the learner typed.
///
/// "New" namespaces are those that differ from the base: the sandbox shell's (in the
/// tutor's sandbox) or the tutor's own (`ctutor lab check` from another terminal).
public enum LabCheck: Equatable, Sendable {
    /// A process, optionally by name, in new namespaces of every listed kind,
    /// optionally numbered `nsPID` by its innermost PID namespace, with at least
    /// `minThreads` threads.
    case process(comm: String?, newNamespaces: [String], nsPID: Int?, minThreads: Int?)
    /// A new UTS namespace whose hostname is `equals`, while the base one is not.
    case hostname(equals: String)
    /// The file holds the inode numbers of both the base namespace of `kind` and a new one.
    case namespaceInodesNoted(kind: String, path: String)
    /// A file as a sandbox process sees it: present, holding `contains` and/or the
    /// value of `fact`, with a size within bounds.
    case file(path: String, contains: String?, fact: LabFact?, maxSize: Int?, inNewMountNamespace: Bool)
    /// A mount of `fstype` (at `target`) in a new mount namespace.
    case mount(fstype: String, target: String?)
    /// A network interface named `name`, in a new network namespace or the base one,
    /// that has received at least `minReceivedPackets`.
    case link(name: String, inNew: Bool, minReceivedPackets: Int?)
    /// An IPv4 address assigned (a local route) in a new network namespace or the base one.
    case address(ip: String, inNew: Bool)
    /// A neighbour whose link-layer address was learned (a complete ARP entry) in a
    /// new network namespace or the base one: proof that IPv4 traffic went between them.
    case neighbor(ip: String, inNew: Bool)
    /// A process (optionally by name) whose soft limit of `resource` is at most `atMost`.
    case rlimit(comm: String?, resource: String, atMost: UInt64)

    /// The checker names `lab.yaml` uses, for its diagnostics.
    public static let names = ["process", "hostname", "ns-inodes-noted", "file", "mount", "link", "address", "neighbor", "rlimit"]
    /// Namespace kinds as `/proc/<pid>/ns/` names them.
    public static let namespaceKinds = ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"]
    /// `rlimit` resources, as `/proc/<pid>/limits` rows.
    public static let rlimitRows: [String: String] = [
        "cpu": "Max cpu time", "fsize": "Max file size", "data": "Max data size", "stack": "Max stack size",
        "core": "Max core file size", "nproc": "Max processes", "nofile": "Max open files", "as": "Max address space",
        "memlock": "Max locked memory",
    ]
}

/// A value the engine reads from the kernel, which a `file` check expects the
/// learner to have written down.
public enum LabFact: Equatable, Sendable {
    /// `uname -r`.
    case kernelRelease
    /// CPUs online.
    case cpuCount
    /// `vmx` (Intel VT-x), `svm` (AMD-V) or `none`, from `/proc/cpuinfo`'s flags.
    case cpuVirtualization
    /// `yes` when `/proc/cpuinfo` has the `hypervisor` flag (this kernel runs in a VM), else `no`.
    case hypervisor
    /// The PID of a process with this name, as its own PID namespace numbers it.
    case pidOf(String)
    /// The number of threads of a process with this name.
    case threadsOf(String)

    /// Parses `kernel-release`, `cpu-count`, `cpu-virtualization`, `hypervisor`,
    /// `pid-of:NAME`, `threads-of:NAME`.
    public init?(_ text: String) {
        switch text {
        case "kernel-release": self = .kernelRelease
        case "cpu-count": self = .cpuCount
        case "cpu-virtualization": self = .cpuVirtualization
        case "hypervisor": self = .hypervisor
        default:
            if text.hasPrefix("pid-of:"), text.count > 7 {
                self = .pidOf(String(text.dropFirst(7)))
            } else if text.hasPrefix("threads-of:"), text.count > 11 {
                self = .threadsOf(String(text.dropFirst(11)))
            } else {
                return nil
            }
        }
    }

    public static let help = "kernel-release, cpu-count, cpu-virtualization, hypervisor, pid-of:NAME or threads-of:NAME"
}
