import Foundation
import TutorCore

#if os(Linux)
import CShim
import Glibc
#endif

/// Finds and releases what a killed ctutor run left behind, from the records runs
/// keep in the state directory (``RunRecord``). A record whose owner (PID and start
/// time) still runs belongs to a live run and is left alone. A recorded process is
/// killed only through a pidfd whose process still has the recorded start time, so
/// a PID the kernel has since given to another program is never touched.
public enum LeftoverSweep {
    /// A resource a dead run left, and whether it is gone.
    public struct Leftover: Equatable, Sendable {
        public var demo: String
        public var resource: RunRecord.Resource
        public var released: Bool
    }

    /// What a sweep found and did.
    public struct Result: Equatable, Sendable {
        public var found: [Leftover]
        /// Whether the leftovers were released, or only looked for.
        public var swept: Bool

        /// Leftovers still there: after a sweep (should be none), or all of them after a survey.
        public var remaining: [Leftover] { found.filter { !$0.released } }

        /// The result as a line of `ctutor doctor`.
        public var fact: MachineFact {
            let ok = remaining.isEmpty
            return MachineFact(
                id: "leftovers", label: Localized(ko: "남은 데모 자원", en: "Leftovers of demo runs"), value: summary,
                ok: ok,
                remedy: ok ? nil : Localized(ko: "ctutor doctor --cleanup을 실행해 정리하세요", en: "Run ctutor doctor --cleanup"))
        }

        public var summary: Localized {
            if found.isEmpty {
                return Localized(ko: "끝나지 않은 데모 실행의 흔적이 없습니다", en: "nothing left by an unfinished demo run")
            }
            let list = found.map { $0.resource.description }.joined(separator: ", ")
            if !swept {
                return Localized(
                    ko: "중단된 데모 실행이 남긴 자원 \(found.count)개: \(list)",
                    en: "\(found.count) resource(s) left by an interrupted demo run: \(list)")
            }
            if remaining.isEmpty {
                return Localized(ko: "남은 자원 \(found.count)개를 정리했습니다: \(list)", en: "released \(found.count) leftover(s): \(list)")
            }
            let left = remaining.map { $0.resource.description }.joined(separator: ", ")
            return Localized(ko: "정리하지 못한 자원: \(left)", en: "could not release: \(left)")
        }
    }

    /// Looks for leftovers; changes nothing.
    public static func survey() -> Result {
        Result(found: deadRuns().flatMap { _, contents in
            contents.resources.filter(stillThere).map { Leftover(demo: contents.demo, resource: $0, released: false) }
        }, swept: false)
    }

    /// Releases every leftover of every dead run and removes records left empty (and
    /// half-written ones a run was killed in the middle of writing).
    public static func sweep() -> Result {
        removeAbandonedTemporaryFiles()
        var found: [Leftover] = []
        for (file, contents) in deadRuns() {
            var remaining: [RunRecord.Resource] = []
            // Processes first: a mount or directory may be busy while they live.
            let ordered = contents.resources.filter(\.isProcess) + contents.resources.filter { !$0.isProcess }
            for resource in ordered where stillThere(resource) {
                let released = release(resource)
                found.append(Leftover(demo: contents.demo, resource: resource, released: released))
                if !released { remaining.append(resource) }
            }
            if remaining.isEmpty {
                unlink(file.path)
            }
        }
        // A bridge a killed run made before it recorded a lease.
        if let state = StateDirectory.current { _ = try? ContainerNetwork.sweep(stateDirectory: state) }
        return Result(found: found, swept: true)
    }

