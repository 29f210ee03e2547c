import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

private func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace })
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

private func network(_ text: String) -> IPv4Network { IPv4Network(text)! }

@Suite("Bridge network: configuration, names, leases (pure)")
struct ContainerNetworkUnitTests {
    @Test("a bridge request and a master request are byte for byte what iproute2 sends")
    func requestsMatchIproute2() {
        // Captured with `strace -e write=3` from iproute2 6.1 (sequence 1795993242):
        // `ip link add br-x type bridge`, then `ip link set dev veth-q master br-x` (veth-q index 4, br-x index 2).
        var bridge = RTNetlink.createBridgeRequest(name: "br-x")
        bridge.sequence = 1_795_993_242
        #expect(
            bridge.encoded
                == hex(
                    "3c000000100005069aae0c6b00000000 00000000000000000000000000000000"
                        + "0900030062722d780000000010001200 0a000100627269646765 0000"))
        var master = RTNetlink.setMasterRequest(index: 4, master: 2)
        master.sequence = 1_795_993_242
        #expect(master.encoded == hex("28000000100005009aae0c6b00000000 00000000040000000000000000000000 08000a0002000000"))
    }

    @Test("a veth whose peer goes into a namespace by descriptor carries IFLA_NET_NS_FD, not IFLA_NET_NS_PID")
    func vethByDescriptor() throws {
        let message = RTNetlink.createVethRequest(name: "ctv0a1b2c3d", peer: "eth0", peerNamespaceFD: 7)
        let attributes = try #require(NetlinkAttribute.decode(message.payload.dropFirst(16)))
        let info = try #require(attributes.first { $0.type == 18 }.flatMap { NetlinkAttribute.decode($0.payload) })
        let data = try #require(info.first { $0.type == 2 }.flatMap { NetlinkAttribute.decode($0.payload) })
        let peer = try #require(data.first { $0.type == 1 }.flatMap { NetlinkAttribute.decode($0.payload.dropFirst(16)) })
        #expect(peer.first { $0.type == 28 }?.uint32 == 7)
        #expect(!peer.contains { $0.type == 19 })
        #expect(peer.first { $0.type == 3 }?.string == "eth0")
    }

    @Test("a link reply names its master bridge")
    func masterInReply() throws {
        let payload = RTNetlink.linkHeader(index: 9, flags: 0x1003) + NetlinkAttribute.encode([.string(3, "ctv1"), .uint32(10, 5)])
        #expect(try #require(NetworkLink(NetlinkMessage(type: 16, flags: 2, payload: payload))).master == 5)
    }

    @Test("CTUTOR_BRIDGE_SUBNET: a private network with prefix 16 to 29 is taken; anything else is refused with its reason")
    func subnetFromEnvironment() {
        #expect(BridgeConfiguration.fromEnvironment([:]) == .success(BridgeConfiguration(bridgeName: "ctutor0", subnet: nil)))
        let good = BridgeConfiguration.fromEnvironment(["CTUTOR_BRIDGE_SUBNET": "10.123.0.0/24"])
        #expect(good == .success(BridgeConfiguration(subnet: network("10.123.0.0/24"))))
        for text in ["172.16.0.0/16", "192.168.250.0/29", "172.31.255.248/29"] {
            #expect((try? BridgeConfiguration.validate(subnet: text).get()) == network(text), "\(text)")
        }
        let refused: [(String, ContainerNetworkError.SubnetProblem)] = [
            ("10.123.0.0", .notANetwork), ("ten/24", .notANetwork), ("10.0.0.0/8", .prefixOutOfRange),
            ("10.123.0.0/30", .prefixOutOfRange), ("10.123.0.5/24", .hostBitsSet(network: network("10.123.0.0/24"))),
            ("8.8.8.0/24", .notPrivate), ("172.32.0.0/24", .notPrivate), ("192.169.0.0/24", .notPrivate),
        ]
        for (text, problem) in refused {
            #expect(
                BridgeConfiguration.fromEnvironment(["CTUTOR_BRIDGE_SUBNET": text])
                    == .failure(.invalidSubnet(text: text, problem: problem)),
                "\(text)")
        }
        let error = ContainerNetworkError.invalidSubnet(text: "8.8.8.0/24", problem: .notPrivate)
        #expect(error.reason.en.contains("8.8.8.0/24") && error.reason.ko.contains("사설"))
        #expect(error.remedy?.en.contains("CTUTOR_BRIDGE_SUBNET=") == true)
    }

    @Test("the subnet chooser skips every candidate a host address or route touches; a default route rules nothing out")
    func chooser() {
        let candidates = BridgeConfiguration.subnetCandidates
        #expect(candidates.first == network("10.88.0.0/24"))
        #expect(candidates.allSatisfy { $0.prefix == 24 && $0.network == $0 })
        let defaultRoute = network("0.0.0.0/0")
        #expect(BridgeConfiguration.chooseSubnet(hostAddresses: [network("192.0.2.2/24")], hostRoutes: [defaultRoute]) == candidates[0])
        // A host address planted in 10.88.0.0/24, as on a dummy link: the next candidate.
        #expect(BridgeConfiguration.chooseSubnet(hostAddresses: [network("10.88.0.77/24")], hostRoutes: []) == network("10.89.0.0/24"))
        // Podman's 10.88.0.0/16 route and a VPN's 10.89.0.0/16: both skipped.
        #expect(
            BridgeConfiguration.chooseSubnet(hostAddresses: [], hostRoutes: [network("10.88.0.0/16"), network("10.89.0.0/16")])
                == network("10.90.0.0/24"))
        // A /8 route covers all of 10/8.
        #expect(BridgeConfiguration.chooseSubnet(hostAddresses: [], hostRoutes: [network("10.0.0.0/8")]) == network("172.30.0.0/24"))
        let everything = candidates.map { IPv4Network($0.address, prefix: 16) }
        #expect(BridgeConfiguration.chooseSubnet(hostAddresses: everything, hostRoutes: []) == nil)
        #expect(BridgeConfiguration.conflict(of: network("10.88.0.0/24"), hostAddresses: [], hostRoutes: [defaultRoute]) == nil)
        #expect(
            BridgeConfiguration.conflict(of: network("10.88.0.0/24"), hostAddresses: [network("10.88.0.1/32")], hostRoutes: [])
                == network("10.88.0.1/32"))
    }

    @Test("addresses are leased from .2 up, the lowest free first; .1, the network and broadcast never")
    func addresses() {
        let subnet = network("10.88.0.0/24")
        #expect(ContainerNetwork.firstFreeAddress(in: subnet, taken: []) == network("10.88.0.2/24"))
        let taken: Set<IPv4Address> = [IPv4Address("10.88.0.2")!, IPv4Address("10.88.0.4")!]
        #expect(ContainerNetwork.firstFreeAddress(in: subnet, taken: taken) == network("10.88.0.3/24"))
        let small = network("192.168.250.0/29")
        let five = (2...6).map { small.host(UInt32($0)).address }
        #expect(ContainerNetwork.firstFreeAddress(in: small, taken: Set(five.dropLast())) == network("192.168.250.6/29"))
        #expect(ContainerNetwork.firstFreeAddress(in: small, taken: Set(five)) == nil)
    }

    @Test("host interface names: ctv and 8 hex digits, the ID's own when it is hex, a hash otherwise")
    func interfaceNames() {
        #expect(BridgeAttachment.hostInterfaceName(for: "3F2A9C1B77e0d1") == "ctv3f2a9c1b")
        let named = BridgeAttachment.hostInterfaceName(for: "web-1")
        #expect(named.count == 11 && named.hasPrefix("ctv") && named.dropFirst(3).allSatisfy(\.isHexDigit))
        #expect(named == BridgeAttachment.hostInterfaceName(for: "web-1"), "the same ID, the same name")
        #expect(named != BridgeAttachment.hostInterfaceName(for: "web-2"))
        // FNV-1a of "a" is 0xe40c292c.
        #expect(BridgeAttachment.hostInterfaceName(for: "a") == "ctve40c292c")
        #expect(BridgeAttachment.isValidContainerID("3f2a9c1b") && BridgeAttachment.isValidContainerID("web_1.test-2"))
        for bad in ["", "../x", "a/b", ".hidden", "-x", "a b", "한글", String(repeating: "a", count: 129)] {
            #expect(!BridgeAttachment.isValidContainerID(bad), "\(bad)")
        }
        #expect(BridgeConfiguration.isValidLinkName("ctutor0"))
        for bad in ["", "sixteen-bytes-xx", "a/b", "a b", ".", "br:0"] {
            #expect(!BridgeConfiguration.isValidLinkName(bad), "\(bad)")
        }
    }

    @Test("a lease reads back as written; a torn or foreign file is no lease")
    func leaseText() {
        let lease = BridgeLease(
            containerID: "web-1", bridge: "ctutor0", hostInterface: "ctv1234abcd", address: network("10.88.0.3/24"), pid: 4242,
            start: 987_654)
        #expect(BridgeLease(text: lease.text) == lease)
        #expect(lease.attachment.subnet == network("10.88.0.0/24"))
        #expect(BridgeLease(text: String(lease.text.dropLast(12))) == nil)
        #expect(BridgeLease(text: "ctutor-run 1\n") == nil)
        let encoded = try? JSONEncoder().encode(lease.attachment)
        #expect(encoded.flatMap { String(data: $0, encoding: .utf8) }?.contains("\"10.88.0.3\\/24\"") == true)
        #expect(encoded.flatMap { try? JSONDecoder().decode(BridgeAttachment.self, from: $0) } == lease.attachment)
    }

    @Test("the state lock: a second taker waits, and gives up with EWOULDBLOCK when the holder does not let go")
    func lockPatience() throws {
        let directory = "/tmp/ctutor-bridge-lock-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let state = try BridgeState(directory: directory)
        var holder: BridgeLock? = try state.lock()
        #expect(holder != nil)
        let start = ContinuousClock.now
        #expect(throws: ContainerNetworkError.syscall(SyscallError(call: "flock \(directory)/bridge.lock LOCK_EX", errno: EWOULDBLOCK))) {
            try state.lock(patience: .milliseconds(60))
        }
        #expect(ContinuousClock.now - start >= .milliseconds(60))
        holder = nil
        #expect(throws: Never.self) { try state.lock(patience: .milliseconds(60)) }
        for sub in ["", "/leases", "/bridges"] {
            var info = stat()
            #expect(lstat(directory + sub, &info) == 0 && info.st_mode & 0o777 == 0o700, "\(directory + sub) is private")
        }
    }

    @Test("only root in the host's user namespace with CAP_NET_ADMIN may make a bridge; others get a reason and a remedy")
    func refusal() throws {
        let all: UInt64 = 0x1FF_FFFF_FFFF
        #expect(ContainerNetwork.refusal(euid: 0, inInitialUserNamespace: true, effective: all) == nil)
        let user = try #require(ContainerNetwork.refusal(euid: 1000, inInitialUserNamespace: true, effective: 0))
        #expect(user.reason.en.contains("uid 1000") && user.reason.en.contains("CAP_NET_ADMIN"))
        #expect(user.remedy.en.contains("sudo") && user.remedy.ko.contains("sudo"))
        let nested = try #require(ContainerNetwork.refusal(euid: 0, inInitialUserNamespace: false, effective: all))
        #expect(nested.reason.en.contains("user namespace"))
        let dropped = try #require(ContainerNetwork.refusal(euid: 0, inInitialUserNamespace: true, effective: all & ~(1 << 12)))
        #expect(dropped.reason.en.contains("CAP_NET_ADMIN"))
    }
}
