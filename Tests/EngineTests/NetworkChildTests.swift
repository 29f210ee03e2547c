import Foundation
import Testing

@testable import Engine

@Suite("Hidden network programs' protocol")
struct NetworkChildProtocolTests {
    @Test("netlink operations go through one argument each and come back the same")
    func operations() throws {
        let address = try #require(IPv4Network("10.200.0.1/30"))
        let operations: [NetlinkChild.Operation] = [
            .show, .veth(name: "veth-a", peer: "veth-b", peerNamespacePID: 42), .veth(name: "v0", peer: "v1", peerNamespacePID: nil),
            .address(address, device: "veth-a"), .up("veth-a"), .down("veth-a"), .move("v1", namespacePID: 7), .delete("v0"),
        ]
        for operation in operations { #expect(NetlinkChild.Operation(argument: operation.argument) == operation) }
        #expect(NetlinkChild.Operation(argument: "veth a") == nil)
        #expect(NetlinkChild.Operation(argument: "address 10.200.0.1 veth-a") == nil)
        #expect(NetlinkChild.Operation(argument: "rm -rf") == nil)
    }

    @Test("the netlink program's report reads back into links, addresses, routes and a failure")
    func netlinkOutput() {
        let output = NetlinkChild.Output(
            parsing: "done\tup veth-a\nlink\t1\tlo\t8\t-\t-\nlink\t3\tveth-a\t11043\tveth\t2\naddress\t3\tveth-a\t10.200.0.1/30\n"
                + "route\t10.200.0.0/30\t254\t1\t-\t3\nerror\t1\tRTM_NEWLINK veth-a up\n")
        #expect(output.done == [.up("veth-a")])
        #expect(output.links.map(\.summary) == ["lo: <LOOPBACK> DOWN", "veth-a: <BROADCAST,MULTICAST,UP,LOWER_UP> UP"])
        #expect(output.links.last?.peerIndex == 2)
        #expect(output.addresses.map(\.summary) == ["veth-a 10.200.0.1/30"])
        #expect(output.routes.first?.outputIndex == 3)
        #expect(output.routes.first?.gateway == nil)
        #expect(output.failure == SyscallError(call: "RTM_NEWLINK veth-a up", errno: 1))
    }

    @Test("echo transcripts carry any bytes as hex")
    func echoTranscript() {
        let message = "안녕\tA\n"
        let encoded = Hex.encode(Array(message.utf8))
        #expect(Hex.decode(encoded) == Array(message.utf8))
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        let client = EchoChild.Transcript(
            parsing: "connected\t10.200.0.1:4000\t10.200.0.2:7\nsent\t\(encoded)\nreceived\t\(encoded)\n")
        #expect(client.local == "10.200.0.1:4000")
        #expect(client.remote == "10.200.0.2:7")
        #expect(client.received.map { String(decoding: $0, as: UTF8.self) } == message)
        #expect(client.failure == nil)
        let refused = EchoChild.Transcript(parsing: "error\t111\tconnect(10.200.0.2:7)\n")
        #expect(refused.failure?.errnoName == "ECONNREFUSED")
    }
}

@Suite(
    "Netlink on this kernel", .serialized,
    .enabled(if: Witness.isRoot, "needs root on Linux: unshare --net for a namespace of the test's own"),
    .enabled(if: Witness.ctutorBinary != nil, Witness.noBinaryReason))
struct NetlinkKernelTests {
    @Test("the host's links and addresses, read over netlink, are what /proc/net/dev and ip show")
    func readsHost() throws {
        let netlink = try Netlink()
        let names = try netlink.links().map(\.name)
        let dev = try Witness.text("/proc/net/dev").split(separator: "\n").dropFirst(2)
            .compactMap { $0.split(separator: ":").first?.trimmingCharacters(in: .whitespaces) }
        #expect(Set(names) == Set(dev))
        let shown = try Witness.run("ip", ["-o", "-4", "addr"]).output.split(separator: "\n").compactMap { line in
            line.split(separator: " ").firstIndex(of: "inet").map { line.split(separator: " ")[$0 + 1] }.map(String.init)
        }
        #expect(Set(try netlink.addresses().map(\.address.description)) == Set(shown))
    }

    @Test("ctutor __netlink in namespaces of the test's own: veth, address, up, down, move, delete")
    func changesANamespace() throws {
        let binary = try #require(Witness.ctutorBinary)
        let first = try Sleeper()
        let second = try Sleeper()
        func netlink(in sleeper: Sleeper, _ operations: [String]) throws -> NetlinkChild.Output {
            let run = try Witness.run("nsenter", ["-t", "\(sleeper.pid)", "-n", binary, "__netlink"] + operations)
            #expect(run.status == 0, "\(run.output)")
            return NetlinkChild.Output(parsing: run.output)
        }

        let made = try netlink(in: first, ["veth t0 t1", "address 10.99.0.1/30 t0", "up t0", "show", "down t0", "delete t1", "show"])
        #expect(made.failure == nil)
        #expect(made.done.count == 7)
        #expect(made.links.filter { $0.name == "t0" }.count == 1, "t0 in the first show; deleting its peer took it too")
        #expect(made.links.first { $0.name == "t0" }?.isUp == true)
        #expect(made.links.first { $0.name == "t0" }?.kind == "veth")
        #expect(made.addresses.map(\.summary) == ["t0 10.99.0.1/30"])
        #expect(made.links.filter { $0.name == "t1" }.count == 1)

        let moved = try netlink(in: first, ["veth m0 m1", "move m1 \(second.pid)", "show"])
        #expect(moved.links.map(\.name).sorted() == ["lo", "m0"])
        #expect(try Witness.run("nsenter", ["-t", "\(second.pid)", "-n", "ip", "-o", "link"]).output.contains(" m1@"))
        _ = try netlink(in: first, ["delete m0"])
        #expect(!(try Witness.run("nsenter", ["-t", "\(second.pid)", "-n", "ip", "-o", "link"]).output.contains(" m1")))
    }

    @Test("a refused request names the message and the errno")
    func refusal() throws {
        let binary = try #require(Witness.ctutorBinary)
        let run = try Witness.run("unshare", ["--net", binary, "__netlink", "up no-such-link"])
        #expect(run.status == 1)
        #expect(NetlinkChild.Output(parsing: run.output).failure == SyscallError(call: "find interface no-such-link", errno: ENODEV))
        let duplicate = try Witness.run("unshare", ["--net", binary, "__netlink", "veth t0 t1", "veth t0 t1"])
        #expect(NetlinkChild.Output(parsing: duplicate.output).failure?.errnoName == "EEXIST")
    }
}

/// A `sleep` in a network namespace of its own (`unshare --net`), killed when dropped.
private final class Sleeper {
    let process = Process()
    var pid: Int32 { process.processIdentifier }

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--net", "/bin/sleep", "30"]
        try process.run()
        // unshare execs sleep once the namespace exists; until then it is in ours.
        let own = try Witness.link("/proc/self/ns/net")
        var tries = 0
        while (try? Witness.link("/proc/\(pid)/ns/net")) == own, tries < 500 {
            usleep(10_000)
            tries += 1
        }
    }

    deinit {
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }
}
