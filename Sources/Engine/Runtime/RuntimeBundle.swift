import Foundation

#if os(Linux)
import Glibc
#endif

/// An OCI bundle as the runtime runs it: `config.json` read into an ``OCISpec`` with
/// runc's meaning for what it leaves out, the root filesystem's absolute path and the
/// cgroup limits. A field ctutor does not implement and that would change the
/// container's isolation is refused by name, never dropped.
public struct RuntimeBundle: Sendable {
    /// The bundle directory, absolute.
    public let path: String
    public let config: OCISpec
    public let rootfs: String
    public let limits: ResourceLimits

    /// Reads `DIR/config.json`.
    public static func load(_ directory: String) throws(RuntimeError) -> RuntimeBundle {
        let path = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        let file = path + "/config.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .invalid("no config.json in the bundle \(path) (write one, or make one with runc spec)")
        }
        // One pass over the bytes serves both the check and the fields (see JSONValue).
        let document: JSONValue
        do {
            document = try JSONValue(parsing: Array(data))
        } catch {
            throw .invalid("config.json: not valid JSON at \(error)")
        }
        if let problem = unsupported(in: document) { throw .invalid("config.json: \(problem)") }
        var config: OCISpec
        do {
            config = try OCISpec(json: document)
        } catch {
            throw .invalid("config.json: \(error)")
        }
        let rootfs = config.root.path.hasPrefix("/") ? config.root.path : path + "/" + config.root.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootfs, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .invalid("config.json: root.path \(config.root.path) is not a directory (\(rootfs))")
        }
        let kinds = Set(config.linux.namespaces.compactMap(\.kind))
        if config.hostname != nil || config.domainname != nil, !kinds.contains(.uts) {
            throw .invalid("config.json: a hostname needs a uts namespace in linux.namespaces")
        }
        if geteuid() != 0 && !kinds.contains(.user) {
            throw .refused(
                reason: "without root a container needs a user namespace",
                remedy: "add {\"type\": \"user\"} to linux.namespaces, or run as root")
        }
        config.process.capabilities = keptCapabilities(config.process.capabilities, devices: config.linux.resources?.devices)
        if config.mounts.contains(where: { $0.destination == "/dev" }) {
            // runc makes these in every container's /dev, listed or not.
            let listed = Set((config.linux.devices ?? []).map(\.path))
            config.linux.devices = (config.linux.devices ?? []) + OCISpec.defaultDevices.filter { !listed.contains($0.path) }
        }
        return RuntimeBundle(path: path, config: config, rootfs: rootfs, limits: try limits(config.linux.resources))
    }

    /// The capabilities the process keeps, as runc gives them: a set the config leaves
    /// out is empty, and a process holds only what is in its bounding, permitted and
    /// effective sets alike (the launcher gives one set for all three, so it takes the
    /// intersection: never more than asked). A device cgroup that denies every device
    /// is kept by taking `CAP_MKNOD`, so no new device node can be made.
    static func keptCapabilities(_ asked: OCISpec.Capabilities?, devices: [OCISpec.Resources.DeviceRule]?) -> OCISpec.Capabilities {
        var kept = Set(asked?.bounding ?? []).intersection(asked?.permitted ?? []).intersection(asked?.effective ?? [])
        if let first = devices?.first, !first.allow, first.type == nil || first.type == "a", first.major == nil, first.minor == nil {
            kept.remove("CAP_MKNOD")
        }
        let list = kept.sorted()
        return OCISpec.Capabilities(bounding: list, effective: list, permitted: list, inheritable: nil, ambient: nil)
    }

    static func limits(_ resources: OCISpec.Resources?) throws(RuntimeError) -> ResourceLimits {
        var limits = ResourceLimits()
        guard let resources else { return limits }
        limits.memoryBytes = resources.memory?.limit.flatMap { $0 > 0 ? $0 : nil }
        limits.pidsMax = resources.pids.flatMap { $0.limit > 0 ? $0.limit : nil }
        if let quota = resources.cpu?.quota, quota > 0 {
            let period = Double(resources.cpu?.period ?? UInt64(ResourceLimits.cpuPeriodMicroseconds))
            limits.cpus = Double(quota) / period
        }
        if let problem = limits.problem(onlineCPUs: max(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 1)) {
            throw .invalid("config.json: linux.resources: \(problem.en)")
        }
        return limits
    }

    /// The first field that would change isolation and that ctutor does not implement.
    static func unsupported(in top: JSONValue) -> String? {
        func present(_ value: JSONValue?) -> Bool {
            switch value {
            case nil, .null: false
            case .string(let text): !text.isEmpty
            case .array(let list): !list.isEmpty
            case .object(let members): !members.isEmpty
            default: true
            }
        }
        if present(top["hooks"]) { return "hooks are not supported: ctutor runs no hook programs" }
        let process = top["process"] ?? .null
        if process["terminal"] == .bool(true) {
            return "process.terminal needs a console socket, which ctutor runtime does not support: set it to false"
        }
        for key in ["apparmorProfile", "selinuxLabel"] where present(process[key]) {
            return "process.\(key) is not supported: ctutor applies no LSM profile"
        }
        let linux = top["linux"] ?? .null
        for key in ["seccomp", "sysctl", "intelRdt", "personality", "timeOffsets", "mountLabel"] where present(linux[key]) {
            return "linux.\(key) is not supported by ctutor runtime; remove it"
        }
        if case .string(let propagation) = linux["rootfsPropagation"], propagation.contains("shared") {
            return "linux.rootfsPropagation \(propagation) is not supported: every mount is made private"
        }
        let resources = linux["resources"] ?? .null
        for key in ["blockIO", "hugepageLimits", "network", "rdma", "unified"] where present(resources[key]) {
            return "linux.resources.\(key) is not supported (memory, pids and cpu quota are)"
        }
        let cpu = resources["cpu"] ?? .null
        for key in ["cpus", "mems", "realtimeRuntime", "realtimePeriod"] where present(cpu[key]) {
            return "linux.resources.cpu.\(key) is not supported (quota and period are)"
        }
        if case .array(let mounts) = top["mounts"] {
            for mount in mounts {
                if case .string(let type) = mount["type"], type == "cgroup" || type == "cgroup2" {
                    let destination: String
                    if case .string(let path) = mount["destination"] { destination = path } else { destination = "?" }
                    return "a mount of type \(type) (at \(destination)) is not supported; remove it"
                }
            }
        }
        return nil
    }
}
