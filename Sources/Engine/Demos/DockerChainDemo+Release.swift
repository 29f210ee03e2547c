import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

extension DockerChain {
    /// Takes everything down, whatever state the run stopped in: the container through
    /// a daemon (started again if it was stopped), then the daemon; if that fails, the
    /// container's processes, runtime state and snapshot directly; then the directory.
    func release() -> [CleanupItem] {
        var items: [CleanupItem] = []
        if let id = containerID {
            if daemonPID == 0 { _ = try? startDaemon() }
            let removed = (try? client.request("DELETE", "/containers/\(id)?force=1")).map { [204, 404].contains($0.status) } ?? false
            if !removed { forceRemove(id) }
            let gone = Self.process(initPID) == nil && Self.process(shimPID) == nil
            items.append(
                CleanupItem(
                    Localized(
                        ko: "컨테이너 \(id.prefix(12)) (init PID \(initPID), shim PID \(shimPID)), cgroup, overlay 마운트",
                        en: "container \(id.prefix(12)) (init PID \(initPID), shim PID \(shimPID)), its cgroup and overlay mount"),
                    released: gone && !hasMounts && cgroupsOf(id).isEmpty))
        }
        let daemon = daemonPID
        stopDaemon()
        if daemon > 0 {
            items.append(
                CleanupItem(
                    Localized(ko: "ctutor daemon (PID \(daemon))", en: "ctutor daemon (PID \(daemon))"),
                    released: Self.process(daemon) == nil))
        }
        try? ContainerStore.removeTree(directory)
        let removed = access(directory, F_OK) != 0
        if removed { runRecord.remove(.directory(path: directory)) }
        items.append(
            CleanupItem(
                Localized(ko: "데몬 상태 디렉터리와 소켓 \(directory)", en: "the daemon's state directory and socket \(directory)"), released: removed)
        )
        if runRecord.resources.isEmpty { runRecord.finish() }
        return items
    }

    /// Without a daemon to ask: kill the init and the shim, let the runtime delete its
    /// state and cgroup, unmount the snapshot.
    private func forceRemove(_ id: String) {
        for pid in [initPID, shimPID] where pid > 0 && Self.process(pid) != nil { kill(pid, SIGKILL) }
        _ = LaunchedProcess.exits(initPID, within: .seconds(2))
        _ = try? ShimSpawn.runtime(["delete", "--force", id], root: RuntimeRoot(path: root + "/rt"))
        let rootfs = root + "/containers/\(id)/bundle/rootfs"
        while hasMounts, umount2(rootfs, Int32(MNT_DETACH)) == 0 {}
    }

    var hasMounts: Bool {
        ((try? ProcFS.readFile("/proc/self/mountinfo")) ?? "").contains(directory)
    }

    func cgroupsOf(_ id: String) -> [String] {
        let hierarchies = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []
        return (["/sys/fs/cgroup/ctutor/\(id)"] + hierarchies.map { "/sys/fs/cgroup/\($0)/ctutor/\(id)" }).filter {
            FileManager.default.fileExists(atPath: $0)
        }
    }
}
