import Foundation
import Testing

@testable import Engine

private func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

@Suite("rtnetlink messages")
struct NetlinkMessageTests {
    @Test("an attribute counts its header and payload, then pads to 4 bytes")
    func attributeAlignment() {
        let name = NetlinkAttribute.string(3, "veth-a").encoded
        #expect(name.count == 12)
        #expect(Array(name[0..<4]) == [11, 0, 3, 0], "rta_len 11: 4 header bytes and \"veth-a\\0\"")
        #expect(name.last == 0)
        #expect(NetlinkAttribute(1, Array("veth".utf8)).encoded.count == 8, "no padding when already aligned")
        #expect(NetlinkAttribute(1, []).encoded == [4, 0, 1, 0])

        let nested = NetlinkAttribute.nested(18, [.string(3, "a"), .uint32(19, 7)])
        #expect(nested.payload.count == 8 + 8, "each child padded inside the parent")
        #expect(Array(nested.encoded[0..<2]) == [20, 0])
    }

    @Test("a veth request is byte for byte what `ip link add veth-c type veth peer name veth-d netns 32052` sends")
    func vethMatchesIproute2() {
        // Captured with strace from iproute2 6.1 (sequence 1795986020).
        let iproute2 = hex(
            "640000001000050664920c6b00000000000000000000000000000000000000000b000300766574682d6300003800120008000100"
                + "766574682c000200280001000000000000000000000000000000000008001300347d00000b000300766574682d640000")
        var message = RTNetlink.createVethRequest(name: "veth-c", peer: "veth-d", peerNamespacePID: 32052)
        message.sequence = 1_795_986_020
        #expect(message.encoded == iproute2)
    }

    @Test("an address request is what `ip addr add 10.200.0.1/30 dev` sends")
    func addressMatchesIproute2() throws {
        let iproute2 = hex("280000001400050663920c6b00000000021e000003000000080002000ac80001080001000ac80001")
        var message = RTNetlink.addAddressRequest(try #require(IPv4Network("10.200.0.1/30")), index: 3)
        message.sequence = 1_795_986_019
        #expect(message.encoded == iproute2)
    }

    @Test("link up changes only IFF_UP; a move carries IFLA_NET_NS_PID; a delete names the index")
    func linkRequests() {
        let up = RTNetlink.setLinkRequest(index: 5, up: true)
        #expect(up.encoded.count == 32)
        #expect(Array(up.payload[4..<16]) == [5, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0])
        #expect(RTNetlink.setLinkRequest(index: 5, up: false).payload[8] == 0)
        let move = RTNetlink.moveLinkRequest(index: 5, namespacePID: 0x0102_0304)
        #expect(Array(move.payload[16...]) == [8, 0, 19, 0, 4, 3, 2, 1])
        #expect(RTNetlink.deleteLinkRequest(index: 9).type == 17)
        #expect(RTNetlink.dumpRequest(RTNetlink.getLink).flags == 0x301)
    }

    @Test("replies split at aligned lengths; an error carries the negated errno; an overrun is refused")
    func decoding() throws {
        let first = NetlinkMessage(type: 16, flags: 2, sequence: 7, payload: [1, 2, 3]).encoded
        #expect(first.count == 20)
        let error = NetlinkMessage(type: 2, flags: 0, sequence: 7, payload: withUnsafeBytes(of: Int32(-1)) { Array($0) } + [0, 0, 0, 0])
        let messages = try #require(NetlinkMessage.decode(first + error.encoded))
        #expect(messages.count == 2)
        #expect(messages[0].payload == [1, 2, 3], "the padding is not part of the payload")
        #expect(messages[1].errorCode == 1, "EPERM")
        #expect(messages[0].errorCode == nil)
        var cut = first
        cut[0] = 200
        #expect(NetlinkMessage.decode(cut) == nil)
        #expect(NetlinkAttribute.decode([9, 0, 1, 0, 0]) == nil)
    }

    @Test("a link reply reads as ip link shows it")
    func linkReply() throws {
        let info = NetlinkAttribute.nested(18, [NetlinkAttribute(1, Array("veth".utf8))])
        let payload =
            RTNetlink.linkHeader(index: 4, flags: 0x1_1003)
            + NetlinkAttribute.encode([.string(3, "veth-a"), .uint32(5, 3), info])
        let link = try #require(NetworkLink(NetlinkMessage(type: 16, flags: 2, payload: payload)))
        #expect(link.name == "veth-a")
        #expect(link.index == 4)
        #expect(link.kind == "veth")
        #expect(link.peerIndex == 3)
        #expect(link.summary == "veth-a: <BROADCAST,MULTICAST,UP,LOWER_UP> UP")
        #expect(NetworkLink(index: 1, name: "lo", flags: 0x8).summary == "lo: <LOOPBACK> DOWN")
        #expect(NetworkLink(index: 2, name: "veth-b", flags: 0x1003).summary == "veth-b: <NO-CARRIER,BROADCAST,MULTICAST,UP> UP")
    }

    @Test("address and route replies")
    func addressAndRouteReplies() throws {
        let addressPayload =
            RTNetlink.addressHeader(prefix: 30, index: 4)
            + NetlinkAttribute.encode([NetlinkAttribute(2, [10, 200, 0, 1]), .string(3, "veth-a")])
        let address = try #require(NetworkAddress(NetlinkMessage(type: 20, flags: 2, payload: addressPayload)))
        #expect(address.summary == "veth-a 10.200.0.1/30")

        var header = RTNetlink.routeHeader()
        header[1] = 0
        header[4] = 254
        header[7] = 1
        let route = try #require(
            NetworkRoute(NetlinkMessage(type: 24, flags: 2, payload: header + NetlinkAttribute(5, [192, 0, 2, 1]).encoded)))
        #expect(route.isDefault)
        #expect(route.gateway?.description == "192.0.2.1")
        #expect(route.table == 254)
    }
}

