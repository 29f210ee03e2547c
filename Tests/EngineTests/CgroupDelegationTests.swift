import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// How rootless limits find the cgroup delegated to the learner, on fake trees shaped
/// like a systemd machine's cgroup2 (`user.slice/user-UID.slice/user@UID.service/…`).
/// NOT kernel tests: the kernel's own answer on this machine is in CgroupRootlessTests.
struct CgroupDelegationTests {
    typealias FakeTree = CgroupLayoutTests.FakeTree

    static let service = "user.slice/user-4242.slice/user@4242.service"
    static let terminal = "0::/\(service)/app.slice/app-terminal.scope\n"

    /// The tree of a desktop login: the service cgroup and all below it belong to uid 4242.
    private func desktopTree(controllers: String) throws -> FakeTree {
        let tree = FakeTree()
        try tree.directory(Self.service + "/app.slice/app-terminal.scope")
        try tree.file(Self.service + "/cgroup.controllers", controllers + "\n")
        try tree.file(Self.service + "/cgroup.subtree_control", controllers + "\n")
        try tree.file(Self.service + "/cgroup.procs")
        for path in ["", "/cgroup.controllers", "/cgroup.subtree_control", "/cgroup.procs", "/app.slice", "/app.slice/app-terminal.scope"] {
            #expect(chown(tree.root + "/" + Self.service + path, 4242, 4242) == 0)
        }
        return tree
    }

    @Test(
        "delegation on a fake tree (not the kernel): the user@UID.service the learner owns is where their cgroups go",
        .enabled(if: Witness.isRoot, "needs root to give the fake tree's directories two owners (chown)"))
    func findsDelegatedService() throws {
        let tree = try desktopTree(controllers: "cpu memory pids")
        defer { tree.remove() }
        let delegation = RootlessDelegation(machine: .v2, mountPoint: tree.root, ownCgroups: Self.terminal, uid: 4242)
        let found = try delegation.delegatedCgroup(needing: [.memory, .pids, .cpu]).get()
        #expect(found == tree.root + "/" + Self.service)
    }

    @Test(
        "delegation on a fake tree (not the kernel): a controller missing from the delegated cgroup.controllers is refused, naming it",
        .enabled(if: Witness.isRoot, "needs root to give the fake tree's directories two owners (chown)"))
    func refusesUndelegatedController() throws {
        let tree = try desktopTree(controllers: "memory pids")
        defer { tree.remove() }
        let delegation = RootlessDelegation(machine: .v2, mountPoint: tree.root, ownCgroups: Self.terminal, uid: 4242)
        #expect((try? delegation.delegatedCgroup(needing: [.memory, .pids]).get()) != nil)
        guard case .failure(.refused(let reason, let remedy)) = delegation.delegatedCgroup(needing: [.memory, .cpu]) else {
            Issue.record("cpu was not delegated, yet accepted")
            return
        }
        #expect(reason.en.contains("cpu controller is not delegated"))
        #expect(reason.en.contains("memory pids"))
        #expect(remedy.en.contains("Delegate=memory pids cpu"))
        #expect(remedy.ko.contains("Delegate=memory pids cpu"))
    }

    @Test("delegation on a fake tree (not the kernel): a login session's scope, outside the user service, is refused")
    func refusesSessionScope() throws {
        let tree = FakeTree()
        defer { tree.remove() }
        try tree.directory("user.slice/user-4242.slice/session-3.scope")
        // Nothing in the tree belongs to uid 4242, as on a machine where root owns the session scope.
        let delegation = RootlessDelegation(
            machine: .v2, mountPoint: tree.root, ownCgroups: "0::/user.slice/user-4242.slice/session-3.scope\n", uid: 4242)
        guard case .failure(.refused(let reason, let remedy)) = delegation.delegatedCgroup(needing: [.memory]) else {
            Issue.record("a cgroup the user does not own was accepted")
            return
        }
        #expect(reason.en.contains("no cgroup above it belongs to you"))
        #expect(remedy.en.contains("systemd-run --user --scope"))
    }

    @Test(
        "delegation on a fake tree (not the kernel): a cgroup that is yours but whose subtree_control is read-only is refused",
        .enabled(if: !Witness.isRoot, "root may write any file, so only an ordinary user sees this refusal"))
    func refusesReadOnlyDelegation() throws {
        let tree = FakeTree()
        defer { tree.remove() }
        try tree.directory("user.slice")
        try tree.file("user.slice/cgroup.controllers", "memory pids\n")
        try tree.file("user.slice/cgroup.procs")
        try tree.file("user.slice/cgroup.subtree_control")
        #expect(chmod(tree.root + "/user.slice/cgroup.subtree_control", 0o444) == 0)
        let delegation = RootlessDelegation(
            machine: .v2, mountPoint: tree.root, ownCgroups: "0::/user.slice\n", uid: UInt32(geteuid()))
        guard case .failure(.refused(let reason, _)) = delegation.delegatedCgroup(needing: [.memory]) else {
            Issue.record("a read-only cgroup.subtree_control was accepted")
            return
        }
        #expect(reason.en.contains("cgroup.subtree_control is not writable"))
    }

    @Test("cgroup v1 and hybrid machines have no delegation: refused, saying so, with root or v2 as the way out")
    func refusesV1() {
        for machine in [CgroupVersion.v1, .hybrid] {
            let delegation = RootlessDelegation(machine: machine, mountPoint: "/nonexistent", ownCgroups: Self.terminal, uid: 4242)
            guard case .failure(.refused(let reason, let remedy)) = delegation.delegatedCgroup(needing: []) else {
                Issue.record("\(machine) was accepted")
                continue
            }
            #expect(reason.en.contains("cgroup v1"))
            #expect(reason.en.contains("no delegation"))
            #expect(remedy.en.contains("systemd.unified_cgroup_hierarchy=1"))
            #expect(remedy.en.contains("Run as root"))
        }
    }
}
