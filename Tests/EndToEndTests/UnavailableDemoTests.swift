import Foundation
import Testing

/// When the kernel refuses user namespaces, a rootless demo says `unavailable`, names
/// the switch and how to turn it — and claims nothing it did not see.
///
/// The refusal is real and touches nothing outside: `user.max_user_namespaces` is
/// counted per user namespace, so setting it to 0 inside a throwaway one (made by
/// util-linux unshare) makes the kernel refuse every new one below it.
@Suite(
    .enabled(if: Binary.available, Binary.missingReason),
    .enabled(if: tool("unshare") != nil, "needs util-linux unshare"),
    .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/ns/user"), "needs a kernel with user namespaces"))
struct UnavailableDemoTests {
    @Test func aRefusedUserNamespaceIsReportedWithItsSwitch() throws {
        let script = "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$0\" demo uts --json --rootless --lang en"
        let result = try run(
            tool("unshare")!, ["--user", "--map-root-user", "sh", "-c", script, Binary.path!],
            environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/"])
        try #require(!result.stdout.isEmpty, "unshare could not make the throwaway namespace here: \(result.stderr)")
        #expect(result.status == 1, "an unavailable demo exits 1")
        let report = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["mode"] as? String == "unavailable")
        #expect((report["observations"] as? [Any])?.isEmpty == true, "an unavailable demo shows no evidence")
        #expect((report["reason"] as? String)?.contains("user.max_user_namespaces=0") == true, "\(report)")
        #expect((report["remedy"] as? String)?.contains("sysctl -w user.max_user_namespaces=") == true)
        #expect(report["cleanup"] as? String == "ok")
    }
}
