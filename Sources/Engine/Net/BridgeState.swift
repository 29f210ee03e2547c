import Foundation

#if os(Linux)
import Glibc
#endif

/// One container's address on the bridge, as a file in the state directory:
/// `leases/<containerID>.lease`. It names the container's init process by PID and
/// start time, so a lease whose process is gone (or whose PID now belongs to another
/// process) is known to be dead and can be reclaimed.
struct BridgeLease: Equatable, Sendable {
    var containerID: String
    var bridge: String
    var hostInterface: String
    var address: IPv4Network
    var pid: Int32
    /// Field 22 of `/proc/<pid>/stat` when the lease was made.
    var start: UInt64

    /// Plain lines, as run records are: `ctutor-lease 1`, `container ID`, `bridge NAME`,
    /// `interface NAME`, `address A/P`, `process PID START`.
    var text: String {
        [
            "ctutor-lease 1", "container \(containerID)", "bridge \(bridge)", "interface \(hostInterface)", "address \(address)",
            "process \(pid) \(start)",
        ].joined(separator: "\n") + "\n"
    }

    init(containerID: String, bridge: String, hostInterface: String, address: IPv4Network, pid: Int32, start: UInt64) {
        self.containerID = containerID
        self.bridge = bridge
        self.hostInterface = hostInterface
        self.address = address
        self.pid = pid
        self.start = start
    }

    /// Parses `text`; `nil` for anything that is not a whole lease.
    init?(text: String) {
        var fields: [String: String] = [:]
        let lines = text.split(separator: "\n")
        guard lines.first == "ctutor-lease 1" else { return nil }
        for line in lines.dropFirst() {
            guard let space = line.firstIndex(of: " ") else { return nil }
            fields[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        let process = fields["process"]?.split(separator: " ") ?? []
        guard let containerID = fields["container"], let bridge = fields["bridge"], let hostInterface = fields["interface"],
            let address = fields["address"].flatMap({ IPv4Network($0) }), process.count == 2, let pid = Int32(process[0]),
            let start = UInt64(process[1])
        else { return nil }
        self.init(containerID: containerID, bridge: bridge, hostInterface: hostInterface, address: address, pid: pid, start: start)
    }

    var attachment: BridgeAttachment {
        BridgeAttachment(containerID: containerID, bridge: bridge, hostInterface: hostInterface, address: address, subnet: address.network)
    }

    /// Whether the process the lease names still runs: same start time, not a zombie.
    var holderIsAlive: Bool { Self.liveStart(of: pid) == start }

    /// The start time of `pid` if it runs; `nil` if it is gone or a zombie, whose
    /// network namespace went when it exited.
    static func liveStart(of pid: Int32) -> UInt64? {
        guard let stat = try? ProcFS.readFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": state is field 3, starttime field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return UInt64(fields[19])
    }
}

#if os(Linux)
/// The bridge network's files in the runtime's state directory, all changed only
/// under ``lock()``:
/// - `bridge.lock`, the `flock` every attach, detach and sweep holds;
/// - `leases/<containerID>.lease`, one ``BridgeLease`` per attached container;
/// - `bridges/<name>.bridge`, the subnet a bridge was made with. The host shows it
///   nowhere (the bridge has no address), and a bridge that exists keeps its subnet.
struct BridgeState {
    let directory: String

    /// The state kept in `directory`, which must be (or is made) a 0700 directory of ours.
    init(directory: String) throws(ContainerNetworkError) {
        self.directory = directory
        for path in [directory, leasesDirectory, bridgesDirectory] where !StateDirectory.ensurePrivateDirectory(path) {
            throw .unsafeStateDirectory(path)
        }
    }

    private var leasesDirectory: String { directory + "/leases" }
    private var bridgesDirectory: String { directory + "/bridges" }

    /// Holds the exclusive lock until the returned value is dropped. Each call opens the
    /// file anew: `flock` locks an open file, so two threads of one process exclude each
    /// other too. The file stays: removing a lock file others may be waiting on would
    /// let two holders in at once. A holder works for milliseconds; one that does not let
    /// go within `patience` (it was stopped, say) makes this fail with `EWOULDBLOCK`
    /// rather than hang a container's start.
    func lock(patience: Duration = .seconds(10)) throws(ContainerNetworkError) -> BridgeLock {
        let path = directory + "/bridge.lock"
        let fd = try networkCall { () throws(SyscallError) in
            try retryingEINTR("open \(path)") { open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600) }
        }
        let lock = BridgeLock(fd: fd)
        let deadline = ContinuousClock.now + patience
        var pause = Duration.microseconds(200)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else { throw .syscall(SyscallError(call: "flock \(path) LOCK_EX", errno: code)) }
            guard ContinuousClock.now < deadline else { throw .syscall(SyscallError(call: "flock \(path) LOCK_EX", errno: code)) }
            usleep(UInt32(pause / .microseconds(1)))
            pause = min(pause * 2, .milliseconds(20))
        }
        return lock
    }

