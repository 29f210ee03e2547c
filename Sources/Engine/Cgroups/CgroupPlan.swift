#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One change a layout makes on the cgroup filesystem. A layout's work is a list of
/// these values, so it can be checked against a fake tree without a kernel.
enum CgroupStep: Equatable {
    /// `mkdir`. A shared directory (`ctutor`, the parent of every container's cgroup)
    /// may exist already.
    case makeDirectory(String, shared: Bool)
    /// `+controller` into the directory's `cgroup.subtree_control`, for each one not
    /// listed there yet, so that its children get the controller's files.
    case enableControllers([CgroupController], in: String)
    case write(String, to: String)
    /// A write to a file that only some kernels have (`memory.swap.max` needs swap accounting).
    case writeIfPresent(String, to: String)
    /// v1 `memory.oom_control`: turns the OOM killer back on when the cgroup inherited
    /// it turned off. Written only then, because writing the file makes the kernel
    /// log that it is deprecated.
    case enableOOMKiller(in: String)
}

/// What a layout makes for one container: the steps, in order, and where the result is.
struct CgroupPlan: Equatable {
    var version: ContainerCgroup.Version
    var steps: [CgroupStep]
    /// The container's own cgroup directories, one per hierarchy (one on v2).
    var directories: [String]
    /// The directory whose files start with each prefix: `memory`, `pids`, `cpu`,
    /// `cpuacct`, `freezer` (on v2 all the same directory).
    var filesByPrefix: [String: String]

    /// Makes every directory and writes every limit, before any process is in the
    /// cgroup. If a step fails, what was made is removed again.
    func apply() throws(CgroupError) {
        // Another container's removal may take away the shared `ctutor` directory
        // between our mkdir of it and our use of it (ENOENT): then start again.
        var attempt = 1
        while true {
            do {
                try applyOnce()
                return
            } catch {
                guard attempt < 3, case .system(let failure) = error, failure.errno == ENOENT else { throw error }
                attempt += 1
            }
        }
    }

    private func applyOnce() throws(CgroupError) {
        var made: [String] = []
        do {
            for step in steps {
                if let directory = try perform(step) { made.append(directory) }
            }
        } catch {
            // Nothing is in them yet, so rmdir works; a shared one another container
            // now uses stays (EBUSY).
            for directory in made.reversed() { _ = CgroupFS.removeDirectory(directory) }
            throw error
        }
    }

    /// Performs one step; the directory it made, if it made one.
    private func perform(_ step: CgroupStep) throws(CgroupError) -> String? {
        switch step {
        case .makeDirectory(let path, let shared):
            return try CgroupFS.makeDirectory(path, existing: shared) ? path : nil
        case .enableControllers(let controllers, let directory):
            let file = directory + "/cgroup.subtree_control"
            let enabled = Set(CgroupFS.words(try CgroupFS.read(file)))
            for controller in controllers where !enabled.contains(Substring(controller.rawValue)) {
                try CgroupFS.write("+" + controller.rawValue, to: file)
            }
        case .write(let value, let file):
            try CgroupFS.write(value, to: file)
        case .writeIfPresent(let value, let file):
            if CgroupFS.exists(file) { try CgroupFS.write(value, to: file) }
        case .enableOOMKiller(let directory):
            let file = directory + "/memory.oom_control"
            if CgroupFS.keyedValues(try CgroupFS.read(file))["oom_kill_disable"] == 1 {
                try CgroupFS.write("0", to: file)
            }
        }
        return nil
    }
}
