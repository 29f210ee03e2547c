import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// A hand-written OCI bundle (a busybox root filesystem and a `config.json`) and a
/// runtime root of its own, both in a temporary directory; `finish()` deletes every
/// container left, reaps the inits this process fathered, removes the directory and
/// checks that nothing of them is left: processes, cgroups, mounts, state.
final class RuntimeFixture {
    let directory: String
    var bundle: String { directory + "/bundle" }
    let root: RuntimeRoot
    private var pids: [Int32] = []
    private var cgroups: [String] = []

    init() throws {
        directory = NSTemporaryDirectory() + "ctutor-runtime-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        root = RuntimeRoot(path: directory + "/root")
        let bin = directory + "/bundle/rootfs/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: bin + "/busybox")
        for applet in ["sh", "echo", "hostname", "sleep", "cat", "true", "id"] {
            try FileManager.default.createSymbolicLink(atPath: bin + "/" + applet, withDestinationPath: "busybox")
        }
        for path in [directory, directory + "/bundle", directory + "/bundle/rootfs"] { chmod(path, 0o755) }
    }

    /// Docker's defaults (a user namespace when not root), hostname `rtbox`, then `adjust`.
    func write(_ args: [String], adjust: (inout OCISpec) -> Void = { _ in }) throws {
        var config = OCISpec.docker(args: args, env: ["PATH=/bin"], hostname: "rtbox", rootless: !Witness.isRoot)
        adjust(&config)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(config).write(to: URL(fileURLWithPath: bundle + "/config.json"))
    }

    /// `create` with `stdio`, remembering what to reap and check later.
    @discardableResult
    func create(_ id: String, stdio: (Int32, Int32, Int32) = (-1, -1, -1)) throws -> RuntimeState {
        let state = try OCIRuntime.create(id: id, bundle: bundle, root: root, stdio: stdio)
        pids.append(state.pid)
        cgroups += state.cgroupPaths
        return state
    }

    func status(_ id: String) throws -> RuntimeStatus { try root.ociState(of: id).status }

    /// Waits until `pid` has exited (a zombie of ours counts), up to five seconds.
    func awaitExit(_ pid: Int32) -> Bool {
        LaunchedProcess.exits(pid, within: .seconds(5))
    }

    /// Reaps `pid` (this process's child, by CLONE_PARENT); its status as a shell shows it.
    func reap(_ pid: Int32) -> Int32 {
        var status: Int32 = 0
        guard waitpid(pid, &status, 0) == pid else { return -1 }
        pids.removeAll { $0 == pid }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Processes whose root is inside this fixture's bundle: a container's init, blocked
    /// (it has pivoted) or running.
    func processesInside() -> [Int32] {
        Witness.processes().map(\.pid).filter { ((try? Witness.link("/proc/\($0)/root")) ?? "").hasPrefix(directory) }
    }

    func finish(sourceLocation: SourceLocation = #_sourceLocation) {
        for id in root.ids() { try? OCIRuntime.delete(id: id, root: root, force: true) }
        for pid in pids { _ = reap(pid) }
        #expect(processesInside().isEmpty, "processes left in the bundle", sourceLocation: sourceLocation)
        let mounts = (try? Witness.text("/proc/self/mountinfo")) ?? ""
        #expect(!mounts.contains(directory), "a mount under \(directory) is left", sourceLocation: sourceLocation)
        for path in cgroups {
            #expect(!FileManager.default.fileExists(atPath: path), "cgroup \(path) is left", sourceLocation: sourceLocation)
        }
        #expect(root.ids().isEmpty, "containers left in \(root.path)", sourceLocation: sourceLocation)
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Reads a pipe to its end.
func readAll(_ fd: Int32) -> String {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = read(fd, &buffer, buffer.count)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        data.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: data, as: UTF8.self)
}
