import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

@Suite("Bridge network: reading the firewall (pure)")
struct ContainerNetworkFirewallParsingTests {
    @Test("an nftables chain reply: a base chain with its hook and policy in network order; a regular chain is skipped")
    func chainReply() throws {
        let hook = NetlinkAttribute(0x8000 | 4, NetlinkAttribute.encode([.uint32(1, UInt32(2).bigEndian), .uint32(2, 0)]))
        let attributes: [NetlinkAttribute] = [.string(1, "filter"), .string(3, "FORWARD"), hook, .uint32(5, UInt32(0).bigEndian)]
        let reply = NetlinkMessage(type: 0x0A03, flags: 2, payload: [2, 0, 0, 7] + NetlinkAttribute.encode(attributes))
        #expect(
            BridgeFirewall.chain(reply) == BridgeFirewall.Chain(family: 2, table: "filter", name: "FORWARD", hook: 2, policy: 0))
        let regular = NetlinkMessage(type: 0x0A03, flags: 2, payload: [2, 0, 0, 7] + NetlinkAttribute.encode([.string(3, "DOCKER")]))
        #expect(BridgeFirewall.chain(regular) == nil)
        #expect(BridgeFirewall.chainDumpRequest.encoded.count == 20)
        #expect(BridgeFirewall.chainDumpRequest.type == 0x0A04)
    }

    @Test("the legacy FORWARD policy is the verdict of the entry at its underflow")
    func legacyVerdict() {
        var info = [UInt8](repeating: 0, count: 84)
        withUnsafeBytes(of: UInt32(0b01110)) { info.replaceSubrange(32..<36, with: $0) }  // LOCAL_IN, FORWARD, LOCAL_OUT
        withUnsafeBytes(of: UInt32(152)) { info.replaceSubrange(64..<68, with: $0) }  // underflow[FORWARD]
        var table = [UInt8](repeating: 0, count: 152 + 152)
        withUnsafeBytes(of: UInt16(112)) { table.replaceSubrange(152 + 88..<152 + 90, with: $0) }
        withUnsafeBytes(of: Int32(-1)) { table.replaceSubrange(152 + 112 + 32..<152 + 112 + 36, with: $0) }
        #expect(BridgeFirewall.forwardVerdict(info: info, table: table) == -1)
        withUnsafeBytes(of: UInt32(0b01010)) { info.replaceSubrange(32..<36, with: $0) }
        #expect(BridgeFirewall.forwardVerdict(info: info, table: table) == nil, "no FORWARD hook in this table")
    }

    @Test("what is in the way: FORWARD drop only with bridge-nf-call-iptables on; a bridge-family drop always")
    func blockers() throws {
        let ipForward = BridgeFirewall.Chain(family: 2, table: "filter", name: "FORWARD", hook: 2, policy: 0)
        let accepting = BridgeFirewall.Chain(family: 1, table: "fw", name: "forward", hook: 2, policy: 1)
        let input = BridgeFirewall.Chain(family: 2, table: "filter", name: "INPUT", hook: 1, policy: 0)
        let bridged = BridgeFirewall.Chain(family: 7, table: "br", name: "fwd", hook: 2, policy: 0)
        #expect(
            BridgeFirewall(callIptables: true, chains: [ipForward, accepting, input], legacyForwardVerdict: nil).blockers == [
                "nftables ip filter FORWARD"
            ])
        #expect(BridgeFirewall(callIptables: false, chains: [ipForward], legacyForwardVerdict: -1).blockers.isEmpty)
        #expect(BridgeFirewall(callIptables: nil, chains: [ipForward], legacyForwardVerdict: -1).blockers.isEmpty)
        #expect(BridgeFirewall(callIptables: true, chains: [], legacyForwardVerdict: -1).blockers == ["iptables-legacy filter FORWARD"])
        #expect(BridgeFirewall(callIptables: true, chains: [], legacyForwardVerdict: -2).blockers.isEmpty)
        #expect(BridgeFirewall(callIptables: false, chains: [bridged], legacyForwardVerdict: nil).blockers == ["nftables bridge br fwd"])
        let warning = try #require(
            BridgeFirewall(callIptables: true, chains: [ipForward], legacyForwardVerdict: nil).warning(bridge: "ctutor0"))
        #expect(warning.reason.en.contains("bridge-nf-call-iptables=1") && warning.reason.en.contains("nftables ip filter FORWARD"))
        #expect(warning.remedy.en.contains("-i ctutor0 -o ctutor0 -j ACCEPT") && warning.remedy.ko.contains("ctutor0"))
        #expect(BridgeFirewall(callIptables: true, chains: [accepting], legacyForwardVerdict: nil).warning(bridge: "ctutor0") == nil)
    }
}

/// The firewall read for real, in a throwaway network namespace whose rules the test
/// sets with the nft and iptables-legacy tools: the host's firewall is never touched.
@Suite(
    "Bridge network: reading the firewall, for real", .serialized,
    .enabled(if: Witness.isRoot, "needs root: reading netfilter tables takes CAP_NET_ADMIN"),
    .enabled(if: Witness.isInstalled("nsenter"), "needs nsenter (util-linux)"))
