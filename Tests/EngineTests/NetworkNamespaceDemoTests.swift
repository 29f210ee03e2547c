import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

private let binary = Witness.ctutorBinary ?? ""

/// What the test saw for itself, with iproute2 and nsenter, while A and B were alive.
private struct NetSighting {
    var a: Int32
    var b: Int32
    var netA: String
    var netB: String
    /// `10.200.0.1/30`, as `ip -o -4 addr` inside shows it.
    var addressA: String
    var addressB: String
    /// What the test's own echo across the veth brought back (`nil`: perl is not installed).
    var ownEcho: String?
}

/// The fields of `ip -o` lines: `3: veth-a    inet 10.200.0.1/30 …`.
private func ip(_ pid: Int32?, _ arguments: [String]) throws -> [[String]] {
    let run =
        try pid.map { try Witness.run("nsenter", ["-t", "\($0)", "-n", "ip", "-o"] + arguments) }
        ?? Witness.run("ip", ["-o"] + arguments)
    #expect(run.status == 0)
    return run.output.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
}

/// The IPv4 address of `device` inside the network namespace of `pid`.
private func address(of device: String, pid: Int32) throws -> String {
    let line = try #require(try ip(pid, ["-4", "addr"]).first { $0.count > 3 && $0[1] == device && $0[2] == "inet" })
    return line[3]
}

/// Looks at A and B from outside with util-linux and iproute2, and sends an echo of
/// the test's own across the veth (a perl listener in B, bash's /dev/tcp in A).
private func sight(_ child: NamespaceChild, hostAddresses: [String]) throws -> NetSighting {
    let a = child.pid
    let b = try #require(child.others.first)
    let own = try Witness.link("/proc/self/ns/net")
    let sighting = NetSighting(
        a: a, b: b, netA: try Witness.link("/proc/\(a)/ns/net"), netB: try Witness.link("/proc/\(b)/ns/net"),
        addressA: try address(of: "veth-a", pid: a), addressB: try address(of: "veth-b", pid: b), ownEcho: nil)
    #expect(Set([own, sighting.netA, sighting.netB]).count == 3)

    for (pid, veth) in [(a, "veth-a"), (b, "veth-b")] {
        let names = try ip(pid, ["link"]).map { $0[1].split(separator: "@").first.map(String.init) ?? "" }
        #expect(names == ["lo:", veth], "only lo and the veth end in \(veth)'s namespace")
        let routes = try ip(pid, ["-4", "route", "show", "table", "all"]).map { $0.joined(separator: " ") }
        #expect(!routes.contains { $0.hasPrefix("default") }, "no default route: \(routes)")
        #expect(routes.filter { !$0.hasPrefix("local") && !$0.hasPrefix("broadcast") }.count == 1, "\(routes)")
    }
    // The two ends share one /30, .1 and .2.
    #expect(sighting.addressA.hasSuffix("/30") && sighting.addressB.hasSuffix("/30"))
    #expect(sighting.addressA.dropLast(3).split(separator: ".").last == "1")
    #expect(sighting.addressB.dropLast(3).split(separator: ".").last == "2")
    #expect(try ip(nil, ["-4", "addr"]).compactMap { $0.count > 3 ? $0[3] : nil } == hostAddresses)
    #expect(!(try ip(nil, ["link"]).contains { $0.count > 1 && ($0[1].hasPrefix("veth-a") || $0[1].hasPrefix("veth-b")) }))

    var withEcho = sighting
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/perl") {
        withEcho.ownEcho = try ownEcho(a: a, b: b, to: String(sighting.addressB.dropLast(3)), message: "test's own echo \(getpid())")
    }
    return withEcho
}

/// A perl listener in B on port 7007 and a bash client in A, both entered with nsenter.
private func ownEcho(a: Int32, b: Int32, to address: String, message: String) throws -> String {
    let listener = Process()
    listener.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
    listener.arguments = [
        "-t", "\(b)", "-n", "/usr/bin/perl", "-MIO::Socket::INET", "-e",
        """
        alarm 10; my $s = IO::Socket::INET->new(LocalAddr => $ARGV[0], LocalPort => 7007, Listen => 1, ReuseAddr => 1)
          or die "listen: $!"; $| = 1; print "ready\\n"; my $c = $s->accept or die; my $l = <$c>; print $c $l; close $c;
        """,
        address,
    ]
    let output = Pipe()
    listener.standardOutput = output
    try listener.run()
    defer { listener.waitUntilExit() }
    let ready = output.fileHandleForReading.availableData
    #expect(String(decoding: ready, as: UTF8.self) == "ready\n")
    let client = try Witness.run(
        "nsenter",
        [
            "-t", "\(a)", "-n", "/usr/bin/timeout", "5", "/bin/bash", "-c",
            "exec 3<>/dev/tcp/$1/7007; printf '%s\\n' \"$2\" >&3; IFS= read -r reply <&3; printf '%s' \"$reply\"", "echo",
            address, message,
        ])
    #expect(client.status == 0)
    return client.output
}

