import Foundation

extension LeftoverSweep {
    /// What the OCI runtime and its shims keep inside a directory a killed run
    /// recorded (the `docker-chain` demo's daemon root): each container's init and
    /// its shim — which outlive a daemon on purpose, so nothing else ends them — and
    /// the container's cgroups. Found by their `state.json` and `shim.json`, each
    /// process killed only if its start time still matches.
    static func releaseRuntimeState(in directory: String) {
        // A daemon first, so that it starts no new shim: the run records the daemon
        // just after starting it, and one killed in between left it unrecorded; its
        // socket and root are inside the directory, which was recorded before.
        for pid in daemons(servingFrom: directory) { _ = kill(pid: pid, start: ProcessStart.of(pid) ?? 0) }
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
        var states: [RuntimeState] = []
        var shims: [ShimRecord] = []
        while let relative = walker.nextObject() as? String {
            if walker.level > 6 { walker.skipDescendants() }
            let name = (relative as NSString).lastPathComponent
            guard name == "state.json" || name == "shim.json",
                let data = FileManager.default.contents(atPath: directory + "/" + relative)
            else { continue }
            if name == "state.json", let state = try? RuntimeState(jsonBytes: Array(data)) { states.append(state) }
            if name == "shim.json", let shim = try? ShimRecord(jsonBytes: Array(data)) { shims.append(shim) }
        }
        // The shim first: a subreaper left alone would only watch its container die.
        for shim in shims { _ = kill(pid: shim.pid, start: shim.pidStart) }
        for state in states {
            _ = kill(pid: state.pid, start: state.pidStart)
            try? ContainerCgroup.remove(directories: state.cgroupPaths)
        }
    }

    /// This user's `ctutor daemon` processes whose `--socket` or `--root` is inside
    /// `directory`, by their command lines.
    static func daemons(servingFrom directory: String) -> [Int32] {
        let me = getpid()
        return ((try? ProcFS.pids()) ?? []).filter { pid in
            var owner = stat()
            guard pid != me, stat("/proc/\(pid)", &owner) == 0, owner.st_uid == geteuid(),
                let cmdline = try? ProcFS.readFile("/proc/\(pid)/cmdline")
            else { return false }
            return isDaemon(cmdline: cmdline, servingFrom: directory)
        }
    }

    /// Whether a `/proc/<pid>/cmdline` (words ending in NUL) is `… daemon` with a
    /// `--socket` or `--root` inside `directory`.
    static func isDaemon(cmdline: String, servingFrom directory: String) -> Bool {
        let inside = directory.hasSuffix("/") ? directory : directory + "/"
        let words = cmdline.split(separator: "\0").map(String.init)
        guard words.count > 2, words[1] == "daemon" else { return false }
        return zip(words.dropFirst(), words.dropFirst(2)).contains { option, value in
            (option == "--socket" || option == "--root") && value.hasPrefix(inside)
        }
    }
}
