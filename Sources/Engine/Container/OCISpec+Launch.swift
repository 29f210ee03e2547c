#if os(Linux)
import Glibc
#endif

/// A configuration the runtime will not run, said in one line.
public struct OCISpecError: Error, Equatable, Sendable, CustomStringConvertible {
    public var problem: String
    public var description: String { "config.json: \(problem)" }
}

extension OCISpec {
    /// The launch that makes this container.
    ///
    /// - Parameters:
    ///   - rootfs: the host path of the new root.
    ///   - rootfsMount: what makes `rootfs` a mount point (an overlay of image layers);
    ///     `nil` bind-mounts the directory onto itself, as runc does.
    public func launchSpec(rootfs: String, rootfsMount: LaunchSpec.Mount? = nil) throws(OCISpecError) -> LaunchSpec {
        var kinds = Set<NamespaceKind>()
        for namespace in linux.namespaces {
            guard let kind = namespace.kind else { throw OCISpecError(problem: "unknown namespace type \"\(namespace.type)\"") }
            guard namespace.path == nil else { throw OCISpecError(problem: "joining an existing \(namespace.type) namespace is not supported") }
            kinds.insert(kind)
        }
        guard kinds.contains(.mnt) else { throw OCISpecError(problem: "a container needs a mount namespace") }
        var spec = LaunchSpec(namespaces: kinds)
        spec.name = "ctutor-init"
        spec.privateMounts = true
        spec.mounts = [rootfsMount ?? LaunchSpec.Mount(type: "", source: rootfs, target: rootfs, flags: UInt64(MS_BIND | MS_REC))]
        spec.hostname = kinds.contains(.uts) ? hostname : nil
        spec.domainname = kinds.contains(.uts) ? domainname : nil
        spec.loopbackUp = kinds.contains(.net)
        spec.uidMap = (linux.uidMappings ?? []).map { LaunchSpec.IDMapping(inside: $0.containerID, outside: $0.hostID, count: $0.size) }
        spec.gidMap = (linux.gidMappings ?? []).map { LaunchSpec.IDMapping(inside: $0.containerID, outside: $0.hostID, count: $0.size) }

        var setup = ContainerSetup(rootfs: rootfs)
        for mount in mounts { setup.mounts.append(try Self.launchMount(mount)) }
        for device in linux.devices ?? [] {
            setup.mounts.append(LaunchSpec.Mount(type: "", source: device.path, target: device.path, flags: UInt64(MS_BIND)))
        }
        if mounts.contains(where: { $0.destination == "/dev" }) {
            setup.symlinks = [
                ("/proc/self/fd", "/dev/fd"), ("/proc/self/fd/0", "/dev/stdin"), ("/proc/self/fd/1", "/dev/stdout"),
                ("/proc/self/fd/2", "/dev/stderr"), ("pts/ptmx", "/dev/ptmx"),
            ]
        }
        setup.maskedPaths = linux.maskedPaths ?? []
        setup.readonlyPaths = linux.readonlyPaths ?? []
        setup.readonlyRoot = root.readonly ?? false
        if let bounding = process.capabilities?.bounding {
            setup.capabilities = try Self.capabilityMask(bounding)
        }
        setup.noNewPrivileges = process.noNewPrivileges ?? false
        setup.user = (process.user.uid, process.user.gid, process.user.additionalGids ?? [])
        setup.rlimits = try (process.rlimits ?? []).map { limit throws(OCISpecError) in
            guard let resource = Self.rlimitNames[limit.type] else { throw OCISpecError(problem: "unknown rlimit \(limit.type)") }
            return (resource, limit.soft, limit.hard)
        }
        setup.terminal = process.terminal ?? false
        spec.container = setup
        guard let name = process.args.first, !name.isEmpty else { throw OCISpecError(problem: "process.args is empty") }
        spec.program = LaunchSpec.Program(path: name, arguments: process.args, environment: process.env ?? [], workingDirectory: process.cwd)
        return spec
    }