    /// `run-….record.tmp-PID` files whose writer is gone: a run killed between writing
    /// its record and renaming it into place.
    static func removeAbandonedTemporaryFiles() {
        guard let directory = StateDirectory.runs(),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return }
        for name in names {
            guard let dash = name.range(of: ".record.tmp-", options: .backwards), let writer = Int32(name[dash.upperBound...]),
                !ProcFS.exists(pid: writer)
            else { continue }
            unlink(directory.appendingPathComponent(name).path)
        }
    }

    /// Records whose owner no longer runs.
    static func deadRuns() -> [(URL, RunRecord.Contents)] {
        guard let directory = StateDirectory.runs(),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return [] }
        return names.sorted().filter { $0.hasSuffix(".record") }.compactMap { name in
            let file = directory.appendingPathComponent(name)
            guard let contents = RunRecord.read(file) else { return nil }
            let ownerAlive = ProcessStart.of(contents.ownerPID) == contents.ownerStart
            return ownerAlive ? nil : (file, contents)
        }
    }

    static func stillThere(_ resource: RunRecord.Resource) -> Bool {
        switch resource {
        case .process(let pid, let start):
            return ProcessStart.of(pid) == start
        case .directory(let path), .mount(let path):
            return FileManager.default.fileExists(atPath: path)
        case .cgroup(let paths):
            return paths.contains { FileManager.default.fileExists(atPath: $0) }
        case .messageQueue(let id):
            return MessageQueue.exists(id)
        case .networkLease(let id):
            return StateDirectory.current.map { ContainerNetwork.holdsLease(containerID: id, stateDirectory: $0) } ?? false
        }
    }

    static func release(_ resource: RunRecord.Resource) -> Bool {
        switch resource {
        case .process(let pid, let start):
            return kill(pid: pid, start: start)
        case .directory(let path):
            // A mount a killed run made inside its directory (the overlay the docker
            // daemon's manager puts on a bundle's rootfs) goes with it.
            releaseRuntimeState(in: path)
            for mountPoint in mounts(under: path) { umount2(mountPoint, Int32(MNT_DETACH)) }
            try? ContainerStore.removeTree(path)
        case .mount(let path):
            umount2(path, Int32(MNT_DETACH))
        case .messageQueue(let id):
            return MessageQueue.remove(id)
        case .cgroup(let paths):
            try? ContainerCgroup.remove(directories: paths)
        case .networkLease:
            // Reclaims every lease whose container is gone, and a bridge left unused.
            if let state = StateDirectory.current { _ = try? ContainerNetwork.sweep(stateDirectory: state) }
        }
        return !stillThere(resource)
    }

    /// Mount points strictly inside `directory` in this mount namespace, deepest first.
    static func mounts(under directory: String) -> [String] {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let entries = (try? ProcFS.readFile("/proc/self/mountinfo")).map(MountInfoEntry.parse) ?? []
        return entries.map(\.mountPoint).filter { $0.hasPrefix(prefix) }.sorted { $0.count > $1.count }
    }

    /// SIGKILL through a pidfd, after checking that the pidfd's process is the recorded one.
    static func kill(pid: Int32, start: UInt64) -> Bool {
        let fd = ctutor_pidfd_open(pid)
        guard fd >= 0 else { return ProcessStart.of(pid) != start }
        defer { close(fd) }
        // The pidfd pins this process: if its start time matches now, the signal reaches it.
        guard ProcessStart.of(pid) == start else { return true }
        _ = ctutor_pidfd_send_signal(fd, SIGKILL)
        var pending = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&pending, 1, 2000)
        // A zombie has let go of its namespaces; only its parent can reap it.
        for _ in 0..<200 {
            if ProcessStart.of(pid) != start || (try? ProcFS.status(pid: pid))?.isZombie == true { return true }
            usleep(10_000)
        }
        return false
    }
}

extension RunRecord.Resource: CustomStringConvertible {
    var isProcess: Bool {
        if case .process = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .process(let pid, _): "process \(pid)"
        case .directory(let path): "directory \(path)"
        case .mount(let path): "mount \(path)"
        case .messageQueue(let id): "message queue \(id)"
        case .cgroup(let paths): "cgroup \(paths.first ?? "")\(paths.count > 1 ? " (+\(paths.count - 1))" : "")"
        case .networkLease(let id): "bridge lease of container \(id.prefix(12))"
        }
    }
}
