import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// The Docker Engine API's objects, built from the manager's records: the fields the
/// Docker CLI reads, in its names and formats.
enum DockerJSON {
    /// Docker's zero time, for a container that never started or finished.
    static let zeroTime = "0001-01-01T00:00:00Z"

    static func host() -> Uname {
        (try? Uname.current()) ?? Uname(system: "Linux", node: "", release: "", machine: "")
    }

    static func isSet(_ value: Any?) -> Bool {
        switch value {
        case nil, is NSNull: false
        case let number as NSNumber: number.doubleValue != 0
        case let text as String: !text.isEmpty
        case let list as [Any]: !list.isEmpty
        case let object as [String: Any]: !object.isEmpty
        default: true
        }
    }

    /// The daemon's own times are `UTCTimestamp`s, read by arithmetic: an
    /// `ISO8601DateFormatter` per container (each one an ICU formatter made and torn
    /// down) was half of a `docker ps -a` with sixty containers.
    static func unixSeconds(_ rfc3339: String?) -> Int {
        guard let rfc3339, let date = UTCTimestamp.date(rfc3339) ?? ISO8601DateFormatter().date(from: rfc3339) else { return 0 }
        return Int(date.timeIntervalSince1970)
    }

    static func version() -> [String: Any] {
        let uname = host()
        let engine: [String: Any] = [
            "Version": "0.1.0", "ApiVersion": DockerAPI.apiVersion, "MinAPIVersion": DockerAPI.minimumAPIVersion,
            "GitCommit": "ctutor", "GoVersion": "none (Swift)", "Os": "linux", "Arch": dockerArch(uname.machine),
            "KernelVersion": uname.release, "BuildTime": "",
        ]
        return engine.merging([
            "Platform": ["Name": "ctutor daemon (a teaching subset of the Docker Engine API)"],
            "Components": [["Name": "Engine", "Version": "0.1.0", "Details": engine]],
        ]) { first, _ in first }
    }

    static func dockerArch(_ machine: String) -> String {
        ["x86_64": "amd64", "aarch64": "arm64"][machine] ?? machine
    }

    static func info(_ containerd: Containerd) -> [String: Any] {
        let containers = containerd.list().map { containerd.status(of: $0).phase }
        let uname = host()
        return [
            "ID": "ctutor", "Name": uname.node, "Containers": containers.count,
            "ContainersRunning": containers.filter { $0 == .running }.count, "ContainersPaused": 0,
            "ContainersStopped": containers.filter { $0 != .running }.count, "Images": ((try? containerd.images.list()) ?? []).count,
            "Driver": "overlay", "DriverStatus": [["Snapshots", containerd.root + "/containers"]], "DockerRootDir": containerd.root,
            "OperatingSystem": "ctutor daemon on Linux", "OSType": "linux", "KernelVersion": uname.release,
            "Architecture": uname.machine, "NCPU": max(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 1),
            "MemTotal": Int(sysconf(Int32(_SC_PHYS_PAGES))) * Int(sysconf(Int32(_SC_PAGESIZE))), "ServerVersion": "0.1.0",
            "CgroupDriver": "cgroupfs", "CgroupVersion": (try? ProcFS.readFile("/sys/fs/cgroup/cgroup.controllers")) != nil ? "2" : "1",
            "DefaultRuntime": "ctutor-runtime", "Runtimes": ["ctutor-runtime": ["path": OwnBinary.path ?? "ctutor"]],
            "LoggingDriver": "ctutor-shim", "SecurityOptions": [String](),
            "Plugins": ["Volume": [String](), "Network": ["none"], "Log": ["ctutor-shim"]],
            "Swarm": ["LocalNodeState": "inactive", "NodeID": "", "NodeAddr": "", "ControlAvailable": false],
            "IndexServerAddress": "", "RegistryConfig": ["IndexConfigs": [String: Any](), "InsecureRegistryCIDRs": [String]()],
            "Labels": [String](), "ExperimentalBuild": false,
            "Warnings": ["ctutor daemon: no registry (pull resolves the local image store), network none"],
        ]
    }

    static func imageSummary(_ image: StoredImage) -> [String: Any] {
        [
            "Id": image.id, "ParentId": "", "RepoTags": [image.reference], "RepoDigests": [String](),
            "Created": unixSeconds(image.created), "Size": image.size, "SharedSize": -1, "VirtualSize": image.size,
            "Labels": [String: String](), "Containers": -1,
        ]
    }

