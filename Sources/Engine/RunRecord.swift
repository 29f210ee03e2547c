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
    public enum Resource: Equatable, Sendable {
        /// A process, by host PID and `/proc/<pid>/stat` start time (clock ticks after boot),
        /// so a reused PID is never mistaken for it.
        case process(pid: Int32, start: UInt64)
        /// A temporary directory (removed whole).
        case directory(path: String)
        /// A mount point on the host (detached with `umount2(MNT_DETACH)`).
        case mount(path: String)
        /// A System V message queue in the host's IPC namespace (`msgctl(IPC_RMID)`).
        case messageQueue(id: Int32)
        /// A container's cgroup directories, one per hierarchy, emptied and removed together.
        case cgroup(paths: [String])
        /// A container's address on the bridge (its host veth; the bridge too when no
        /// other container holds a lease), by container id.
        case networkLease(containerID: String)
    }

    /// A record on disk is a few lines, written on every change while a demo runs, so
    /// it is plain text rather than JSON (JSONEncoder's first use costs more than the demo):
    /// `ctutor-run 1`, `demo ID`, `owner PID START`, then one line per resource
    /// (`process PID START`, `directory PATH`, `mount PATH`, `queue ID`, `cgroup PATH…`, `lease ID`).
    struct Contents: Equatable {
        var demo: String
        var ownerPID: Int32
        var ownerStart: UInt64
        var resources: [Resource]

        var text: String {
            var lines = ["ctutor-run 1", "demo \(demo)", "owner \(ownerPID) \(ownerStart)"]
            for resource in resources {
                switch resource {
                case .process(let pid, let start): lines.append("process \(pid) \(start)")
                case .directory(let path): lines.append("directory \(path)")
                case .mount(let path): lines.append("mount \(path)")
                case .messageQueue(let id): lines.append("queue \(id)")
                case .cgroup(let paths): lines.append("cgroup " + paths.joined(separator: " "))
                case .networkLease(let id): lines.append("lease \(id)")
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }

        init(demo: String, ownerPID: Int32, ownerStart: UInt64, resources: [Resource]) {
            self.demo = demo
            self.ownerPID = ownerPID
            self.ownerStart = ownerStart
            self.resources = resources
        }

        /// Parses `text`; `nil` for anything that is not a whole record.
        init?(text: String) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            guard lines.count >= 3, lines[0] == "ctutor-run 1", lines[1].hasPrefix("demo ") else { return nil }
            let owner = lines[2].split(separator: " ")
            guard owner.count == 3, owner[0] == "owner", let pid = Int32(owner[1]), let start = UInt64(owner[2]) else { return nil }
            var resources: [Resource] = []
            for line in lines.dropFirst(3) {
                let word = line.prefix { $0 != " " }
                let rest = String(line.dropFirst(word.count + 1))
                let numbers = rest.split(separator: " ")
                switch word {
                case "process":
                    guard numbers.count == 2, let pid = Int32(numbers[0]), let start = UInt64(numbers[1]) else { return nil }
                    resources.append(.process(pid: pid, start: start))
                case "directory" where rest.hasPrefix("/"): resources.append(.directory(path: rest))
                case "mount" where rest.hasPrefix("/"): resources.append(.mount(path: rest))
                case "cgroup" where numbers.allSatisfy({ $0.hasPrefix("/sys/fs/cgroup/") }) && !numbers.isEmpty:
                    resources.append(.cgroup(paths: numbers.map(String.init)))
                case "lease" where BridgeAttachment.isValidContainerID(rest): resources.append(.networkLease(containerID: rest))
                case "queue":
                    guard let id = Int32(rest) else { return nil }
                    resources.append(.messageQueue(id: id))
                default: return nil
                }
            }
            self.init(demo: String(lines[1].dropFirst(5)), ownerPID: pid, ownerStart: start, resources: resources)
        }
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
        let name = "run-\(me)-\(UInt32.random(in: 0...UInt32.max)).record"
        let file = StateDirectory.runs().map { $0.appendingPathComponent(name) }
        // Written with its first resource: a run that makes nothing leaves no file.
        return RunRecord(contents: contents, file: file)
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
        let text = lock.withLock { contents.text }
        try? StateDirectory.writeAtomically(Data(text.utf8), to: file)
    }

    /// Reads a record file; `nil` when it is not one.
    static func read(_ file: URL) -> Contents? {
        guard let data = try? StateDirectory.readFile(file) else { return nil }
        return Contents(text: String(decoding: data, as: UTF8.self))
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
