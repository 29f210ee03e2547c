import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

extension Container {
    /// Makes and starts a container; on return its init runs the command.
    ///
    /// - Parameter stdio: the init's standard input, output and error (`-1`: `/dev/null`).
    /// - Throws: ``ContainerError`` for a request this machine refuses or that is
    ///   wrong, or the failing step's error; nothing made is left behind.
    public static func start(
        _ request: ContainerRequest, store: ContainerStore = .forCurrentUser(), images: ImageStore = .forCurrentUser(),
        stdio: (Int32, Int32, Int32) = (-1, -1, -1)
    ) throws -> Container {
        let rootless = request.rootless || geteuid() != 0
        if request.network == .bridge, rootless || geteuid() != 0, let refusal = ContainerNetwork.refusalWhenRootless() {
            throw ContainerError.refused(reason: refusal.reason, remedy: refusal.remedy)
        }
        let image: StoredImage? = try request.rootfsDirectory == nil ? images.resolve(request.image ?? "busybox") : nil
        let imageConfig = image?.config
        let command = (imageConfig?.entrypoint ?? []) + (request.command.isEmpty ? (imageConfig?.cmd ?? []) : request.command)
        guard !command.isEmpty else {
            throw ContainerError.invalid("no command: the image has none, so give one after --, e.g. ctutor run busybox -- sh")
        }

        let existing = store.list()
        let id = ContainerStore.newID()
        let name = try request.name.map { name throws(ContainerError) in
            guard name.range(of: #"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$"#, options: .regularExpression) != nil else {
                throw .invalid("--name \(name): letters, digits, _ . - (starting with a letter or digit), at most 63")
            }
            guard !existing.contains(where: { $0.name == name }) else {
                throw .invalid("the name \(name) is taken; remove that container first (ctutor rm \(name)) or pick another")
            }
            return name
        } ?? ContainerStore.newName(avoiding: Set(existing.map(\.name)))
        let hostname = request.hostname ?? String(id.prefix(12))
        var environment = Self.environment(image: imageConfig?.env ?? [], request: request.environment, hostname: hostname)
        if request.terminal && !environment.contains(where: { $0.hasPrefix("TERM=") }) { environment.append("TERM=xterm") }

        var record = ContainerRecord(
            id: id, name: name, image: request.rootfsDirectory ?? image.map { "\($0.name):\($0.tag)" } ?? "", imageID: image?.id,
            command: command, created: UTCTimestamp.string(Date()), hostname: hostname, memoryBytes: request.memoryBytes,
            pidsMax: request.pidsMax, cpus: request.cpus, network: request.network.rawValue, address: nil,
            autoRemove: request.autoRemove)

        let directory = store.directory(of: id)
        let runRecord = RunRecord.begin(demo: "container")
        var made = Leftovers(runRecord: runRecord)
        do {
            try FileManager.default.createDirectory(at: store.root, withIntermediateDirectories: true)
            // Kept after a normal exit unless --rm, for `ctutor ps -a` and `ctutor logs`.
            if request.autoRemove { runRecord.add(.directory(path: directory.path)) }
            made.directory = directory
            guard mkdir(directory.path, 0o711) == 0 else { throw SyscallError(call: "mkdir \(directory.path)", errno: errno) }
            let rootfs = directory.appendingPathComponent("rootfs").path
            let upper = directory.appendingPathComponent("upper").path
            let work = directory.appendingPathComponent("work").path
            for path in [rootfs, upper, work] where mkdir(path, 0o755) != 0 {
                throw SyscallError(call: "mkdir \(path)", errno: errno)
            }
            if image != nil { try Self.writeIdentity(hostname: hostname, address: nil, upper: upper) }

            var config = OCISpec.docker(
                args: command, env: environment, cwd: request.workingDirectory ?? imageConfig?.workingDir.flatMap { $0.isEmpty ? nil : $0 } ?? "/",
                hostname: hostname, rootless: rootless, terminal: request.terminal, rootPath: request.rootfsDirectory ?? rootfs)
            for volume in request.volumes {
                guard FileManager.default.fileExists(atPath: volume.host) else {
                    throw ContainerError.invalid("--volume: \(volume.host) does not exist on this computer")
                }
                config.mounts.append(
                    OCISpec.Mount(destination: volume.container, type: "bind", source: volume.host, options: ["rbind"] + (volume.readonly ? ["ro"] : [])))
            }
            if let console = request.consolePath, request.terminal {
                config.mounts.append(OCISpec.Mount(destination: "/dev/console", type: "bind", source: console, options: ["bind"]))
            }
            let limits = ResourceLimits(memoryBytes: request.memoryBytes, pidsMax: request.pidsMax, cpus: request.cpus)
            if !limits.isEmpty { config.linux.resources = limits.ociResources }

            var launch = try config.launchSpec(
                rootfs: request.rootfsDirectory ?? rootfs,
                rootfsMount: image.map { image in
                    LaunchSpec.Mount(
                        type: "overlay", source: "overlay", target: rootfs,
                        data: "lowerdir=\(image.lowerDirectories.joined(separator: ":")),upperdir=\(upper),workdir=\(work)"
                            + (rootless ? ",userxattr" : ""))
                })
            if !record.autoRemove { try Self.writeConfig(config, to: directory) }

            var cgroup: ContainerCgroup?
            if !limits.isEmpty {
                // Recorded before the first mkdir: a run killed halfway leaves nothing unnamed.
                var planned: [String] = []
                let make = { () throws(CgroupError) in
                    try ContainerCgroup.create(name: "ctutor-\(record.shortID)", limits: limits) { directories in
                        planned = directories
                        runRecord.add(.cgroup(paths: directories))
                    }
                }
                let outcome = Result(catching: make)
                if case .failure = outcome { runRecord.remove(.cgroup(paths: planned)) }  // create took back what it made
                switch outcome {
                case .success(let created): cgroup = created
                case .failure(.refused(let reason, let remedy)): throw ContainerError.refused(reason: reason, remedy: remedy)
                case .failure(let error): throw ContainerError.failed("cgroup: \(error.description)")
                }
                made.cgroup = cgroup
                launch.cgroupProcsFiles = cgroup?.procsFiles ?? []
            }

            var attachment: BridgeAttachment?
            let process = try Self.launch(launch, record: runRecord, stdio: stdio) { pid in
                guard request.network == .bridge else { return [] }
                guard let state = StateDirectory.current else {
                    throw ContainerError.failed("no private state directory for the network's leases")
                }
                let configuration = try BridgeConfiguration.fromEnvironment(ProcessInfo.processInfo.environment).get()
                runRecord.add(.networkLease(containerID: id))
                let attached = try ContainerNetwork.attach(
                    containerPID: pid, containerID: id, configuration: configuration, stateDirectory: state)
                attachment = attached
                made.attachment = attached
                try Self.writeIdentity(hostname: hostname, address: "\(attached.address.address)", upper: upper)
                return [
                    Localized(
                        ko: "브리지 \(attached.bridge)에 veth \(attached.hostInterface) 연결, 컨테이너 안 eth0 = \(attached.address)",
                        en: "veth \(attached.hostInterface) plugged into bridge \(attached.bridge); eth0 inside = \(attached.address)")
                ]
            }
            record.status = .running
            record.pid = process.pid
            record.pidStart = ProcessStart.of(process.pid)
            record.startedAt = UTCTimestamp.string(Date())
            record.address = attachment.map { "\($0.address)" }
            // Written once, running: `ctutor ps` in another terminal sees it from here on.
            try store.write(record)
            let steps = Self.startSteps(image: image, cgroup: cgroup) + process.steps
            return Container(
                record: record, store: store, process: process, steps: steps, config: config, cgroup: cgroup,
                attachment: attachment, lowerDirectories: image?.lowerDirectories ?? [], runRecord: runRecord)
        } catch {
            made.release()
            throw error
        }
    }

