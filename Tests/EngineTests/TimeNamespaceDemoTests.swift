import Engine
import Foundation
import Testing
import TutorCore

#if canImport(Glibc)
import Glibc
#endif

private let kernelHasTimeNamespaces = FileManager.default.fileExists(atPath: "/proc/self/ns/time")

/// The first field of a `/proc/uptime` text.
private func uptime(_ text: String) throws -> Double {
    try #require(text.split(whereSeparator: \.isWhitespace).first.flatMap { Double($0) })
}

@Suite(
    "Time namespace demo, as root", .serialized,
    .enabled(if: Witness.isRoot, "needs root on Linux: real mode and nsenter into the demo's time namespace"),
    .enabled(if: kernelHasTimeNamespaces, "needs Linux 5.6 or later with CONFIG_TIME_NS (/proc/self/ns/time)"))
struct TimeNamespaceDemoRootTests {
    @Test(
        "the boot-time clock inside runs ahead by the offsets /proc/<pid>/timens_offsets shows; the date does not",
        arguments: [ModePreference.auto, .rootless])
    func seenFromOutside(_ preference: ModePreference) throws {
        var leftovers: Leftovers?
        var offsets: [[String]] = []
        var before = 0.0
        var inside = 0.0
        var after = 0.0
        let report = TimeNamespaceDemo(preference: preference).run { child in
            leftovers = try Leftovers.capture(child, demo: "time")
            offsets = try Witness.text("/proc/\(child.pid)/timens_offsets").split(separator: "\n")
                .map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
            // setns to a time namespace applies to children: unshare --fork makes the reader one.
            before = try uptime(try Witness.text("/proc/uptime"))
            let entered = try Witness.run("nsenter", ["-t", "\(child.pid)", "-T", "unshare", "--fork", "cat", "/proc/uptime"])
            after = try uptime(try Witness.text("/proc/uptime"))
            #expect(entered.status == 0)
            inside = try uptime(entered.output)
        }
        let alive = try #require(leftovers, "the demo never ran: \(report.reason?.en ?? "")")
        Witness.expectSucceeded(report, preference: preference)
        let boottime = try #require(offsets.first { $0.first == "boottime" }.flatMap { Double($0[1]) })
        let monotonic = try #require(offsets.first { $0.first == "monotonic" }.flatMap { Double($0[1]) })
        #expect(boottime > 0 && monotonic > 0)
        // Read between our two readings of the same clock, shifted by exactly the offset.
        // In hundredths, as /proc/uptime gives them: in Doubles 37189.41 + 259200 came
        // out above 296389.41 read inside, an exact reading.
        func hundredths(_ seconds: Double) -> Int { Int((seconds * 100).rounded()) }
        #expect(
            hundredths(before) + hundredths(boottime) <= hundredths(inside) && hundredths(inside) <= hundredths(after) + hundredths(boottime),
            "\(before) ≤ \(inside) − \(boottime) ≤ \(after)")
        let shown = offsets.map { $0.joined(separator: " ") }.joined(separator: "\n")
        #expect(report.observation("offsets")?.inside == shown)
        #expect(report.observation("offsets")?.host == "monotonic 0 0\nboottime 0 0")
        #expect(report.observation("uptime")?.differs == true)
        #expect(report.observation("date")?.expect == .match)
        #expect(report.observation("date")?.holds == true)
        alive.expectGone()
    }
}

@Suite(
    "Time namespace demo, unprivileged",
    .enabled(if: Witness.isLinux && !Witness.isRoot, "runs as a user other than root, on Linux"))
struct TimeNamespaceDemoUnprivilegedTests {
    @Test("rootless when the machine allows it, otherwise unavailable with a reason")
    func autoMode() throws {
        var pid: Int32?
        let report = TimeNamespaceDemo().run { pid = $0.pid }
        Witness.expectRootlessOrUnavailable(report, pid: pid)
        if !kernelHasTimeNamespaces {
            #expect(report.reason?.en.contains("/proc/self/ns/time is missing") == true)
        }
    }
}