    /// Every lease, in no particular order; files that are not whole leases are skipped.
    func leases() -> [BridgeLease] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: leasesDirectory)) ?? []
        return names.filter { $0.hasSuffix(".lease") }.compactMap { name in
            guard let data = try? StateDirectory.readFile(URL(fileURLWithPath: leasesDirectory + "/" + name)) else { return nil }
            return BridgeLease(text: String(decoding: data, as: UTF8.self))
        }
    }

    func write(_ lease: BridgeLease) throws(ContainerNetworkError) {
        try networkCall { () throws(SyscallError) in
            try StateDirectory.writeAtomically(Data(lease.text.utf8), to: leaseFile(lease.containerID))
        }
    }

    func removeLease(of containerID: String) {
        unlink(leaseFile(containerID).path)
    }

    /// The subnet the bridge `name` was made with, if ctutor made it.
    func subnet(ofBridge name: String) -> IPv4Network? {
        guard let data = try? StateDirectory.readFile(bridgeFile(name)) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard lines.first == "ctutor-bridge 1", let line = lines.first(where: { $0.hasPrefix("subnet ") }) else { return nil }
        return IPv4Network(line.dropFirst("subnet ".count))
    }

    /// Records the bridge before it is made, so a crash in between leaves a record the sweep finds.
    func recordBridge(_ name: String, subnet: IPv4Network) throws(ContainerNetworkError) {
        try networkCall { () throws(SyscallError) in
            try StateDirectory.writeAtomically(Data("ctutor-bridge 1\nsubnet \(subnet)\n".utf8), to: bridgeFile(name))
        }
    }

    func forgetBridge(_ name: String) {
        unlink(bridgeFile(name).path)
    }

    /// The bridges ctutor recorded making.
    func recordedBridges() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: bridgesDirectory)) ?? []
        return names.filter { $0.hasSuffix(".bridge") }.map { String($0.dropLast(".bridge".count)) }.sorted()
    }

    private func leaseFile(_ containerID: String) -> URL {
        URL(fileURLWithPath: leasesDirectory + "/" + containerID + ".lease")
    }

    private func bridgeFile(_ name: String) -> URL {
        URL(fileURLWithPath: bridgesDirectory + "/" + name + ".bridge")
    }
}

/// An open, `flock`ed lock file; closing it lets the next waiter in.
final class BridgeLock {
    private let fd: Int32

    init(fd: Int32) {
        self.fd = fd
    }

    deinit { close(fd) }
}

/// Runs `body`, a few system calls, turning their failure into the network's error.
@discardableResult
func networkCall<T>(_ body: () throws(SyscallError) -> T) throws(ContainerNetworkError) -> T {
    do {
        return try body()
    } catch {
        throw .syscall(error)
    }
}
#endif