    /// The launch, with a failed `execve` said as the command's own failure.
    private static func launch(
        _ spec: LaunchSpec, record: RunRecord, stdio: (Int32, Int32, Int32), beforeStart: @escaping (Int32) throws -> [Localized]
    ) throws -> LaunchedProcess {
        do {
            return try NamespaceLauncher.launch(spec, record: record, stdio: stdio, beforeStart: beforeStart)
        } catch ChildFailure.syscall(let error) where error.call.hasPrefix("execve") {
            throw ContainerError.cannotRun(error.description, notFound: error.errno == ENOENT)
        }
    }

    /// The image's environment, then the request's, a later `NAME=` replacing an earlier one.
    static func environment(image: [String], request: [String], hostname: String) -> [String] {
        var order: [String] = []
        var values: [String: String] = [:]
        for entry in ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=\(hostname)"] + image + request {
            let key = String(entry.prefix { $0 != "=" })
            if values[key] == nil { order.append(key) }
            values[key] = entry
        }
        return order.compactMap { values[$0] }
    }

    /// `/etc/hostname` and `/etc/hosts`, written into the upper layer before the
    /// container sees it (as Docker bind-mounts its own).
    static func writeIdentity(hostname: String, address: String?, upper: String) throws {
        let etc = upper + "/etc"
        if mkdir(etc, 0o755) != 0 && errno != EEXIST { throw SyscallError(call: "mkdir \(etc)", errno: errno) }
        var hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        if let address { hosts += "\(address)\t\(hostname)\n" }
        // Readable by the container's user, whoever config.json makes it.
        try StateDirectory.writeAtomically(Data((hostname + "\n").utf8), to: URL(fileURLWithPath: etc + "/hostname"), mode: 0o644)
        try StateDirectory.writeAtomically(Data(hosts.utf8), to: URL(fileURLWithPath: etc + "/hosts"), mode: 0o644)
    }

    /// Pretty and key-sorted, as plain JSON (this and the runtime's reading of it are
    /// a cold process's first JSON: see ``JSONValue``).
    static func writeConfig(_ config: OCISpec, to directory: URL) throws {
        try StateDirectory.writeAtomically(
            Data((config.json.serialized(pretty: true) + "\n").utf8), to: directory.appendingPathComponent("config.json"), mode: 0o644)
    }

    static func startSteps(image: StoredImage?, cgroup: ContainerCgroup?) -> [Localized] {
        var steps: [Localized] = []
        if let image {
            steps.append(
                Localized(
                    ko: "이미지 \(image.name):\(image.tag)의 레이어 \(image.layers.count)개 = overlay의 lowerdir, 컨테이너가 쓰는 것은 upperdir로",
                    en: "image \(image.name):\(image.tag): \(image.layers.count) layer(s) as the overlay's lowerdir; the container writes to upperdir"))
        }
        if let cgroup {
            steps.append(
                Localized(
                    ko: "cgroup \(cgroup.version.rawValue) \(cgroup.directories.first ?? "")에 제한을 쓰고, 런처가 unshare 전에 cgroup.procs에 들어감",
                    en: "limits written to cgroup \(cgroup.version.rawValue) \(cgroup.directories.first ?? ""); the launcher joins cgroup.procs before unsharing"))
        }
        return steps
    }
}

/// What a failed start made so far, taken down in reverse.
private struct Leftovers {
    let runRecord: RunRecord
    var directory: URL?
    var cgroup: ContainerCgroup?
    var attachment: BridgeAttachment?

    func release() {
        if let attachment, let state = StateDirectory.current, (try? ContainerNetwork.detach(attachment, stateDirectory: state)) != nil
        {
            runRecord.remove(.networkLease(containerID: attachment.containerID))
        }
        if let cgroup, (try? cgroup.remove()) != nil { runRecord.remove(.cgroup(paths: cgroup.directories)) }
        if let directory { try? ContainerStore.removeTree(directory.path) }
        if let directory, !FileManager.default.fileExists(atPath: directory.path) {
            runRecord.remove(.directory(path: directory.path))
        }
        if runRecord.resources.isEmpty { runRecord.finish() }
    }
}
