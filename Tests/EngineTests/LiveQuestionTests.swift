import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

extension UTSChildrenWitnessed {
    /// Live quiz questions answered by real demo runs on this machine, each answer
    /// checked against the test's own witness; on a machine that cannot run a probe,
    /// the question's skip reason is the demo's own.
    @Suite(
        "Live questions", .serialized, .enabled(if: Witness.isLinux, "runs real demos: Linux only"),
        .enabled(if: Witness.ctutorBinary != nil, Witness.noBinaryReason))
    struct LiveQuestionTests {
        let probes = LiveQuestionProbes(childExecutable: Witness.ctutorBinary ?? "")

        /// The answer, or — only where the machine does not allow the demo — the printed reason.
        private func answer(_ probe: LiveProbe, from source: LiveQuestionProbes? = nil) throws -> LiveAnswer? {
            switch (source ?? probes).resolve(probe) {
            case .answered(let answer):
                return answer
            case .skipped(let reason):
                #expect(!Witness.isRoot || source != nil, "root runs every probe, yet \(probe.rawValue) was skipped: \(reason.en)")
                #expect(!reason.en.isEmpty && !reason.ko.isEmpty)
                if case .blocked(let blocked, _) = MachineProbe.current().userNamespaces {
                    #expect(reason.en.contains(blocked.en), "the skip says why: \(reason.en)")
                } else {
                    Issue.record("\(probe.rawValue) was skipped on a machine that allows user namespaces: \(reason.en)")
                }
                print("live question skipped here (\(probe.rawValue)): \(reason.en)")
                return nil
            }
        }

        @Test("the kernel release a UTS-namespaced child reports is the host's `uname -r`")
        func kernelRelease() throws {
            guard let found = try answer(.kernelRelease) else { return }
            let uname = try Witness.run("uname", ["-r"])
            #expect(found.answer == uname.output.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(found.values["hostname"] == "ctutor-demo")
            let pid = try #require(found.values["pid"].flatMap { Int32($0) })
            #expect(pid > 1 && !Witness.exists(pid: pid), "the child was a real process, and is gone")
        }

        @Test("the first process of a new PID namespace is PID 1 inside, another PID on the host")
        func childPID() throws {
            guard let found = try answer(.childPIDInNewPIDNamespace) else { return }
            #expect(found.answer == "1")
            let hostPID = try #require(found.values["host-pid"].flatMap { Int32($0) })
            #expect(hostPID > 1 && hostPID != getpid())
            #expect(!Witness.exists(pid: hostPID))
        }

        @Test("a process with three named threads lists four tasks: the main thread counts")
        func threadCount() throws {
            guard let found = try answer(.threadCount) else { return }
            #expect(found.answer == "4")
            #expect(found.values["threads"] == "input, render, spell-check")
            let pid = try #require(found.values["pid"].flatMap { Int32($0) })
            #expect(!Witness.exists(pid: pid))
        }

        /// Root taking the path a learner without root takes: a user namespace first.
        @Test("rootless probes answer the same", .enabled(if: Witness.isRoot, "root can force the rootless path; others take it anyway"))
        func rootlessPath() throws {
            let rootless = LiveQuestionProbes(preference: .rootless, childExecutable: Witness.ctutorBinary ?? "")
            let uname = try Witness.run("uname", ["-r"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
            if let release = try answer(.kernelRelease, from: rootless) { #expect(release.answer == uname) }
            if let pid = try answer(.childPIDInNewPIDNamespace, from: rootless) { #expect(pid.answer == "1") }
        }

        @Test("a demo that cannot run gives its reason and remedy as the skip reason")
        func skipReasonIsTheDemosOwn() {
            let report = DemoReport(
                demo: "pid", title: Localized("pid"), mode: .unavailable,
                reason: Localized(ko: "사용자 네임스페이스가 꺼져 있음", en: "user namespaces are disabled"),
                remedy: Localized(ko: "sysctl로 켜세요", en: "enable them with sysctl"))
            #expect(
                LiveOutcome.skipReason(report)
                    == .skipped(
                        Localized(ko: "사용자 네임스페이스가 꺼져 있음 — sysctl로 켜세요", en: "user namespaces are disabled — enable them with sysctl")))
            let clean = DemoReport(
                demo: "pid", title: Localized("pid"), mode: .real, cleanup: [CleanupItem(Localized("child"), released: true)])
            #expect(LiveOutcome.skipReason(clean) == nil)
            let leaky = DemoReport(
                demo: "pid", title: Localized("pid"), mode: .real, cleanup: [CleanupItem(Localized("child"), released: false)])
            #expect(LiveOutcome.skipReason(leaky) != nil)
        }
    }
}