    static func imageInspect(_ image: StoredImage) -> [String: Any] {
        [
            "Id": image.id, "RepoTags": [image.reference], "RepoDigests": [String](), "Created": image.created ?? zeroTime,
            "Size": image.size, "Os": "linux", "Architecture": dockerArch(host().machine),
            "Config": [
                "Cmd": image.config.cmd as Any, "Entrypoint": image.config.entrypoint as Any, "Env": image.config.env,
                "WorkingDir": image.config.workingDir ?? "",
            ],
            "RootFS": ["Type": "layers", "Layers": image.layers.map(\.diffID)],
        ]
    }

    static func command(_ container: ManagedContainer) -> String {
        ([container.path] + container.args).joined(separator: " ")
    }

    static func stateText(_ status: ContainerStatus, created: String) -> String {
        switch status.phase {
        case .created: return "Created"
        case .running: return "Up \(ago(status.startedAt))"
        case .exited: return "Exited (\(status.exitCode)) \(ago(status.finishedAt)) ago"
        }
    }

    /// `3 seconds`, `5 minutes`, as `docker ps` says how long.
    static func ago(_ rfc3339: String?) -> String {
        let seconds = max(0, Int(Date().timeIntervalSince1970) - unixSeconds(rfc3339))
        if seconds < 1 { return "Less than a second" }
        if seconds < 60 { return "\(seconds) second\(seconds == 1 ? "" : "s")" }
        if seconds < 3600 { return "\(seconds / 60) minute\(seconds / 60 == 1 ? "" : "s")" }
        return "\(seconds / 3600) hour\(seconds / 3600 == 1 ? "" : "s")"
    }

    static func containerSummary(_ container: ManagedContainer, _ status: ContainerStatus) -> [String: Any] {
        [
            "Id": container.id, "Names": ["/" + container.name], "Image": container.image, "ImageID": container.imageID,
            "Command": command(container), "Created": unixSeconds(container.created), "Ports": [Any](),
            "Labels": [String: String](), "State": status.phase.rawValue, "Status": stateText(status, created: container.created),
            "HostConfig": ["NetworkMode": "none"], "NetworkSettings": ["Networks": [String: Any]()], "Mounts": [Any](),
        ]
    }

    static func inspect(_ container: ManagedContainer, _ status: ContainerStatus, containerd: Containerd) -> [String: Any] {
        let directory = containerd.directory(of: container.id)
        return [
            "Id": container.id, "Created": container.created, "Path": container.path, "Args": container.args,
            "State": [
                "Status": status.phase.rawValue, "Running": status.isRunning, "Paused": false, "Restarting": false,
                "OOMKilled": false, "Dead": false, "Pid": Int(status.pid), "ExitCode": Int(status.exitCode), "Error": "",
                "StartedAt": status.startedAt ?? zeroTime, "FinishedAt": status.finishedAt ?? zeroTime,
            ],
            "Image": container.imageID, "Name": "/" + container.name, "RestartCount": 0, "Driver": "overlay", "Platform": "linux",
            "LogPath": containerd.logFile(of: container.id), "HostnamePath": directory + "/upper/etc/hostname",
            "HostConfig": [
                "AutoRemove": container.autoRemove, "NetworkMode": "none",
                "LogConfig": ["Type": "ctutor-shim", "Config": [String: String]()],
            ],
            "Config": [
                "Hostname": container.hostname, "Image": container.image, "Cmd": container.cmd,
                "Entrypoint": container.entrypoint as Any, "Env": container.env, "WorkingDir": container.workingDir, "Tty": false,
                "OpenStdin": false, "AttachStdin": false, "AttachStdout": true, "AttachStderr": true, "Labels": [String: String](),
            ],
            "GraphDriver": [
                "Name": "overlay",
                "Data": [
                    "MergedDir": containerd.bundle(of: container.id) + "/rootfs", "UpperDir": directory + "/upper",
                    "WorkDir": directory + "/work",
                ],
            ],
            "NetworkSettings": [
                "Networks": [String: Any](), "IPAddress": "", "Ports": [String: Any](),
                "SandboxKey": status.pid > 0 ? "/proc/\(status.pid)/ns/net" : "",
            ],
            "Mounts": [Any](),
        ]
    }
}