@Suite("IPv4 networks")
struct IPv4NetworkTests {
    @Test("parse and print; bad text is refused")
    func parsing() throws {
        #expect(IPv4Address("10.200.0.1")?.value == 0x0AC8_0001)
        #expect(IPv4Network("10.200.0.1/30")?.description == "10.200.0.1/30")
        for bad in ["10.200.0", "10.200.0.256", "a.b.c.d", "1.2.3.+4", "1234.1.1.1", "1.2.3.4.5", ""] {
            #expect(IPv4Address(bad) == nil, "\(bad)")
        }
        for bad in ["1.2.3.4/33", "1.2.3.4/", "1.2.3.4", "1.2.3/8", "1.2.3.4/8/8"] {
            #expect(IPv4Network(bad) == nil, "\(bad)")
        }
        let net = try #require(IPv4Network("10.200.0.0/30"))
        #expect(net.host(1).description == "10.200.0.1/30")
        #expect(net.host(2).description == "10.200.0.2/30")
    }

    @Test("overlap, and the first candidate the host does not use; a default route rules nothing out")
    func choosing() throws {
        let candidates = IPv4Network.demoCandidates
        let defaultRoute = try #require(IPv4Network("0.0.0.0/0"))
        #expect(IPv4Network.firstFree(candidates, avoiding: [defaultRoute]) == candidates[0])
        let wide = try #require(IPv4Network("10.200.0.0/16"))
        #expect(wide.overlaps(candidates[0]) && candidates[0].overlaps(wide))
        #expect(IPv4Network.firstFree(candidates, avoiding: [wide]) == candidates[2])
        let host = try #require(IPv4Network("10.200.0.2/32"))
        #expect(IPv4Network.firstFree(candidates, avoiding: [host]) == candidates[1])
        let next = try #require(IPv4Network("10.200.0.4/30"))
        #expect(!next.overlaps(candidates[0]))
        #expect(IPv4Network.firstFree([candidates[0]], avoiding: [wide]) == nil)
    }
}

@Suite("/proc/<pid>/net parsing")
struct ProcNetTests {
    @Test("net/dev names, net/route lines and fib_trie's local addresses")
    func parsing() throws {
        let dev = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
            veth-a:    1234      10    0    0    0     0          0         0     1234      10    0    0    0     0       0          0

            """
        #expect(ProcNet.interfaceNames(parsingDev: dev) == ["lo", "veth-a"])

        let route =
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
            + "veth-a\t0000C80A\t00000000\t0001\t0\t0\t0\tFCFFFFFF\t0\t0\t0\n"
            + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
        let routes = try #require(ProcNet.routes(parsingRoute: route))
        #expect(routes.map(\.summary) == ["10.200.0.0/30 dev veth-a", "default via 192.0.2.1 dev eth0"])
        #expect(ProcNet.routes(parsingRoute: "Iface\nveth-a\tnothex\n") == nil)

        let trie = """
            Main:
              +-- 10.200.0.0/30 2 0 1
                 |-- 10.200.0.0
                    /30 link UNICAST
                 |-- 10.200.0.1
                    /32 host LOCAL
                 |-- 10.200.0.3
                    /32 link BROADCAST
            Local:
              +-- 10.200.0.0/30 2 0 1
                 |-- 10.200.0.1
                    /32 host LOCAL

            """
        #expect(ProcNet.localAddresses(parsingFibTrie: trie) == [try #require(IPv4Address("10.200.0.1"))])
    }
}
