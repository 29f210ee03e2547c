import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// What a bridge network test works with: a private state directory of its own, a
/// bridge name of its own (so nothing of a real `ctutor0` is touched), and processes
/// holding new network namespaces as a container's blocked init would. Dropping it
/// lets the holders go, sweeps and removes the directory, even after a failed check.
final class BridgeFixture {
    let stateDirectory: String
    let configuration: BridgeConfiguration
    private(set) var holders: [LaunchedProcess] = []

    init(subnet: IPv4Network? = nil) throws {
        Self.sweepInterruptedRuns()
        stateDirectory = "/tmp/ctutor-bridge-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try #require(mkdir(stateDirectory, 0o700) == 0, "mkdir \(stateDirectory)")
        configuration = BridgeConfiguration(bridgeName: "cttest" + String(UInt32.random(in: 0...0xFFFFFF), radix: 16), subnet: subnet)
    }

    /// A process in a new network namespace, blocked until the fixture lets it go.
    func hold() throws -> LaunchedProcess {
        var spec = LaunchSpec(namespaces: [.net])
        spec.name = "ctutor-bridge-t"
        let process = try NamespaceLauncher.launch(spec, record: nil)
        holders.append(process)
        return process
    }

    func attach(_ process: LaunchedProcess, id: String) throws -> BridgeAttachment {
        try ContainerNetwork.attach(
            containerPID: process.pid, containerID: id, configuration: configuration, stateDirectory: stateDirectory)
    }

    var leaseFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: stateDirectory + "/leases")) ?? []).filter { $0.hasSuffix(".lease") }
    }

    /// Runs the hidden program `name` of the built ctutor inside `holder`'s network namespace.
    static func program(in holder: LaunchedProcess, _ name: String, _ arguments: [String]) throws -> LaunchedProgram {
        let binary = try #require(Witness.ctutorBinary, Witness.noBinaryReason)
        var spec = LaunchSpec(namespaces: [])
        spec.join = [(.net, holder.pid)]
        spec.name = "ctutor-bridge-e"
        spec.program = LaunchSpec.Program(path: binary, arguments: ChildProgram.argv(name, arguments))
        return try LaunchedProgram.start(spec, record: nil)
    }

    /// One TCP echo: a server in `server`'s namespace on `address`, a client in `client`'s;
    /// what each reported. `timeoutMilliseconds` bounds each wait of either socket.
    static func echo(
        from client: LaunchedProcess, to server: LaunchedProcess, address: IPv4Address, message: String,
        timeoutMilliseconds: Int = 3000
    ) throws -> (client: EchoChild.Transcript, server: EchoChild.Transcript) {
        let arguments = ["\(address)", "7007", "\(timeoutMilliseconds)"]
        let listener = try program(in: server, "echo-server", arguments)
        #expect(listener.read(until: .now + .seconds(5)) { $0.hasPrefix("listening\t") })
        let sender = try program(in: client, "echo-client", arguments + [message])
        let sent = EchoChild.Transcript(parsing: sender.finish(until: .now + .seconds(5)).output)
        let served = EchoChild.Transcript(parsing: listener.finish(until: .now + .seconds(5)).output)
        return (sent, served)
    }

    /// A test run killed mid-test leaves its bridge on the host (its holders die with it,
    /// and their veths with their namespaces): the next run sweeps the state directories
    /// of test processes that are gone.
    private static func sweepInterruptedRuns() {
        let prefix = "ctutor-bridge-test-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), !Witness.exists(pid: pid) else { continue }
            _ = try? ContainerNetwork.sweep(stateDirectory: "/tmp/" + name)
            try? FileManager.default.removeItem(atPath: "/tmp/" + name)
        }
    }

    deinit {
        for holder in holders { holder.finish() }
        _ = try? ContainerNetwork.sweep(stateDirectory: stateDirectory)
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }
}

/// The host's network as `ip` prints it: links, addresses (IPv4 and IPv6) and routes
/// of every table, each a sorted list of lines. The witness is iproute2, not the engine.
struct HostNetworkSnapshot: Equatable {
    var links: [String]
    var addresses: [String]
    var routes: [String]

    static func take() throws -> HostNetworkSnapshot {
        func lines(_ arguments: [String]) throws -> [String] {
            let result = try Witness.run("ip", arguments)
            try #require(result.status == 0, "ip \(arguments.joined(separator: " "))")
            // Drop counters and timers that change on their own; keep names, flags, addresses.
            return result.output.split(separator: "\n").map { line in
                line.replacingOccurrences(of: #"valid_lft \S+ preferred_lft \S+"#, with: "", options: .regularExpression)
            }.sorted()
        }
        return HostNetworkSnapshot(
            links: try lines(["-o", "link", "show"]), addresses: try lines(["-o", "addr", "show"]),
            routes: try lines(["route", "show", "table", "all"]) + (try lines(["-6", "route", "show", "table", "all"])))
    }
}

extension Witness {
    /// `nsenter -t PID -n ip ARGS…`: iproute2 looking from inside a process's network namespace.
    static func ipInside(_ pid: Int32, _ arguments: [String]) throws -> String {
        let result = try run("nsenter", ["-t", "\(pid)", "-n", "ip"] + arguments)
        try #require(result.status == 0, "nsenter -t \(pid) -n ip \(arguments.joined(separator: " "))")
        return result.output
    }

    /// The ports of a host bridge, from sysfs (`/sys/class/net/<bridge>/brif`).
    static func bridgePorts(_ bridge: String) -> [String]? {
        (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net/\(bridge)/brif"))?.sorted()
    }

    static func hostHasLink(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: "/sys/class/net/\(name)")
    }
}
