import Foundation
import Synchronization
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// The bridge network for real, as root: new network namespaces held open as a
/// container's blocked init would be, attached, then checked from outside with
/// iproute2, sysfs and a TCP echo between them.
@Suite(
    "Bridge network, for real", .serialized,
    .enabled(if: Witness.isRoot, "needs root: a bridge and veth pairs are links in the host's network namespace"),
    .enabled(if: Witness.isInstalled("nsenter") && Witness.isInstalled("ip"), "needs nsenter (util-linux) and ip (iproute2) as witnesses"))
struct ContainerNetworkTests {
    @Test("two containers: one bridge with both ports, each eth0 its address, TCP between them; detach leaves the host as it was")
    func twoContainers() throws {
        let before = try HostNetworkSnapshot.take()
        let fixture = try BridgeFixture()
        let bridge = fixture.configuration.bridgeName
        let a = try fixture.hold()
        let b = try fixture.hold()
        let first = try fixture.attach(a, id: "a1b2c3d4e5f6")
        let second = try fixture.attach(b, id: "web-b")

        #expect(first.hostInterface == "ctva1b2c3d4" && first.bridge == bridge)
        #expect(first.address == first.subnet.host(2) && second.address == second.subnet.host(3))
        #expect(first.subnet == second.subnet)
        #expect(Set(fixture.leaseFiles) == ["a1b2c3d4e5f6.lease", "web-b.lease"])

        // The host: the bridge, up, with exactly the two veths as ports (sysfs and an IFLA_MASTER dump agree).
        #expect(Witness.bridgePorts(bridge) == [first.hostInterface, second.hostInterface].sorted())
        let links = try Netlink().links()
        let bridgeLink = try #require(links.first { $0.name == bridge })
        #expect(bridgeLink.kind == "bridge" && bridgeLink.isUp)
        for attachment in [first, second] {
            let port = try #require(links.first { $0.name == attachment.hostInterface })
            #expect(port.kind == "veth" && port.isUp && port.master == bridgeLink.index)
        }
        // No address on the host's side of the bridge, not even an IPv6 link-local one.
        #expect(try Witness.run("ip", ["-o", "addr", "show", "dev", bridge]).output.isEmpty)
        #expect(try Witness.run("ip", ["-o", "addr", "show", "dev", first.hostInterface]).output.isEmpty)

        // Inside, as iproute2 sees it through nsenter: the address, lo and eth0 up, no default route.
        for (holder, attachment) in [(a, first), (b, second)] {
            let address = try Witness.ipInside(holder.pid, ["-o", "-4", "addr", "show", "dev", "eth0"])
            #expect(address.contains("inet \(attachment.address) "), "\(address)")
            let eth0 = try Witness.ipInside(holder.pid, ["-o", "link", "show", "eth0"])
            #expect(eth0.contains(",UP") && eth0.contains("state UP"), "\(eth0)")
            #expect(try Witness.ipInside(holder.pid, ["-o", "link", "show", "lo"]).contains(",UP"))
            let routes = try Witness.ipInside(holder.pid, ["-4", "route", "show"])
            #expect(
                routes.split(separator: "\n").map { $0.split(separator: " ").first.map(String.init) } == ["\(attachment.subnet)"],
                "\(routes)")
            #expect(!(try Witness.ipInside(holder.pid, ["-4", "route", "show", "table", "all"])).contains("default"))
        }

        try expectEcho(from: a, to: b, address: second.address.address, expectedSource: first.address.address)
        try expectHostUnreachable(from: a)

