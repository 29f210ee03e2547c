import Foundation
import Testing

@testable import Engine

/// What the runtime reads from a bundle: fields that change isolation and are not
/// implemented are refused by name; capabilities as runc gives them; signals by name.
@Suite("OCI runtime bundle")
struct RuntimeBundleTests {
    @Test(
        "unsupported fields are refused by name",
        arguments: [
            (#"{"hooks": {"prestart": [{"path": "/bin/true"}]}}"#, "hooks"),
            (#"{"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO"}}}"#, "linux.seccomp"),
            (#"{"process": {"terminal": true}}"#, "process.terminal"),
            (#"{"linux": {"sysctl": {"net.ipv4.ip_forward": "1"}}}"#, "linux.sysctl"),
            (#"{"mounts": [{"destination": "/sys/fs/cgroup", "type": "cgroup"}]}"#, "type cgroup"),
            (#"{"linux": {"resources": {"cpu": {"cpus": "0-1"}}}}"#, "cpu.cpus"),
        ])
    func refused(json: String, named: String) throws {
        let problem = try #require(RuntimeBundle.unsupported(in: try JSONValue(parsing: json)))
        #expect(problem.contains(named), "\(problem)")
    }

    @Test("what is supported, or empty, is not refused")
    func accepted() throws {
        let json =
            #"{"hooks": {}, "process": {"terminal": false, "apparmorProfile": ""}, "linux": {"sysctl": {}, "resources": {"devices": [{"allow": false, "access": "rwm"}]}}}"#
        #expect(RuntimeBundle.unsupported(in: try JSONValue(parsing: json)) == nil)
    }

    @Test("capabilities: only those in bounding, permitted and effective alike; none when left out; CAP_MKNOD gone under deny-all devices")
    func capabilities() {
        let asked = OCISpec.Capabilities(
            bounding: ["CAP_KILL", "CAP_CHOWN", "CAP_MKNOD"], effective: ["CAP_KILL", "CAP_MKNOD"],
            permitted: ["CAP_KILL", "CAP_CHOWN", "CAP_MKNOD"], inheritable: nil, ambient: nil)
        #expect(RuntimeBundle.keptCapabilities(asked, devices: nil).bounding == ["CAP_KILL", "CAP_MKNOD"])
        #expect(RuntimeBundle.keptCapabilities(nil, devices: nil).bounding == [])
        let denyAll = [OCISpec.Resources.DeviceRule(allow: false, type: nil, major: nil, minor: nil, access: "rwm")]
        #expect(RuntimeBundle.keptCapabilities(asked, devices: denyAll).bounding == ["CAP_KILL"])
    }

    @Test("signals by name, with or without SIG, any case, or number")
    func signals() {
        #expect(RuntimeSignal.parse("TERM") == SIGTERM)
        #expect(RuntimeSignal.parse("SIGKILL") == SIGKILL)
        #expect(RuntimeSignal.parse("usr1") == SIGUSR1)
        #expect(RuntimeSignal.parse("9") == 9)
        #expect(RuntimeSignal.parse("0") == nil)
        #expect(RuntimeSignal.parse("65") == nil)
        #expect(RuntimeSignal.parse("NOPE") == nil)
    }

    @Test("container ids name a directory and a cgroup, never a path")
    func ids() {
        #expect(RuntimeRoot.isValidID("web-1_a.b"))
        #expect(RuntimeRoot.isValidID(String(repeating: "a", count: 64)))
        for bad in ["", ".", "..", "a/b", "../x", String(repeating: "a", count: 65), "a b"] {
            #expect(!RuntimeRoot.isValidID(bad), "\(bad)")
        }
    }

    @Test("a config.json with a missing field says which")
    func missingField() throws {
        let directory = NSTemporaryDirectory() + "ctutor-bundle-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory + "/rootfs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(#"{"ociVersion": "1.0.2", "root": {"path": "rootfs"}, "mounts": [], "linux": {"namespaces": []}}"#.utf8)
            .write(to: URL(fileURLWithPath: directory + "/config.json"))
        #expect(throws: RuntimeError.invalid("config.json: process is missing")) { try RuntimeBundle.load(directory) }
    }

    @Test("a config.json that is not JSON says where it stops being JSON")
    func notJSON() throws {
        let directory = NSTemporaryDirectory() + "ctutor-bundle-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory + "/rootfs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("{\n  \"ociVersion\": \"1.0.2\",\n  \"root\": {\"path\": \"rootfs\"}\n  \"mounts\": []\n}".utf8)
            .write(to: URL(fileURLWithPath: directory + "/config.json"))
        #expect(throws: RuntimeError.invalid("config.json: not valid JSON at line 4, column 3: expected ',' or '}' in an object")) {
            try RuntimeBundle.load(directory)
        }
    }
}
