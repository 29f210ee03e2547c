import Foundation

extension LeftoverSweep {
    /// What the OCI runtime and its shims keep inside a directory a killed run
    /// recorded (the `docker-chain` demo's daemon root): each container's init and
    /// its shim — which outlive a daemon on purpose, so nothing else ends them — and
    /// the container's cgroups. Found by their `state.json` and `shim.json`, each
    /// process killed only if its start time still matches.
    static func releaseRuntimeState(in directory: String) {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
        var states: [RuntimeState] = []
        var shims: [ShimRecord] = []
        let decoder = JSONDecoder()
        while let relative = walker.nextObject() as? String {
            if walker.level > 6 { walker.skipDescendants() }
            let name = (relative as NSString).lastPathComponent
            guard name == "state.json" || name == "shim.json",
                let data = FileManager.default.contents(atPath: directory + "/" + relative)
            else { continue }
            if name == "state.json", let state = try? decoder.decode(RuntimeState.self, from: data) { states.append(state) }
            if name == "shim.json", let shim = try? decoder.decode(ShimRecord.self, from: data) { shims.append(shim) }
        }
        // The shim first: a subreaper left alone would only watch its container die.
        for shim in shims { _ = kill(pid: shim.pid, start: shim.pidStart) }
        for state in states {
            _ = kill(pid: state.pid, start: state.pidStart)
            try? ContainerCgroup.remove(directories: state.cgroupPaths)
        }
    }
}
