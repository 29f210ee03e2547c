import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// containerd's role, inside the daemon: images, and every container's lifecycle as
/// an OCI bundle run by one shim each (which runs `ctutor runtime`, the runc of this
/// chain). Its state is a directory:
///
///     containers/<id>/container.json   the record (``ManagedContainer``)
///     containers/<id>/bundle/          config.json, and rootfs: the image's overlay snapshot
///     containers/<id>/upper, work      the snapshot's writable layer
///     containers/<id>/container.log    the shim's log, stdout and stderr kept apart
///     rt/<id>/                         the runtime's state; the shim's shim.json, shim.sock, exit.json
///
/// The network is `none` (a loopback in the container's own network namespace).
/// Containers run only as root: the snapshot is an overlay mounted on the host.
public final class Containerd: @unchecked Sendable {
    public let root: String
    public let images: ImageStore
    public let runtimeRoot: RuntimeRoot
    /// Guards the records on disk and ``changed``.
    let lock = NSCondition()
    /// Shims this process started, reaped after their delete.
    var shimChildren: Set<Int32> = []
    /// The exit status of containers removed on exit, for a `wait` that outlives them.
    var lastExits: [String: Int32] = [:]
    /// The records as last decoded: every request looks containers up, and decoding
    /// each `container.json` again was most of the daemon's own CPU per `docker run`.
    let records = DecodedFileCache<ManagedContainer?>()

    public init(root: String, images: ImageStore) {
        self.root = root
        self.images = images
        // Short: a socket path (runtime/<64-hex id>/shim.sock) must fit in 107 bytes.
        self.runtimeRoot = RuntimeRoot(path: root + "/rt")
    }

    var containersDirectory: String { root + "/containers" }
    func directory(of id: String) -> String { containersDirectory + "/" + id }
    func bundle(of id: String) -> String { directory(of: id) + "/bundle" }
    public func logFile(of id: String) -> String { directory(of: id) + "/container.log" }

    /// What a create asks for (Docker's `containers/create` body, the fields ctutor runs).
    public struct CreateRequest: Sendable {
        /// As the client gave it (`busybox`, `docker.io/library/busybox:latest`).
        public var image: String
        public var cmd: [String]?
        public var entrypoint: [String]?
        public var env: [String] = []
        public var workingDir: String?
        public var hostname: String?
        public var name: String?
        public var autoRemove = false

        public init(image: String) {
            self.image = image
        }
    }

    /// Every container, oldest first.
    public func list() -> [ManagedContainer] {
        lock.lock()
        defer { lock.unlock() }
        return unlockedList()
    }

