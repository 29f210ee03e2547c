import Foundation
import Testing

@testable import Engine

/// The plain JSON the runtime and the shim read and write instead of `Codable`: it must
/// read what Foundation reads, write what Foundation reads back, and mean the same
/// record as the `Codable` conformances it stands beside.
@Suite("Plain JSON")
struct JSONValueTests {
    /// A spec with every optional field set, and values that need care: a 64-bit
    /// limit, a negative swap, escapes, Hangul, an emoji, a slash.
    static let fullSpec: OCISpec = {
        var spec = OCISpec.docker(
            args: ["sh", "-c", "echo \"안녕\" \\ 🙂\n\ttab/slash"], env: ["PATH=/bin", "LANG=ko_KR.UTF-8"], cwd: "/work",
            hostname: "box", rootless: true, terminal: false)
        spec.domainname = "example.org"
        spec.annotations = ["org.example/key": "value with \u{1} control", "둘": "2"]
        spec.process.user.additionalGids = [5, 4_294_967_295]
        spec.process.rlimits = [OCISpec.Rlimit(type: "RLIMIT_NOFILE", hard: UInt64.max, soft: 1024)]
        spec.process.capabilities?.inheritable = []
        spec.linux.uidMappings = [OCISpec.IDMapping(containerID: 0, hostID: 100_000, size: 65536)]
        spec.linux.gidMappings = [OCISpec.IDMapping(containerID: 0, hostID: 100_000, size: 65536)]
        spec.linux.resources = OCISpec.Resources(
            memory: .init(limit: 64 << 20, swap: -1), pids: .init(limit: 64), cpu: .init(quota: 50000, period: 100_000),
            devices: [.init(allow: false, type: nil, major: nil, minor: nil, access: "rwm"), .init(allow: true, type: "c", major: 1, minor: 3, access: "rw")])
        spec.linux.cgroupsPath = "/ctutor/box"
        spec.linux.namespaces.append(OCISpec.Namespace(type: "network", path: "/proc/1/ns/net"))
        return spec
    }()

