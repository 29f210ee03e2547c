import Engine
import Foundation
import Testing
import TutorCore

#if canImport(Glibc)
import Glibc
#endif

private let kinds = ["mnt", "uts", "ipc", "pid", "net", "user", "cgroup", "time"]

@Suite(
    "Namespaces overview demo, as root", .serialized,
    .enabled(if: Witness.isRoot, "needs root on Linux: real mode, and lsns sees every process"))
struct NamespacesOverviewDemoRootTests {
    @Test(
        "every row agrees with lsns -p for the child and with our own /proc/self/ns links",
        arguments: [ModePreference.auto, .rootless])
    func seenFromOutside(_ preference: ModePreference) throws {
        var leftovers: Leftovers?
        var listed: [String: String] = [:]
        var forChildren: [String: String] = [:]
        let report = NamespacesOverviewDemo(preference: preference).run { child in
            leftovers = try Leftovers.capture(child, demo: "namespaces")
            let lsns = try Witness.run("lsns", ["-p", "\(child.pid)", "-n", "-o", "TYPE,NS"])
            #expect(lsns.status == 0)
            for line in lsns.output.split(separator: "\n") {
                let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
                if fields.count == 2 { listed[fields[0]] = "\(fields[0]):[\(fields[1])]" }
            }
            for kind in ["pid", "time"] {
                forChildren[kind] = try? Witness.link("/proc/\(child.pid)/ns/\(kind)_for_children")
            }
        }
        let alive = try #require(leftovers, "the demo never ran: \(report.reason?.en ?? "")")
        Witness.expectSucceeded(report, preference: preference)
        let ours = Witness.namespaceLinks(getpid())
        for kind in kinds where ours[kind] != nil {
            let row = try #require(report.observation("\(kind)-ns"))
            #expect(row.inside == listed[kind], "\(kind): the report and lsns agree")
            #expect(row.host == ours[kind])
            let shared = kind == "user" && preference == .auto
            #expect(row.expect == (shared ? .match : .differ), "\(kind)")
            #expect(row.holds, "\(kind)")
        }
        // The child itself is inside its PID and time namespaces, not only its children.
        for (kind, link) in forChildren { #expect(link == listed[kind], "\(kind)_for_children") }
        #expect(report.observations.count == kinds.count)
        alive.expectGone()
    }
}

@Suite(
    "Namespaces overview demo, unprivileged",
    .enabled(if: Witness.isLinux && !Witness.isRoot, "runs as a user other than root, on Linux"))
struct NamespacesOverviewDemoUnprivilegedTests {
    @Test("rootless when the machine allows it: every row differs, user included")
    func autoMode() throws {
        var pid: Int32?
        let report = NamespacesOverviewDemo().run { pid = $0.pid }
        Witness.expectRootlessOrUnavailable(report, pid: pid)
        if report.mode == .rootless {
            #expect(report.observation("user-ns")?.expect == .differ)
        }
    }
}
