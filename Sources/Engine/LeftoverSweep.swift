import Foundation
import TutorCore

#if os(Linux)
import CShim
import Glibc
#endif

/// Finds and removes what a crashed ctutor run could have left: a demo child
/// (named `ctutor-demo`, in a UTS namespace other than ours) whose parent is no
/// longer the program that cloned it. A clone shares its parent's executable, so a
/// live demo's child and its parent have the same `/proc/<pid>/exe`; an orphan
/// reparented to init or a subreaper does not. A demo child normally dies with its
/// parent (`PR_SET_PDEATHSIG`) or when its sync socket closes: this is a safety net.
public enum LeftoverSweep {
    #if os(Linux)
    private static let childName = String(cString: CTUTOR_NS_CHILD_NAME)
    #endif

    /// A process that looks left behind.
    public struct Leftover: Equatable, Sendable {
        public var pid: Int32
        public var parentPID: Int32
        public var uts: String
    }

    /// What a sweep found and did.
    public struct Result: Equatable, Sendable {
        public var found: [Leftover]
        /// PIDs still present: after a sweep (should be none), or all of them after a survey.
        public var remaining: [Int32]
        /// Whether the leftovers were killed, or only looked for.
        public var swept: Bool

        /// The result as a line of `ctutor doctor`.
        public var fact: MachineFact {
            let ok = remaining.isEmpty
            return MachineFact(
                id: "leftovers", label: Localized(ko: "남은 데모 프로세스", en: "Leftover demo processes"), value: summary, ok: ok,
                remedy: ok ? nil : Localized(ko: "ctutor doctor --cleanup 으로 정리하세요", en: "Run ctutor doctor --cleanup"))
        }

        public var summary: Localized {
            if found.isEmpty {
                return Localized(ko: "남은 데모 프로세스가 없습니다", en: "no leftover demo processes")
            }
            let pids = found.map { "\($0.pid)" }.joined(separator: ", ")
            if !swept {
                return Localized(
                    ko: "부모 ctutor를 잃은 데모 프로세스 \(found.count)개(PID \(pids))",
                    en: "\(found.count) leftover demo process(es) that lost their ctutor parent (PID \(pids))")
            }
            if remaining.isEmpty {
                return Localized(
                    ko: "남아 있던 데모 프로세스 \(found.count)개(PID \(pids))를 SIGKILL로 정리했습니다",
                    en: "removed \(found.count) leftover demo process(es) with SIGKILL (PID \(pids))")
            }
            let left = remaining.map(String.init).joined(separator: ", ")
            return Localized(
                ko: "데모 프로세스를 정리하지 못했습니다: PID \(left)", en: "could not remove demo process(es): PID \(left)")
        }
    }

    /// Looks for leftovers; changes nothing.
    public static func survey() -> Result {
        let found = find()
        return Result(found: found, remaining: found.map(\.pid), swept: false)
    }

    /// The leftovers on this machine now.
    static func find() -> [Leftover] {
        #if os(Linux)
        guard let ours = try? ProcFS.namespace(.uts).description,
            let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc")
        else { return [] }
        return entries.compactMap { Int32($0) }.sorted().compactMap { pid -> Leftover? in
            guard comm(pid) == childName,
                let uts = try? ProcFS.namespace(.uts, pid: pid).description, uts != ours,
                let parent = (try? ProcFS.status(pid: pid))?.parentPID
            else { return nil }
            let ownExe = try? ProcFS.readLink("/proc/\(pid)/exe")
            let parentExe = try? ProcFS.readLink("/proc/\(parent)/exe")
            return ownExe != nil && ownExe == parentExe ? nil : Leftover(pid: pid, parentPID: parent, uts: uts)
        }
        #else
        return []
        #endif
    }

    /// Kills every leftover with SIGKILL and checks that it is gone.
    public static func sweep() -> Result {
        let found = find()
        #if os(Linux)
        for leftover in found { kill(leftover.pid, SIGKILL) }
        var remaining = found.map(\.pid)
        for _ in 0..<100 where !remaining.isEmpty {
            usleep(10_000)
            // A zombie has let go of its namespaces; only its parent can reap it.
            remaining = remaining.filter { pid in
                comm(pid) == childName && (try? ProcFS.status(pid: pid))?.isZombie == false
            }
        }
        return Result(found: found, remaining: remaining, swept: true)
        #else
        return Result(found: found, remaining: [], swept: true)
        #endif
    }

    private static func comm(_ pid: Int32) -> String? {
        (try? ProcFS.readFile("/proc/\(pid)/comm"))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