    @Test("a spec written here is read back equal by JSONDecoder, and JSONEncoder's is read back equal here")
    func specAgreesWithCodable() throws {
        for spec in [Self.fullSpec, OCISpec.docker(args: ["true"], env: [], hostname: "h", rootless: false)] {
            for pretty in [false, true] {
                let text = spec.json.serialized(pretty: pretty)
                #expect(try JSONDecoder().decode(OCISpec.self, from: Data(text.utf8)) == spec, "\(text)")
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            #expect(try OCISpec(jsonBytes: Array(try encoder.encode(spec))) == spec)
        }
    }

    @Test("the runtime's records agree with their Codable form both ways")
    func recordsAgreeWithCodable() throws {
        let state = RuntimeState(
            id: "web-1", bundle: "/b", rootfs: "/b/rootfs", pid: 4_000_000, pidStart: UInt64.max, created: "2026-11-30T07:00:00Z",
            cgroupPaths: ["/sys/fs/cgroup/pids/ctutor/web-1", "/sys/fs/cgroup/memory/ctutor/web-1"], annotations: ["a": "b"], owner: 1000)
        let shim = ShimRecord(pid: 42, pidStart: 123_456, socket: "/run/x/shim.sock", log: "/var/log/x.log")
        let exits = [
            ExitRecord(exitStatus: 137, signal: 9, exitedAt: "2026-11-30T07:00:01Z"), ExitRecord(exitStatus: 0, signal: nil, exitedAt: "t"),
        ]
        #expect(try JSONDecoder().decode(RuntimeState.self, from: Data(state.json.serialized().utf8)) == state)
        #expect(try RuntimeState(jsonBytes: Array(try JSONEncoder().encode(state))) == state)
        #expect(try JSONDecoder().decode(ShimRecord.self, from: Data(shim.json.serialized().utf8)) == shim)
        #expect(try ShimRecord(jsonBytes: Array(try JSONEncoder().encode(shim))) == shim)
        for exit in exits {
            #expect(try JSONDecoder().decode(ExitRecord.self, from: Data(exit.json.serialized().utf8)) == exit)
            #expect(try ExitRecord(jsonBytes: Array(try JSONEncoder().encode(exit))) == exit)
        }
        // An absent optional is not written at all, as JSONEncoder leaves it out.
        #expect(!exits[1].json.serialized().contains("signal"))
    }

    @Test("documents read the same as JSONSerialization reads them")
    func agreesWithFoundation() throws {
        let documents = [
            #"{"a": [1, -2, 3.5, 1e3, -0.25E-2, 18446744073709551615], "b": {"c": null, "d": true, "e": false}}"#,
            #"["\u00e9\ud83d\ude00", "\"\\\/\b\f\n\r\t", "한국어", ""]"#,
            " \n\t{ \"spaces\" :\r\n [ ] , \"empty\" : { } } \n",
            #""just a string""#, "0", "-0", "null",
        ]
        for document in documents {
            let ours = try JSONValue(parsing: document)
            let theirs = try JSONSerialization.jsonObject(with: Data(document.utf8), options: [.fragmentsAllowed])
            let rewritten = try JSONSerialization.jsonObject(with: Data(ours.serialized().utf8), options: [.fragmentsAllowed])
            #expect(NSArray(object: theirs).isEqual(NSArray(object: rewritten)), "\(document) → \(ours.serialized())")
            // Written with keys sorted: the same document once read again and written.
            #expect(try JSONValue(parsing: ours.serialized(pretty: true)).serialized() == ours.serialized())
        }
        #expect(try JSONValue(parsing: #"{"n": 18446744073709551615}"#)["n"] == .number("18446744073709551615"))
        #expect(try JSONValue(parsing: #""\ud83d\ude00""#) == .string("😀"))
    }

    @Test("strings that need escapes survive a round trip; / and non-ASCII are written as they are")
    func escapes() throws {
        let strings = ["", "\"", "\\", "a/b", "\u{0}\u{1}\u{1F}\u{7F}", "줄\n바꿈\r\t", "🙂 é ẞ", String(repeating: "x", count: 3000)]
        for text in strings {
            let written = JSONValue.string(text).serialized()
            #expect(try JSONValue(parsing: written) == .string(text))
            #expect(try JSONSerialization.jsonObject(with: Data(written.utf8), options: [.fragmentsAllowed]) as? String == text)
        }
        #expect(JSONValue.string("a/b 한").serialized() == "\"a/b 한\"")
        #expect(JSONValue.string("\u{1}").serialized() == #""\u0001""#)
        #expect(JSONValue.fields(["b": .integer(Int64(1)), "a": nil, "c": .null]).serialized() == #"{"b":1,"c":null}"#)
        #expect(JSONValue.fields(["z": .bool(true), "a": .strings(["x"])]).serialized(pretty: true) == "{\n  \"a\" : [\n    \"x\"\n  ],\n  \"z\" : true\n}")
    }

    @Test(
        "text that is not JSON is refused with its line and column",
        arguments: [
            ("{\"a\": 1,}", 1, "expected a key"), ("[1, 2", 1, "ends inside an array"), ("{\"a\" 1}", 1, "expected ':'"),
            ("{\n  \"a\": tru\n}", 2, "expected true"), ("[01]", 1, "cannot start with 0"), ("[1.]", 1, "digits after"),
            ("\"a\u{1}\"", 1, "control character"), ("\"\\x\"", 1, "not an escape"), ("\"\\ud800\"", 1, "lone surrogate"),
            ("{} {}", 1, "after the document"), ("", 1, "ends where a value"), ("\n\n  @", 3, "cannot start with '@'"),
        ])
    func refusesMalformed(text: String, line: Int, problem: String) {
        #expect {
            try JSONValue(parsing: text)
        } throws: { error in
            guard let error = error as? JSONSyntaxError else { return false }
            return error.line == line && error.problem.contains(problem)
        }
    }

    @Test("nesting deeper than 512 is refused, not a stack overflow")
    func deepNesting() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: String(repeating: "[", count: 100_000)) }
        #expect((try? JSONValue(parsing: String(repeating: "[", count: 500) + String(repeating: "]", count: 500))) != nil)
    }

    @Test("a record of the wrong shape names the member's path and what is wrong")
    func shapeErrors() {
        func problem(_ text: String) -> String {
            do {
                _ = try OCISpec(jsonBytes: Array(text.utf8))
                return "accepted"
            } catch {
                return error.description
            }
        }
        let base = #""ociVersion": "1.0.2", "root": {"path": "rootfs"}, "mounts": [], "linux": {"namespaces": []}"#
        let process = #""user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": "/""#
        #expect(problem("{\(base)}") == "process is missing")
        #expect(problem(#"{\#(base), "process": {"user": {"gid": 0}, "args": ["sh"], "cwd": "/"}}"#) == "process.user.uid is missing")
        #expect(problem(#"{\#(base), "process": {"user": {"uid": 0, "gid": 0}, "args": ["sh", 2], "cwd": "/"}}"#)
            == "process.args[1]: expected a string, found a number")
        #expect(problem(#"{\#(base), "process": {"user": {"uid": -1, "gid": 0}, "args": [], "cwd": "/"}}"#).hasPrefix("process.user.uid: -1 is not a whole number"))
        #expect(problem(#"{\#(base), "process": {\#(process), "terminal": "no"}}"#) == "process.terminal: expected a boolean, found a string")
        #expect(problem(#"{\#(base), "process": {\#(process), "env": null, "rlimits": null}, "unknown": [1]}"#) == "accepted")
        #expect(problem(#"{\#(base), "process": {\#(process)}, "annotations": {"a": 1}}"#) == "annotations.a: expected a string, found a number")
        #expect(problem("[]") == "expected an object, found an array")
        #expect(problem("{") == "not valid JSON at line 1, column 2: expected a key in quotes")
    }
}