/// Processes whose network namespace is `namespace`, seen through `/proc`.
private func processes(inNetworkNamespace namespace: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { (try? Witness.link("/proc/\($0)/ns/net")) == namespace }
}

/// This test process's run records of the net demo still on disk, in any state directory a run may use.
private func netRunRecords() -> [String] {
    let directories =
        ["/run/ctutor/runs", "/tmp/ctutor-\(geteuid())/runs"]
        + [ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"].map { $0 + "/ctutor/runs" }].compactMap { $0 }
    return directories.flatMap { directory in
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("run-\(getpid())-") }
            .map { directory + "/" + $0 }
            .filter { (try? Witness.text($0))?.contains("\"demo\":\"net\"") == true }
    }
}

/// The report says what the test saw, and nothing of it is left.
private func expectReport(_ report: DemoReport, matches seen: NetSighting, message: String, hostLinks: [String]) throws {
    #expect(report.demo == "net")
    #expect(report.reason == nil, "\(report.reason?.en ?? "")")
    #expect(report.succeeded)
    #expect(report.cleanupStatus == "ok")
    let netNamespace = try #require(report.observation("net-ns"))
    #expect(netNamespace.host == (try Witness.link("/proc/self/ns/net")))
    #expect(netNamespace.value("a") == seen.netA)
    #expect(netNamespace.value("b") == seen.netB)
    #expect(report.observation("start")?.value("a") == "lo: <LOOPBACK> DOWN")
    #expect(report.observation("start")?.value("b") == "lo: <LOOPBACK> DOWN")
    #expect(report.observation("interfaces")?.value("a")?.contains("veth-a: <BROADCAST,MULTICAST,UP,LOWER_UP> UP") == true)
    #expect(report.observation("addresses")?.value("a") == "veth-a \(seen.addressA)")
    #expect(report.observation("addresses")?.value("b") == "veth-b \(seen.addressB)")
    #expect(report.observation("routes")?.value("a")?.contains("default") == false)
    let echo = try #require(report.observation("echo"))
    #expect(echo.expect == .match && echo.holds)
    #expect(echo.sides.map(\.value) == [message, message, message])
    let tcp = try #require(report.observation("tcp"))
    #expect(tcp.holds)
    #expect(tcp.value("a")?.hasSuffix("→ \(seen.addressB.dropLast(3)):7") == true)
    if let own = seen.ownEcho { #expect(own == "test's own echo \(getpid())") }
    #expect(report.steps.contains { $0.en.contains("IFLA_NET_NS_PID \(seen.b)") })

    #expect(!Witness.exists(pid: seen.a) && !Witness.exists(pid: seen.b))
    #expect(processes(inNetworkNamespace: seen.netA).isEmpty)
    #expect(processes(inNetworkNamespace: seen.netB).isEmpty)
    #expect(try ip(nil, ["link"]).map { $0[1] } == hostLinks, "the host's links are as before the run")
}

@Suite(
    "Network namespace demo, as root", .serialized,
    .enabled(if: Witness.isRoot, "needs root on Linux: clone(CLONE_NEWNET) requires CAP_SYS_ADMIN"),
    .enabled(if: Witness.ctutorBinary != nil, Witness.noBinaryReason))
struct NetworkNamespaceDemoRootTests {
    @Test(
        "real and rootless: only lo, down; a veth between A and B carries a TCP echo; nothing on the host",
        arguments: [ModePreference.auto, .rootless])
    func demo(_ preference: ModePreference) throws {
        let hostLinks = try ip(nil, ["link"]).map { $0[1] }
        let hostAddresses = try ip(nil, ["-4", "addr"]).compactMap { $0.count > 3 ? $0[3] : nil }
        let message = "ping from the test \(Int.random(in: 1000...9999))"
        var seen: NetSighting?
        var users: [String] = []
        let report = NetworkNamespaceDemo(message: message, preference: preference, childExecutable: binary).run { child in
            seen = try sight(child, hostAddresses: hostAddresses)
            users = try [child.pid, child.others[0]].map { try Witness.link("/proc/\($0)/ns/user") }
        }
        let sighting = try #require(seen, "A and B were never alive: \(report.reason?.en ?? "")")
        try expectReport(report, matches: sighting, message: message, hostLinks: hostLinks)
        let ownUser = try Witness.link("/proc/self/ns/user")
        if preference == .rootless {
            #expect(report.mode == .rootless)
            #expect(users[0] == users[1] && users[0] != ownUser, "A and B share one user namespace of their own")
            #expect(report.observation("user-ns")?.sides.map(\.value) == users)
        } else {
            #expect(report.mode == .real)
            #expect(users == [ownUser, ownUser])
            #expect(report.observation("user-ns") == nil)
        }
    }

    @Test("no process, namespace or veth is left behind when whileAlive throws", arguments: [ModePreference.auto, .rootless])
    func nothingLeftBehind(_ preference: ModePreference) throws {
        struct Interrupted: Error {}
        let hostLinks = try ip(nil, ["link"]).map { $0[1] }
        var pids: [Int32] = []
        var namespaces: [String] = []
        let report = NetworkNamespaceDemo(preference: preference, childExecutable: binary).run { child in
            pids = [child.pid] + child.others
            namespaces = try pids.map { try Witness.link("/proc/\($0)/ns/net") }
            throw Interrupted()
        }
        #expect(report.reason?.en.contains("Interrupted") == true)
        #expect(report.observations.count >= 7, "observations made before the throw are kept")
        #expect(report.cleanupStatus == "ok")
        #expect(pids.count == 2)
        for pid in pids { #expect(!Witness.exists(pid: pid)) }
        for namespace in namespaces { #expect(processes(inNetworkNamespace: namespace).isEmpty) }
        #expect(try ip(nil, ["link"]).map { $0[1] } == hostLinks)
        #expect(netRunRecords().isEmpty, "the run's record is gone")
    }

    @Test("a candidate network the host uses is skipped; when all are used, nothing is made")
    func subnetChoice() throws {
        // Every Linux host routes 127.0.0.0/8 to lo.
        let loopback = try #require(IPv4Network("127.0.0.0/30"))
        var address: String?
        let report = NetworkNamespaceDemo(
            candidates: [loopback] + IPv4Network.demoCandidates, childExecutable: binary
        ).run { child in address = try ip(child.pid, ["-4", "addr"]).first.map { $0[3] } }
        #expect(report.reason == nil, "\(report.reason?.en ?? "")")
        #expect(address.map { !$0.hasPrefix("127.") } == true)
        #expect(report.steps.contains { $0.en.contains("127.0.0.0/30 skipped: the host uses it") })

        var alive = false
        let refused = NetworkNamespaceDemo(candidates: [loopback], childExecutable: binary).run { _ in alive = true }
        #expect(!alive)
        #expect(refused.reason?.en.contains("every candidate network (127.0.0.0/30) overlaps") == true)
        #expect(refused.mode == .real)
        #expect(refused.cleanup.isEmpty, "nothing was made")
    }
}

@Suite(
    "Network namespace demo, unprivileged",
    .enabled(if: Witness.isLinux && !Witness.isRoot, "runs as a user other than root, on Linux"),
    .enabled(if: Witness.ctutorBinary != nil, Witness.noBinaryReason))
struct NetworkNamespaceDemoUnprivilegedTests {
    @Test("rootless when the machine allows it, otherwise unavailable with the probe's reason")
    func autoMode() throws {
        var pids: [Int32] = []
        let report = NetworkNamespaceDemo(message: "unprivileged", childExecutable: binary).run { pids = [$0.pid] + $0.others }
        #expect(report.cleanupStatus == "ok")
        switch report.mode {
        case .rootless:
            #expect(report.reason == nil, "\(report.reason?.en ?? "")")
            #expect(report.succeeded)
            #expect(pids.count == 2)
            for pid in pids { #expect(!Witness.exists(pid: pid)) }
            #expect(report.observation("echo")?.sides.map(\.value) == ["unprivileged", "unprivileged", "unprivileged"])
            #expect(report.observation("start")?.value("a") == "lo: <LOOPBACK> DOWN")
            #expect(report.observation("user-ns")?.holds == true)
        case .unavailable:
            #expect(pids.isEmpty)
            #expect(report.observations.isEmpty)
            #expect(report.reason != nil && report.remedy != nil)
        case .real:
            Issue.record("an unprivileged user cannot run in real mode")
        }
    }
}

@Suite("Host network evidence")
struct HostNetworkEvidenceTests {
    private func host(_ interfaces: [String], _ local: [String]) -> HostNetwork {
        let view = NamespaceView(
            interfaces: interfaces, links: [], addresses: [], routes: [], local: Set(local.compactMap { IPv4Address($0) }))
        return HostNetwork(view: view, routes: [])
    }

    @Test("a demo interface or address on the host stops the run; another program's change is only noted")
    func change() throws {
        let before = host(["lo", "eth0"], ["127.0.0.1"])
        let ours = try #require(IPv4Address("10.200.0.1"))
        let names = ["veth-a", "veth-b"]
        let busy = host(["lo", "eth0", "docker0"], ["127.0.0.1", "172.17.0.1"])
        try busy.checkAbsent(since: before, interfaces: names, addresses: [ours])
        #expect(throws: EvidenceMismatch.self) {
            try host(["lo", "eth0", "veth-b"], ["127.0.0.1"]).checkAbsent(since: before, interfaces: names, addresses: [ours])
        }
        #expect(throws: EvidenceMismatch.self) {
            try host(["lo", "eth0"], ["127.0.0.1", "10.200.0.1"]).checkAbsent(since: before, interfaces: names, addresses: [ours])
        }
        let change = before.change(to: host(["lo", "docker0"], ["127.0.0.1"]), demoInterfaces: names, demoAddresses: [ours])
        #expect(change.byDemo.isEmpty)
        #expect(change.others == ["interface docker0 appeared in /proc/net/dev", "interface eth0 left /proc/net/dev"])
    }
}