struct ContainerNetworkFirewallTests {
    @Test("a thread joins a namespace for one job and ends; the caller's namespace is unchanged", .timeLimit(.minutes(1)))
    func namespaceThread() throws {
        let fixture = try BridgeFixture()
        let holder = try fixture.hold()
        let ours = try Witness.link("/proc/thread-self/ns/net")
        let fd = open("/proc/\(holder.pid)/ns/net", O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        let seen = try NamespaceThread.run(inNetworkNamespace: fd) { (try? Witness.link("/proc/thread-self/ns/net")) ?? "" }
        #expect(seen == (try Witness.link("/proc/\(holder.pid)/ns/net")))
        #expect(try Witness.link("/proc/thread-self/ns/net") == ours)
        let inside = try Netlink(inNetworkNamespace: fd).links()
        #expect(inside.map(\.name) == ["lo"], "the socket answers for the container's namespace, not the host's")
    }

    @Test(
        "an nftables forward chain with policy drop in the namespace is found; a fresh namespace has none",
        .enabled(if: Witness.isInstalled("nft"), "needs nft (Debian package nftables)"))
    func nftablesDrop() throws {
        let fixture = try BridgeFixture()
        let clean = try fixture.hold()
        let dropping = try fixture.hold()
        for command in ["add table ip filter", "add chain ip filter FORWARD { type filter hook forward priority 0 ; policy drop ; }"] {
            let result = try Witness.run(
                "nsenter", ["-t", "\(dropping.pid)", "-n", "nft"] + command.split(separator: " ").map(String.init))
            try #require(result.status == 0, "nft \(command)")
        }
        let found = try read(in: dropping)
        #expect(found.callIptables == true, "a new namespace starts with bridge-nf-call-iptables=1")
        #expect(found.chains.contains(BridgeFirewall.Chain(family: 2, table: "filter", name: "FORWARD", hook: 2, policy: 0)))
        #expect(found.blockers == ["nftables ip filter FORWARD"])
        #expect(try read(in: clean).blockers.isEmpty)
    }

    @Test(
        "a legacy iptables FORWARD policy, DROP then ACCEPT, read through getsockopt",
        .enabled(if: Witness.isInstalled("iptables-legacy"), "needs iptables-legacy (Debian package iptables)"))
    func legacyDrop() throws {
        let fixture = try BridgeFixture()
        let holder = try fixture.hold()
        #expect(try read(in: holder).legacyForwardVerdict == nil, "no filter table yet, and none is made by looking")
        try #require(try Witness.run("nsenter", ["-t", "\(holder.pid)", "-n", "iptables-legacy", "-P", "FORWARD", "DROP"]).status == 0)
        #expect(try read(in: holder).legacyForwardVerdict == -1)
        #expect(try read(in: holder).blockers == ["iptables-legacy filter FORWARD"])
        try #require(try Witness.run("nsenter", ["-t", "\(holder.pid)", "-n", "iptables-legacy", "-P", "FORWARD", "ACCEPT"]).status == 0)
        #expect(try read(in: holder).legacyForwardVerdict == -2)
    }

    @Test(
        "in a namespace standing in for the host, a FORWARD policy of drop stops traffic across the bridge, as the warning says",
        .enabled(if: Witness.isInstalled("nft"), "needs nft (Debian package nftables)"))
    func forwardDropStopsTraffic() throws {
        let fixture = try BridgeFixture()
        let host = try fixture.hold()
        let (a, b) = (try fixture.hold(), try fixture.hold())
        let fd = open("/proc/\(host.pid)/ns/net", O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        let (configuration, directory) = (fixture.configuration, fixture.stateDirectory)
        let attachments = try [a, b].enumerated().map { index, container in
            try NamespaceThread.run(inNetworkNamespace: fd) {
                Result { () throws(ContainerNetworkError) in
                    try ContainerNetwork.attach(
                        containerPID: container.pid, containerID: "behind-\(index)", configuration: configuration, stateDirectory: directory
                    )
                }
            }.get()
        }
        let warning = { () throws -> (reason: Localized, remedy: Localized)? in
            try NamespaceThread.run(inNetworkNamespace: fd) { ContainerNetwork.firewallCheck(bridge: configuration.bridgeName) }
        }
        #expect(try warning() == nil)
        let open = try BridgeFixture.echo(
            from: a, to: b, address: attachments[1].address.address, message: "open", timeoutMilliseconds: 1000)
        #expect(open.client.received == Array("open".utf8), "\(String(describing: open.client.failure))")

        for command in ["add table ip filter", "add chain ip filter FORWARD { type filter hook forward priority 0 ; policy drop ; }"] {
            let result = try Witness.run("nsenter", ["-t", "\(host.pid)", "-n", "nft"] + command.split(separator: " ").map(String.init))
            try #require(result.status == 0, "nft \(command)")
        }
        let said = try #require(try warning())
        #expect(said.reason.en.contains("nftables ip filter FORWARD") && said.remedy.en.contains(configuration.bridgeName))
        let shut = try BridgeFixture.echo(
            from: a, to: b, address: attachments[1].address.address, message: "shut", timeoutMilliseconds: 1000)
        #expect(shut.client.failure != nil && shut.client.received == nil, "the connect does not get through")

        for attachment in attachments {
            try NamespaceThread.run(inNetworkNamespace: fd) {
                Result { () throws(ContainerNetworkError) in try ContainerNetwork.detach(attachment, stateDirectory: directory) }
            }.get()
        }
        let left = try Witness.run("nsenter", ["-t", "\(host.pid)", "-n", "ip", "-o", "link", "show"]).output
        #expect(!left.contains(configuration.bridgeName) && !left.contains("ctv"), "\(left)")
    }

    private func read(in holder: LaunchedProcess) throws -> BridgeFirewall {
        let fd = open("/proc/\(holder.pid)/ns/net", O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        return try NamespaceThread.run(inNetworkNamespace: fd) { BridgeFirewall.read() }
    }
}
