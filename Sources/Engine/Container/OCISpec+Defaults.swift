extension OCISpec {
    /// Docker's default capability set: what a root process in a container keeps of
    /// the 41 a root process on the host has.
    public static let dockerCapabilities = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ]

    /// Paths Docker hides from a container: kernel memory, keys, timers and hardware
    /// details a container has no business reading.
    public static let dockerMaskedPaths = [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ]

    /// Paths Docker leaves visible but read-only: kernel settings a container must not change.
    public static let dockerReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

    /// The devices of a minimal `/dev`.
    public static let defaultDevices: [Device] = [
        Device(path: "/dev/null", type: "c", major: 1, minor: 3), Device(path: "/dev/zero", type: "c", major: 1, minor: 5),
        Device(path: "/dev/full", type: "c", major: 1, minor: 7), Device(path: "/dev/random", type: "c", major: 1, minor: 8),
        Device(path: "/dev/urandom", type: "c", major: 1, minor: 9), Device(path: "/dev/tty", type: "c", major: 5, minor: 0),
    ]

    /// A container as Docker would configure it: every namespace but time (and user
    /// when `rootless`), `/proc`, a minimal `/dev`, `/sys` read-only, Docker's
    /// capabilities, masked and read-only paths, and `no_new_privs`.
    public static func docker(
        args: [String], env: [String], cwd: String = "/", hostname: String, rootless: Bool, terminal: Bool = false,
        rootPath: String = "rootfs"
    ) -> OCISpec {
        var namespaces: [NamespaceKind] = [.pid, .net, .ipc, .uts, .mnt, .cgroup]
        if rootless { namespaces.append(.user) }
        // devpts's gid=5 (tty) names a group a rootless user namespace does not map.
        let ptsOptions = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"] + (rootless ? [] : ["gid=5"])
        let mounts = [
            Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
            Mount(destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            Mount(destination: "/dev/pts", type: "devpts", source: "devpts", options: ptsOptions),
            Mount(
                destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
            Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
        ]
        let capabilities = Capabilities(
            bounding: dockerCapabilities, effective: dockerCapabilities, permitted: dockerCapabilities, inheritable: nil,
            ambient: nil)
        return OCISpec(
            process: Process(
                terminal: terminal, user: User(uid: 0, gid: 0, additionalGids: nil), args: args, env: env, cwd: cwd,
                capabilities: capabilities, rlimits: nil,
                noNewPrivileges: true),
            root: Root(path: rootPath, readonly: false), hostname: hostname, mounts: mounts,
            linux: Linux(
                namespaces: namespaces.map(Namespace.init), uidMappings: nil, gidMappings: nil, devices: defaultDevices,
                resources: nil, cgroupsPath: nil, maskedPaths: dockerMaskedPaths, readonlyPaths: dockerReadonlyPaths))
    }
}