    func unlockedList() -> [ManagedContainer] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: containersDirectory)) ?? []
        return ids.compactMap(read).sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    func read(_ id: String) -> ManagedContainer? {
        guard RuntimeRoot.isValidID(id) else { return nil }
        let path = recordFile(of: id)
        return records.value(at: path) {
            FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(ManagedContainer.self, from: $0) }
        }
    }

    func recordFile(of id: String) -> String { directory(of: id) + "/container.json" }

    func write(_ container: ManagedContainer) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try StateDirectory.writeAtomically(
            try encoder.encode(container), to: URL(fileURLWithPath: recordFile(of: container.id)))
    }

    /// The container a reference names, as Docker finds it: its full id, its name (with
    /// or without `/`), or a unique id prefix.
    public func lookup(_ reference: String) throws(ContainerdError) -> ManagedContainer {
        let all = list()
        let name = reference.hasPrefix("/") ? String(reference.dropFirst()) : reference
        if let found = all.first(where: { $0.id == reference || $0.name == name }) { return found }
        let prefixed = reference.isEmpty ? [] : all.filter { $0.id.hasPrefix(reference) }
        guard prefixed.count <= 1 else { throw .invalid("multiple containers found with id prefix \(reference): be more precise") }
        guard let only = prefixed.first else { throw .noSuchContainer(reference) }
        return only
    }

    /// Makes the container: the record, the bundle's `config.json` from Docker's
    /// defaults and the image's settings, and the snapshot's directories (mounted at
    /// start). Nothing runs yet.
    public func create(_ request: CreateRequest) throws(ContainerdError) -> ManagedContainer {
        guard geteuid() == 0 else {
            throw .failed(
                "ctutor daemon runs containers only as root (it mounts each container's overlay snapshot on the host); "
                    + "ctutor run --rootless runs one without root")
        }
        // A container created is most often started next (docker run does both), and
        // its start waits for a grace period (``CgroupGracePeriod``): begin it now.
        CgroupGracePeriod.startEarly()
        let image: StoredImage
        do {
            image = try images.resolve(Self.localReference(request.image, tag: nil))
        } catch {
            throw .noSuchImage(Self.localReference(request.image, tag: nil))
        }
        let entrypoint = request.entrypoint ?? image.config.entrypoint ?? []
        let cmd = request.cmd ?? (request.entrypoint == nil ? image.config.cmd ?? [] : [])
        let command = entrypoint + cmd
        guard let program = command.first else { throw .invalid("no command specified") }
        lock.lock()
        defer { lock.unlock() }
        let existing = unlockedList()
        if let name = request.name {
            guard name.range(of: #"^/?[A-Za-z0-9][A-Za-z0-9_.-]*$"#, options: .regularExpression) != nil else {
                throw .invalid("Invalid container name (\(name)), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
            }
        }
        let name =
            request.name.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
            ?? ContainerStore.newName(avoiding: Set(existing.map(\.name)))
        if let other = existing.first(where: { $0.name == name }) {
            throw .conflict(
                "Conflict. The container name \"/\(name)\" is already in use by container \"\(other.id)\". "
                    + "You have to remove (or rename) that container to be able to reuse that name.")
        }
        let id = ContainerStore.newID()
        let hostname = request.hostname.flatMap { $0.isEmpty ? nil : $0 } ?? String(id.prefix(12))
        let container = ManagedContainer(
            id: id, name: name, image: request.image, imageID: image.id, path: program, args: Array(command.dropFirst()), cmd: cmd,
            entrypoint: request.entrypoint ?? image.config.entrypoint,
            env: Container.environment(image: image.config.env, request: request.env, hostname: hostname),
            workingDir: request.workingDir.flatMap { $0.isEmpty ? nil : $0 } ?? image.config.workingDir.flatMap { $0.isEmpty ? nil : $0 }
                ?? "/",
            hostname: hostname, created: UTCTimestamp.string(Date()), autoRemove: request.autoRemove)
        let directory = directory(of: id)
        do {
            for path in [
                containersDirectory, directory, bundle(of: id), bundle(of: id) + "/rootfs", directory + "/upper", directory + "/work",
            ] {
                try FileManager.default.createDirectory(
                    atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
            }
            try Container.writeIdentity(hostname: hostname, address: nil, upper: directory + "/upper")
            let config = OCISpec.docker(
                args: command, env: container.env, cwd: container.workingDir, hostname: hostname, rootless: false, rootPath: "rootfs")
            try Container.writeConfig(config, to: URL(fileURLWithPath: bundle(of: id)))
            try StateDirectory.writeAtomically(Data(), to: URL(fileURLWithPath: logFile(of: id)))
            try write(container)
        } catch {
            try? ContainerStore.removeTree(directory)
            throw .failed("create \(id): \(error)")
        }
        return container
    }

    /// Mounts the image's layers, read-only, under the container's writable layer at
    /// `bundle/rootfs` (containerd's overlay snapshot), unless mounted already.
    func mountSnapshot(of container: ManagedContainer) throws(ContainerdError) {
        let target = bundle(of: container.id) + "/rootfs"
        if isMounted(target) { return }
        let image: StoredImage
        do {
            image = try images.resolve(container.imageID)
        } catch {
            throw .noSuchImage(container.image)
        }
        let upper = directory(of: container.id) + "/upper"
        let work = directory(of: container.id) + "/work"
        let data = "lowerdir=\(image.lowerDirectories.joined(separator: ":")),upperdir=\(upper),workdir=\(work)"
        // A container removed when it exits never needs its writes on the disk:
        // `volatile` (Linux 5.10) skips overlayfs's syncs of the upper layer, which at
        // the unmount flushed the whole upper filesystem while `docker run --rm` waited.
        // A kernel without it says EINVAL, and the mount is made without.
        if container.autoRemove, mount("overlay", target, "overlay", 0, data + ",volatile") == 0 { return }
        guard mount("overlay", target, "overlay", 0, data) == 0 else {
            throw .failed(SyscallError(call: "mount overlay \(target)", errno: errno).description)
        }
    }

    /// Until nothing is mounted there (`umount2` says EINVAL on a plain directory).
    func unmountSnapshot(of id: String) {
        let target = bundle(of: id) + "/rootfs"
        while umount2(target, Int32(MNT_DETACH)) == 0 {}
    }

    /// Whether `path` is a mount point: an overlay is a filesystem of its own, so its
    /// root has another device than the directory above it. (Reading and parsing
    /// mountinfo for this was a millisecond of every start.)
    func isMounted(_ path: String) -> Bool {
        var here = stat()
        var above = stat()
        guard stat(path, &here) == 0, stat(path + "/..", &above) == 0 else { return false }
        return here.st_dev != above.st_dev
    }
}
