import CShim
import TutorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Empties a container's cgroups of every process and removes them.
///
/// A fork bomb keeps forking while its processes are killed one by one, so each
/// round first stops the whole group where the kernel can: v2 `cgroup.kill` kills
/// every process of the subtree at once, forks in flight included; otherwise the
/// freezer (v2 `cgroup.freeze`, v1 `freezer.state`) holds them still while each
/// listed one gets `SIGKILL`. Rounds repeat until `rmdir` succeeds.
enum CgroupRemoval {
    /// How long removal keeps killing and retrying `rmdir` before it gives up.
    static let patience: Duration = .seconds(10)

    static func remove(directories: [String]) throws(CgroupError) {
        for directory in directories { try checkRemovable(directory) }
        let present = directories.filter(CgroupFS.exists)
        // One container's v1 directories are emptied together: its processes are in each.
        let v1 = present.filter { CgroupFS.magic($0) == CgroupFS.cgroup1Magic }
        if !v1.isEmpty { try empty(v1) }
        for directory in present where !v1.contains(directory) { try empty([directory]) }
        // The shared `ctutor` parent goes when no other container is left in it — only
        // on a cgroup filesystem, never an empty directory that merely has the name.
        for parent in Set(directories.map(parent)) where isCgroup(parent) { _ = CgroupFS.removeDirectory(parent) }
    }

    /// Only `…/ctutor/<name>` on a cgroup filesystem: a record read back from disk
    /// must not make root kill the processes of some other cgroup.
    private static func checkRemovable(_ directory: String) throws(CgroupError) {
        let components = directory.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let wellFormed =
            directory.hasPrefix("/") && components.count >= 3
            && components.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
            && components.dropLast().last == "ctutor" && ContainerCgroup.isValidName(String(components.last ?? ""))
        guard wellFormed, !CgroupFS.exists(directory) || isCgroup(directory) else {
            throw .invalid(
                Localized(
                    ko: "\(KoreanParticle.eunNeun.attached(to: directory)) ctutor가 만든 cgroup 경로(…/ctutor/이름)가 아닙니다",
                    en: "\(directory) is not a cgroup path ctutor makes (…/ctutor/NAME)"))
        }
    }

    private static func isCgroup(_ path: String) -> Bool {
        let magic = CgroupFS.magic(path)
        return magic == CgroupFS.cgroup1Magic || magic == CgroupFS.cgroup2Magic
    }

    private static func parent(_ directory: String) -> String {
        String(directory[..<(directory.lastIndex(of: "/") ?? directory.endIndex)])
    }

    /// Kills what is in `directories` and below, and removes them, deepest first.
    private static func empty(_ directories: [String]) throws(CgroupError) {
        let clock = ContinuousClock()
        let deadline = clock.now + patience
        while true {
            let tree = directories.flatMap(subtree)
            let procsFiles = tree.map { $0 + "/cgroup.procs" }
            if !procsFiles.flatMap(CgroupFS.pids).isEmpty { stopAndKill(directories, procsFiles: procsFiles) }
            var busy: SyscallError?
            for directory in tree {
                let code = CgroupFS.removeDirectory(directory)
                guard code != 0 && code != ENOENT else { continue }
                guard code == EBUSY else { throw .system(SyscallError(call: "rmdir \(directory)", errno: code)) }
                busy = busy ?? SyscallError(call: "rmdir \(directory)", errno: code)
            }
            guard let busy else { return }
            // Killed processes take a moment to exit and leave the cgroup.
            guard clock.now < deadline else { throw .system(busy) }
            usleep(5_000)
        }
    }

    /// `directory` and every cgroup below it, deepest first.
    private static func subtree(_ directory: String) -> [String] {
        CgroupFS.subdirectories(directory).flatMap(subtree) + [directory]
    }

    private static func stopAndKill(_ directories: [String], procsFiles: [String]) {
        let kills = directories.map { $0 + "/cgroup.kill" }.filter(CgroupFS.exists)
        if !kills.isEmpty {
            for file in kills { try? CgroupFS.write("1", to: file) }
            return
        }
        let v1Freezer = directories.map { $0 + "/freezer.state" }.first(where: CgroupFS.exists)
        let v2Freezers = directories.map { $0 + "/cgroup.freeze" }.filter(CgroupFS.exists)
        if let v1Freezer {
            try? CgroupFS.write("FROZEN", to: v1Freezer)
            waitUntil { CgroupFS.readIfPresent(v1Freezer)?.hasPrefix("FROZEN") != false }
        }
        for file in v2Freezers {
            try? CgroupFS.write("1", to: file)
            let events = String(file.dropLast("cgroup.freeze".count)) + "cgroup.events"
            waitUntil { CgroupFS.keyedValues(CgroupFS.readIfPresent(events) ?? "")["frozen"] != 0 }
        }
        killListed(procsFiles)
        // A v1 freezer holds even SIGKILL until thawed; v2 lets fatal signals through.
        if let v1Freezer { try? CgroupFS.write("THAWED", to: v1Freezer) }
    }

    /// SIGKILL to each listed process through a pidfd taken first, then checked to be
    /// still listed: a PID that was reused meanwhile by a process elsewhere is spared.
    private static func killListed(_ procsFiles: [String]) {
        let opened = procsFiles.flatMap(CgroupFS.pids).map { pid in
            let pidfd = ctutor_pidfd_open(pid)
            return (pid: pid, pidfd: pidfd, error: pidfd < 0 ? errno : 0)
        }
        let listed = Set(procsFiles.flatMap(CgroupFS.pids))
        for (pid, pidfd, error) in opened {
            if pidfd >= 0 {
                if listed.contains(pid) { _ = ctutor_pidfd_send_signal(pidfd, SIGKILL) }
                close(pidfd)
            } else if error == ENOSYS && listed.contains(pid) {
                // Before Linux 5.3 there are no pidfds; the freezer holds the PIDs still.
                kill(pid, SIGKILL)
            }
        }
    }

    /// Polls `condition` for up to half a second: a task in uninterruptible sleep may
    /// keep a freezer from finishing, and removal goes on regardless.
    private static func waitUntil(_ condition: () -> Bool) {
        for _ in 0..<100 {
            if condition() { return }
            usleep(5_000)
        }
    }
}
