import Foundation
import Testing

/// `ctutor runtime` as runc is used: the built binary on a hand-written bundle. Each
/// test takes a census of what containers could leave (processes in our bundles, the
/// runtime's state, ctutor cgroups, mounts) before and after, and compares.
@Suite(
    .serialized, .enabled(if: Binary.available, Binary.missingReason),
    .enabled(if: FileManager.default.fileExists(atPath: "/bin/busybox"), "needs busybox-static for the bundle's root"))
struct RuntimeCommandTests {
    /// A bundle: busybox as the root filesystem and a config.json written by hand.
    struct Bundle {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-rt-\(UUID().uuidString)").path
        var path: String { directory + "/bundle" }
        var root: String { directory + "/state" }

        init(args: [String]) throws {
            try FileManager.default.createDirectory(atPath: path + "/rootfs/bin", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: path + "/rootfs/bin/busybox")
            for applet in ["sh", "sleep", "hostname"] {
                try FileManager.default.createSymbolicLink(atPath: path + "/rootfs/bin/" + applet, withDestinationPath: "busybox")
            }
            let rootless = geteuid() != 0
            let namespaces = ["pid", "ipc", "uts", "mount", "network"] + (rootless ? ["user"] : [])
            let config: [String: Any] = [
                "ociVersion": "1.0.2",
                "process": [
                    "terminal": false, "user": ["uid": 0, "gid": 0], "args": args, "env": ["PATH=/bin"], "cwd": "/",
                    "capabilities": ["bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]],
                    "noNewPrivileges": true,
                ],
                "root": ["path": "rootfs", "readonly": true],
                "hostname": "handmade",
                "mounts": [["destination": "/proc", "type": "proc", "source": "proc"]],
                "linux": ["namespaces": namespaces.map { ["type": $0] }, "maskedPaths": ["/proc/kcore"], "readonlyPaths": ["/proc/sys"]],
            ]
            try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path + "/config.json"))
        }

        func runtime(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try run(Binary.path!, ["runtime", "--root", root] + arguments)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// What a container could leave behind.
    struct Census: Equatable {
        var processes: [String]
        var cgroups: [String]
        var mountinfoLines: Int

        static func take(_ bundle: Bundle) -> Census {
            let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { Int32($0) != nil }
            let inBundle = pids.filter { pid in
                // Blocked or running, an init's root is the bundle's rootfs (after pivot_root).
                ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/root")) ?? "").hasPrefix(bundle.directory)
            }
            let cgroups = ((try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []).flatMap { hierarchy in
                ((try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup/\(hierarchy)/ctutor")) ?? [])
                    .filter { $0.hasPrefix("rt-") }.map { "\(hierarchy)/\($0)" }
            }
            let mounts = ((try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "").split(separator: "\n").count
            return Census(processes: inBundle.sorted(), cgroups: cgroups.sorted(), mountinfoLines: mounts)
        }
    }

    func withBundle(args: [String], _ body: (Bundle) throws -> Void) throws {
        let bundle = try Bundle(args: args)
        defer { bundle.remove() }
        let before = Census.take(bundle)
        try body(bundle)
        for id in ((try? FileManager.default.contentsOfDirectory(atPath: bundle.root)) ?? []) {
            _ = try? bundle.runtime(["delete", "--force", id])
        }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: bundle.root)) ?? []).isEmpty, "state left")
        var after = Census.take(bundle)
        for _ in 0..<50 where after != before {
            usleep(100_000)  // a killed init is reaped by PID 1 a moment later
            after = Census.take(bundle)
        }
        #expect(after == before, "left behind")
    }

    @Test("create exits while the container lives on, blocked until start; state is OCI JSON")
    func createExits() throws {
        try withBundle(args: ["sleep", "30"]) { bundle in
            let created = try bundle.runtime(["create", "--bundle", bundle.path, "--pid-file", bundle.directory + "/pid", "rt-create"])
            #expect(created.status == 0, "\(created.stderr)")
            let state = try #require(
                try JSONSerialization.jsonObject(with: Data(try bundle.runtime(["state", "rt-create"]).stdout.utf8)) as? [String: Any])
            #expect(state["ociVersion"] as? String == "1.0.2" && state["id"] as? String == "rt-create")
            #expect(state["status"] as? String == "created" && state["bundle"] as? String == bundle.path)
            let pid = try #require(state["pid"] as? Int)
            #expect(try String(contentsOfFile: bundle.directory + "/pid", encoding: .utf8) == "\(pid)")
            let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
            let parent = Int32(stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")[1])
            #expect(parent != nil && parent != getpid(), "the init was reparented when create exited")
            #expect(try bundle.runtime(["start", "rt-create"]).status == 0)
            #expect(try bundle.runtime(["state", "rt-create"]).stdout.contains(#""status" : "running""#))
            let list = try bundle.runtime(["list", "--format", "json"])
            #expect(list.stdout.contains(#""id":"rt-create""#))
            #expect(try bundle.runtime(["list"]).stdout.hasPrefix("ID "))
            let refused = try bundle.runtime(["delete", "rt-create"])
            #expect(refused.status == 1 && refused.stderr.contains("is running"))
            #expect(try bundle.runtime(["kill", "rt-create", "KILL"]).status == 0)
            // A signal is delivered, not awaited: delete (without --force) once it has ended.
            for _ in 0..<250 where try !bundle.runtime(["state", "rt-create"]).stdout.contains(#""status" : "stopped""#) {
                usleep(20_000)
            }
            #expect(try bundle.runtime(["delete", "rt-create"]).status == 0)
        }
    }

    @Test("run waits and exits with the container's status, then deletes it")
    func runStatus() throws {
        try withBundle(args: ["sh", "-c", "hostname; exit 5"]) { bundle in
            let ran = try bundle.runtime(["run", "--bundle", bundle.path, "rt-run"])
            #expect(ran.status == 5)
            #expect(ran.stdout == "handmade\n")
            #expect(try bundle.runtime(["state", "rt-run"]).stderr.contains("does not exist"))
        }
    }

    @Test("mistakes are said in one line: unknown command, bad signal, a console socket, a config that is not supported")
    func mistakes() throws {
        try withBundle(args: ["sleep", "1"]) { bundle in
            #expect(try bundle.runtime(["frobnicate"]).stderr.contains("unknown command frobnicate"))
            #expect(try bundle.runtime(["kill", "x", "NOPE"]).stderr.contains("NOPE is not a signal"))
            #expect(
                try bundle.runtime(["create", "--console-socket", "/x", "--bundle", bundle.path, "rt-c"]).stderr.contains(
                    "--console-socket"))
            var config = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bundle.path + "/config.json")))
                    as? [String: Any])
            var linux = try #require(config["linux"] as? [String: Any])
            linux["seccomp"] = ["defaultAction": "SCMP_ACT_ERRNO"]
            config["linux"] = linux
            try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: bundle.path + "/config.json"))
            let refused = try bundle.runtime(["create", "--bundle", bundle.path, "rt-s"])
            #expect(refused.status == 1 && refused.stderr.contains("linux.seccomp is not supported"))
        }
    }
}