    /// A mount's options as `MS_*` flags plus the data string the filesystem takes.
    static func launchMount(_ mount: Mount) throws(OCISpecError) -> LaunchSpec.Mount {
        guard mount.destination.hasPrefix("/") else { throw OCISpecError(problem: "mount destination \(mount.destination) is not absolute") }
        var flags: UInt64 = 0
        var data: [String] = []
        for option in mount.options ?? [] {
            switch option {
            case "ro": flags |= UInt64(MS_RDONLY)
            case "rw": break
            case "nosuid": flags |= UInt64(MS_NOSUID)
            case "nodev": flags |= UInt64(MS_NODEV)
            case "noexec": flags |= UInt64(MS_NOEXEC)
            case "bind": flags |= UInt64(MS_BIND)
            case "rbind": flags |= UInt64(MS_BIND | MS_REC)
            case "strictatime": flags |= UInt64(MS_STRICTATIME)
            case "relatime": flags |= UInt64(MS_RELATIME)
            case "noatime": flags |= UInt64(MS_NOATIME)
            case "private", "rprivate": break
            default: data.append(option)
            }
        }
        let type = mount.type ?? ((flags & UInt64(MS_BIND)) != 0 ? "" : "none")
        let source = mount.source ?? type
        if (flags & UInt64(MS_BIND)) != 0 && !source.hasPrefix("/") {
            throw OCISpecError(problem: "bind mount source \(source) is not absolute")
        }
        return LaunchSpec.Mount(type: type == "bind" ? "" : type, source: source, target: mount.destination, flags: flags, data: data.joined(separator: ","))
    }

    /// `CAP_CHOWN`, … as a bit mask.
    static func capabilityMask(_ names: [String]) throws(OCISpecError) -> UInt64 {
        var mask: UInt64 = 0
        for name in names {
            guard let bit = capabilityNumbers[name] else { throw OCISpecError(problem: "unknown capability \(name)") }
            mask |= 1 << UInt64(bit)
        }
        return mask
    }

    static let capabilityNumbers: [String: Int] = [
        "CAP_CHOWN": 0, "CAP_DAC_OVERRIDE": 1, "CAP_DAC_READ_SEARCH": 2, "CAP_FOWNER": 3, "CAP_FSETID": 4, "CAP_KILL": 5,
        "CAP_SETGID": 6, "CAP_SETUID": 7, "CAP_SETPCAP": 8, "CAP_LINUX_IMMUTABLE": 9, "CAP_NET_BIND_SERVICE": 10,
        "CAP_NET_BROADCAST": 11, "CAP_NET_ADMIN": 12, "CAP_NET_RAW": 13, "CAP_IPC_LOCK": 14, "CAP_IPC_OWNER": 15,
        "CAP_SYS_MODULE": 16, "CAP_SYS_RAWIO": 17, "CAP_SYS_CHROOT": 18, "CAP_SYS_PTRACE": 19, "CAP_SYS_PACCT": 20,
        "CAP_SYS_ADMIN": 21, "CAP_SYS_BOOT": 22, "CAP_SYS_NICE": 23, "CAP_SYS_RESOURCE": 24, "CAP_SYS_TIME": 25,
        "CAP_SYS_TTY_CONFIG": 26, "CAP_MKNOD": 27, "CAP_LEASE": 28, "CAP_AUDIT_WRITE": 29, "CAP_AUDIT_CONTROL": 30,
        "CAP_SETFCAP": 31, "CAP_MAC_OVERRIDE": 32, "CAP_MAC_ADMIN": 33, "CAP_SYSLOG": 34, "CAP_WAKE_ALARM": 35,
        "CAP_BLOCK_SUSPEND": 36, "CAP_AUDIT_READ": 37, "CAP_PERFMON": 38, "CAP_BPF": 39, "CAP_CHECKPOINT_RESTORE": 40,
    ]

    static let rlimitNames: [String: Int32] = [
        "RLIMIT_CPU": 0, "RLIMIT_FSIZE": 1, "RLIMIT_DATA": 2, "RLIMIT_STACK": 3, "RLIMIT_CORE": 4, "RLIMIT_RSS": 5,
        "RLIMIT_NPROC": 6, "RLIMIT_NOFILE": 7, "RLIMIT_MEMLOCK": 8, "RLIMIT_AS": 9, "RLIMIT_LOCKS": 10,
        "RLIMIT_SIGPENDING": 11, "RLIMIT_MSGQUEUE": 12, "RLIMIT_NICE": 13, "RLIMIT_RTPRIO": 14, "RLIMIT_RTTIME": 15,
    ]
}
