import Foundation
import Testing

/// Every demo as an unprivileged user: none claims `real`. The ones that need no
/// privileges (os, process, threads) run the same way; the namespace demos run inside
/// a new user namespace (`rootless`) — or, where the kernel refuses, say
/// `unavailable` with a reason. Each succeeds and leaves nothing behind.
@Suite(
    .enabled(if: Binary.available, Binary.missingReason),
    .enabled(if: geteuid() == 0, "needs root to switch to an unprivileged user with setpriv"),
    .enabled(if: tool("setpriv") != nil, "needs util-linux setpriv"))
struct UnprivilegedDemoTests {
    @Test(arguments: [
        "os", "process", "threads", "pid", "uts", "ipc", "mnt", "net", "user", "cgroup", "time", "namespaces", "container", "versions",
        "layers", "forkbomb", "oom", "cpu", "container-net", "virt",
    ])
    func runsWithoutPrivileges(_ demo: String) throws {
        let name = ProcessInfo.processInfo.environment["CTUTOR_TEST_USER"] ?? "nobody"
        let entry = try #require(getpwnam(name), "no user \(name)")
        let (uid, gid) = (entry.pointee.pw_uid, entry.pointee.pw_gid)
        // A copy the unprivileged user can surely execute.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-unprivileged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = dir.appendingPathComponent("ctutor").path
        #expect(try run(try #require(tool("cp")), [Binary.path!, binary]).status == 0)
        // The image recipes beside it, and a home of the user's own for its images.
        #expect(try run(try #require(tool("cp")), ["-r", Binary.lessons + "/../Assets", dir.path + "/Assets"]).status == 0)
        let home = dir.appendingPathComponent("home").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        chown(home, uid, gid)
        chmod(dir.path, 0o755)

        let result = try run(
            try #require(tool("setpriv")),
            ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", binary, "demo", demo, "--json", "--lang", "en"],
            environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": home])
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "not JSON: \(result.stdout)")
        #expect(report["cleanup"] as? String == "ok")
        if report["mode"] as? String == "unavailable" {
            #expect(result.status == 1)
            #expect(report["reason"] is String && report["remedy"] is String, "an unavailable demo says why and what to do")
            return
        }
        #expect(result.status == 0, "\(result.stderr)")
        if demo == "virt", let reason = report["reason"] as? String {
            // Without qemu and a kernel in this user's home the VM half is not run, and says so.
            #expect(reason.contains("the VM part was not run") && (report["remedy"] as? String ?? "").contains("make vm-deps"))
            return
        }
        #expect(report["mode"] as? String == "rootless", "an ordinary user's report claims \(report["mode"] ?? "")")
        #expect(report["succeeded"] as? Bool == true, "\(report["reason"] ?? "")")
        if !["os", "process", "threads", "net", "versions", "virt"].contains(demo) {  // net sums up its many launches in one step
            // Copied alone, without ctutor-launcher beside it: the tutor re-executes itself.
            #expect((report["steps"] as? [String] ?? []).contains { $0.hasPrefix("posix_spawn(/proc/self/exe)") })
        }
        if ["os", "process", "threads"].contains(demo) {
            let steps = report["steps"] as? [String] ?? []
            #expect(steps.first == "needs no privileges: an ordinary user runs it the same way (now: UID \(uid))")
        }
    }
}
