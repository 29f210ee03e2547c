import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// What one demo run made, written to a per-user state directory while the run
/// lives (as runc keeps a state dir), so that `ctutor doctor --cleanup` can release
/// exactly what a killed run left behind — never guessing from process names.
///
/// A record names its owner (this process, by PID and start time); a record whose
/// owner is gone belongs to a run that did not finish.
public final class RunRecord: @unchecked Sendable {
    /// A thing a run made that outlives nothing but the run.
    public enum Resource: Codable, Equatable, Sendable {
        /// A process, by host PID and `/proc/<pid>/stat` start time (clock ticks after boot),
        /// so a reused PID is never mistaken for it.
        case process(pid: Int32, start: UInt64)
        /// A temporary directory (removed whole).
        case directory(path: String)
        /// A mount point on the host (detached with `umount2(MNT_DETACH)`).
        case mount(path: String)
        /// A System V message queue in the host's IPC namespace (`msgctl(IPC_RMID)`).
        case messageQueue(id: Int32)
    }

    struct Contents: Codable, Equatable {
        var demo: String
        var ownerPID: Int32
        var ownerStart: UInt64
        var resources: [Resource]
    }

    private let lock = NSLock()
    private var contents: Contents
    /// Where the record is kept; `nil` when the state directory cannot be used (the run
    /// goes on, and only its own cleanup protects the host).
    public let file: URL?

    private init(contents: Contents, file: URL?) {
        self.contents = contents
        self.file = file
    }

    /// Starts the record of a run of `demo`.
    public static func begin(demo: String) -> RunRecord {
        let me = getpid()
        let contents = Contents(demo: demo, ownerPID: me, ownerStart: ProcessStart.of(me) ?? 0, resources: [])
        let name = "run-\(me)-\(UUID().uuidString.prefix(8)).json"
        let file = StateDirectory.runs().map { $0.appendingPathComponent(name) }
        let record = RunRecord(contents: contents, file: file)
        record.save()
        return record
    }

    /// The resources recorded now.
    public var resources: [Resource] {
        lock.withLock { contents.resources }
    }

    /// Records a resource before (or as soon as) it exists.
    public func add(_ resource: Resource) {
        lock.withLock { contents.resources.append(resource) }
        save()
    }

    /// Records a process by PID, with its start time read now.
    public func addProcess(_ pid: Int32) {
        add(.process(pid: pid, start: ProcessStart.of(pid) ?? 0))
    }

    /// Forgets a resource that has been released.
    public func remove(_ resource: Resource) {
        lock.withLock { contents.resources.removeAll { $0 == resource } }
        save()
    }

    /// Forgets a process that has been reaped.
    public func removeProcess(_ pid: Int32) {
        lock.withLock {
            contents.resources.removeAll {
                if case .process(pid, _) = $0 { return true }
                return false
            }
        }
        save()
    }

    /// The run is over: its record goes.
    public func finish() {
        guard let file else { return }
        unlink(file.path)
    }

    private func save() {
        guard let file else { return }
        let data = lock.withLock { try? JSONEncoder().encode(contents) }
        guard let data else { return }
        try? StateDirectory.writeAtomically(data, to: file)
    }

    /// Reads a record file; `nil` when it is not one.
    static func read(_ file: URL) -> Contents? {
        guard let data = try? StateDirectory.readFile(file) else { return nil }
        return try? JSONDecoder().decode(Contents.self, from: data)
    }
}

/// When a process started, from field 22 of `/proc/<pid>/stat`.
enum ProcessStart {
    static func of(_ pid: Int32) -> UInt64? {
        guard let stat = try? ProcFS.readFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm)" the fields are numbered from 3 (state); starttime is field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }
}