        try ContainerNetwork.detach(first, stateDirectory: fixture.stateDirectory)
        #expect(Witness.bridgePorts(bridge) == [second.hostInterface], "the other container keeps the bridge")
        try ContainerNetwork.detach(second, stateDirectory: fixture.stateDirectory)
        try ContainerNetwork.detach(second, stateDirectory: fixture.stateDirectory)
        #expect(!Witness.hostHasLink(bridge) && !Witness.hostHasLink(first.hostInterface) && !Witness.hostHasLink(second.hostInterface))
        #expect(fixture.leaseFiles.isEmpty)
        #expect(try HostNetworkSnapshot.take() == before, "detach leaves the host's links, addresses and routes as they were")
        // The namespaces lived on without their eth0: detach took the pair away.
        #expect(!(try Witness.ipInside(a.pid, ["-o", "link", "show"])).contains("eth0"))
    }

    @Test("eight attaches from parallel threads get eight distinct addresses, .2 to .9; parallel detaches leave nothing")
    func parallelAttaches() throws {
        let before = try HostNetworkSnapshot.take()
        let fixture = try BridgeFixture()
        let pids = try (0..<8).map { _ in try fixture.hold().pid }
        let (configuration, directory) = (fixture.configuration, fixture.stateDirectory)
        let results = Mutex<[Result<BridgeAttachment, ContainerNetworkError>]>([])
        DispatchQueue.concurrentPerform(iterations: pids.count) { index in
            let result = Result { () throws(ContainerNetworkError) in
                try ContainerNetwork.attach(
                    containerPID: pids[index], containerID: "parallel-\(index)", configuration: configuration, stateDirectory: directory)
            }
            results.withLock { $0.append(result) }
        }
        let attachments = try results.withLock { $0 }.map { try $0.get() }
        let subnet = try #require(attachments.first?.subnet)
        #expect(Set(attachments.map(\.address)) == Set((2...9).map { subnet.host(UInt32($0)) }))
        #expect(Witness.bridgePorts(fixture.configuration.bridgeName)?.count == 8)
        #expect(fixture.leaseFiles.count == 8)
        DispatchQueue.concurrentPerform(iterations: attachments.count) { index in
            #expect(throws: Never.self) { try ContainerNetwork.detach(attachments[index], stateDirectory: directory) }
        }
        #expect(!Witness.hostHasLink(fixture.configuration.bridgeName))
        #expect(fixture.leaseFiles.isEmpty)
        #expect(try HostNetworkSnapshot.take() == before)
    }

    @Test("a container killed without detach: sweep reclaims its lease and deletes the unused bridge; attach reclaims it too")
    func sweepAfterCrash() throws {
        let fixture = try BridgeFixture()
        let bridge = fixture.configuration.bridgeName
        let dead = try fixture.hold()
        let lost = try fixture.attach(dead, id: "crashed")
        #expect(dead.finish(grace: .zero).gone, "the holder is killed and reaped, and its namespace dies with it")
        let released = try ContainerNetwork.sweep(stateDirectory: fixture.stateDirectory)
        #expect(released.count == 2, "\(released.map(\.en))")
        #expect(released.first?.en.contains("released \(lost.address) of container crashed (process \(dead.pid) gone)") == true)
        #expect(released.last?.en.contains("deleted bridge \(bridge)") == true)
        #expect(!Witness.hostHasLink(bridge) && !Witness.hostHasLink(lost.hostInterface))
        #expect(fixture.leaseFiles.isEmpty)
        #expect(try ContainerNetwork.sweep(stateDirectory: fixture.stateDirectory).isEmpty, "a second sweep finds nothing")

        let gone = try fixture.hold()
        let reused = try fixture.attach(gone, id: "first")
        #expect(gone.finish(grace: .zero).gone)
        let next = try fixture.attach(try fixture.hold(), id: "second")
        #expect(next.address == reused.address, "the dead container's address is leased again")
        #expect(fixture.leaseFiles == ["second.lease"])
        try ContainerNetwork.detach(next, stateDirectory: fixture.stateDirectory)
        #expect(!Witness.hostHasLink(bridge))
    }

    @Test("the subnet: chosen from the host's addresses and routes as ip shows them, or the one asked for, kept while the bridge lives")
    func subnetChoice() throws {
        let addresses = try Witness.run("ip", ["-o", "-4", "addr", "show"]).output.split(separator: "\n").compactMap { line in
            line.split(separator: " ").drop { $0 != "inet" }.dropFirst().first.flatMap { IPv4Network($0) }
        }
        let routes = try Witness.run("ip", ["-4", "route", "show", "table", "all"]).output.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ").drop { ["local", "broadcast", "unicast", "multicast", "anycast"].contains($0) }
            guard let destination = words.first else { return nil as IPv4Network? }
            if destination == "default" { return IPv4Network("0.0.0.0/0") }
            return IPv4Network(destination.contains("/") ? String(destination) : destination + "/32")
        }
        let expected = try #require(BridgeConfiguration.chooseSubnet(hostAddresses: addresses, hostRoutes: routes))
        let chosen = try BridgeFixture()
        let attachment = try chosen.attach(try chosen.hold(), id: "chooser")
        #expect(attachment.subnet == expected)

        let asked = try #require(IPv4Network("10.123.0.0/24"))
        let fixture = try BridgeFixture(subnet: asked)
        let pinned = try fixture.attach(try fixture.hold(), id: "pinned")
        #expect(pinned.address == asked.host(2))
        var other = fixture.configuration
        other.subnet = IPv4Network("10.124.0.0/24")
        let third = try fixture.hold()
        #expect(throws: ContainerNetworkError.subnetMismatch(bridge: other.bridgeName, existing: asked, requested: other.subnet!)) {
            try ContainerNetwork.attach(
                containerPID: third.pid, containerID: "other", configuration: other, stateDirectory: fixture.stateDirectory)
        }
        other.subnet = nil
        let joined = try ContainerNetwork.attach(
            containerPID: third.pid, containerID: "joined", configuration: other, stateDirectory: fixture.stateDirectory)
        #expect(joined.address == asked.host(3), "without a subnet of its own it joins the bridge's")
        for (attachment, directory) in [
            (attachment, chosen.stateDirectory), (pinned, fixture.stateDirectory), (joined, fixture.stateDirectory),
        ] {
            try ContainerNetwork.detach(attachment, stateDirectory: directory)
        }
        #expect(!Witness.hostHasLink(chosen.configuration.bridgeName) && !Witness.hostHasLink(fixture.configuration.bridgeName))
    }

    @Test("refused before anything is made: the host's own namespace, a dead process, a bad ID, a second attach")
    func refusals() throws {
        let fixture = try BridgeFixture()
        #expect(throws: ContainerNetworkError.containerInHostNamespace(pid: getpid())) {
            try ContainerNetwork.attach(
                containerPID: getpid(), containerID: "host", configuration: fixture.configuration, stateDirectory: fixture.stateDirectory)
        }
        let finished = try fixture.hold()
        let pid = finished.pid
        finished.finish(grace: .zero)
        #expect(throws: ContainerNetworkError.containerGone(pid: pid)) { try fixture.attach(finished, id: "gone") }
        let holder = try fixture.hold()
        #expect(throws: ContainerNetworkError.invalidContainerID("../etc")) { try fixture.attach(holder, id: "../etc") }
        #expect(!Witness.hostHasLink(fixture.configuration.bridgeName) && fixture.leaseFiles.isEmpty)

        let attachment = try fixture.attach(holder, id: "once")
        #expect(throws: ContainerNetworkError.alreadyAttached(containerID: "once", pid: holder.pid)) {
            try fixture.attach(holder, id: "once")
        }
        try ContainerNetwork.detach(attachment, stateDirectory: fixture.stateDirectory)
    }

    /// A TCP echo from `client`'s namespace to `server`'s, by the project's echo programs.
    private func expectEcho(from client: LaunchedProcess, to server: LaunchedProcess, address: IPv4Address, expectedSource: IPv4Address)
        throws
    {
        let message = "across the bridge"
        let (sent, served) = try BridgeFixture.echo(from: client, to: server, address: address, message: message)
        #expect(sent.failure == nil && sent.received == Array(message.utf8), "\(String(describing: sent.failure))")
        #expect(served.remote?.hasPrefix("\(expectedSource):") == true, "the server saw the client's own address")
    }

    /// A connect from `client`'s namespace to the host's own address fails: no route leads there.
    private func expectHostUnreachable(from client: LaunchedProcess) throws {
        let hostAddress = try Netlink().addresses().map(\.address.address).first { $0.octets[0] != 127 }
        guard let hostAddress else { return }
        let attempt = try BridgeFixture.program(in: client, "echo-client", ["\(hostAddress)", "22", "2000", "x"])
        let transcript = EchoChild.Transcript(parsing: attempt.finish(until: .now + .seconds(5)).output)
        #expect(transcript.failure?.errno == ENETUNREACH, "connect to the host's \(hostAddress): \(String(describing: transcript.failure))")
    }
}

@Suite("Bridge network, rootless")
struct ContainerNetworkRootlessTests {
    @Test(
        "an ordinary user is refused with a reason and a remedy, and nothing is made",
        .enabled(if: Witness.isLinux && getuid() != 0, "runs as an ordinary user (ctutor-ci in CI)"))
    func refusedWithoutRoot() throws {
        let refusal = try #require(ContainerNetwork.refusalWhenRootless())
        #expect(refusal.reason.en.contains("uid \(geteuid())") && refusal.remedy.en.contains("sudo"))
        let directory = "/tmp/ctutor-bridge-rootless-\(getpid())"
        #expect(throws: ContainerNetworkError.needsRoot(reason: refusal.reason, remedy: refusal.remedy)) {
            try ContainerNetwork.attach(
                containerPID: getpid(), containerID: "rootless", configuration: BridgeConfiguration(), stateDirectory: directory)
        }
        #expect(!FileManager.default.fileExists(atPath: directory), "the refusal comes before any state is written")
    }

    @Test("root in the host's user namespace is not refused", .enabled(if: Witness.isRoot, "needs root"))
    func rootIsNotRefused() {
        #expect(ContainerNetwork.refusalWhenRootless() == nil)
    }
}
