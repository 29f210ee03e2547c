import Foundation
import TutorCore

/// What one checker saw: whether the step's state is there, and in a sentence what
/// was found, so a learner sees why a step is not done yet.
public struct LabCheckResult: Equatable, Sendable {
    public var passed: Bool
    public var saw: Localized

    public init(passed: Bool, saw: Localized) {
        self.passed = passed
        self.saw = saw
    }
}

/// Evaluates a lab's checkers against the kernel's state of the processes in a
/// ``LabScope``, from outside: `/proc/<pid>/ns/*`, `status`, `mountinfo`, `net/*`,
/// `limits` and the files under `/proc/<pid>/root`. Hostnames of other UTS
/// namespaces are read by a short-lived process that joins them (``LabHostnames``).
public struct LabChecker: Sendable {
    public let scope: LabScope
    /// Reads the hostname of the UTS namespace a process is in.
    public var hostname: @Sendable (Int32) throws -> String = LabHostnames.read(utsOf:)

    public init(scope: LabScope) {
        self.scope = scope
    }

    /// Every check of a step; the step is done when all pass.
    public func evaluate(_ checks: [LabCheck]) -> [LabCheckResult] {
        let snapshot = Snapshot(scope: scope)
        return checks.map { evaluate($0, snapshot) }
    }

    /// One check against the processes in scope now.
    public func evaluate(_ check: LabCheck) -> LabCheckResult {
        evaluate(check, Snapshot(scope: scope))
    }

    /// The processes in scope and the base namespaces, read once per evaluation.
    struct Snapshot {
        let scope: LabScope
        let processes: [LabProcess]
        let base: [NamespaceKind: NamespaceID]

        init(scope: LabScope) {
            self.scope = scope
            processes = scope.processes()
            var base: [NamespaceKind: NamespaceID] = [:]
            for kind in NamespaceKind.allCases { base[kind] = scope.base(kind) }
            self.base = base
        }

        /// Processes in a new namespace of every kind listed.
        func inNew(_ kinds: [NamespaceKind]) -> [LabProcess] {
            processes.filter { process in kinds.allSatisfy { process.isInNew($0, scope, base: base) } }
        }

        /// One process per distinct namespace of `kind` other than the base.
        func newNamespaces(_ kind: NamespaceKind) -> [(NamespaceID, LabProcess)] {
            var seen: Set<NamespaceID> = []
            var result: [(NamespaceID, LabProcess)] = []
            for process in processes {
                guard let id = process.namespace(kind), id != base[kind], !seen.contains(id) else { continue }
                seen.insert(id)
                result.append((id, process))
            }
            return result
        }

        /// The base's own process: the sandbox shell, or (for the learner's processes) none listed.
        var baseProcess: LabProcess? {
            processes.first { $0.pid == scope.basePID } ?? LabProcess(pid: scope.basePID)
        }
    }

    private func evaluate(_ check: LabCheck, _ snapshot: Snapshot) -> LabCheckResult {
        switch check {
        case .process(let comm, let kinds, let nsPID, let minThreads):
            return LabProcessChecks.process(comm: comm, kinds: kinds, nsPID: nsPID, minThreads: minThreads, snapshot)
        case .hostname(let wanted):
            return LabNamespaceChecks.hostname(wanted, snapshot, read: hostname)
        case .namespaceInodesNoted(let kind, let path):
            return LabNamespaceChecks.inodesNoted(kind: kind, path: path, snapshot)
        case .file(let path, let contains, let fact, let maxSize, let inNew):
            return LabFileChecks.file(path: path, contains: contains, fact: fact, maxSize: maxSize, inNewMount: inNew, snapshot)
        case .mount(let fstype, let target):
            return LabFileChecks.mount(fstype: fstype, target: target, snapshot)
        case .link(let name, let inNew, let packets):
            return LabNetworkChecks.link(name: name, inNew: inNew, minReceivedPackets: packets, snapshot)
        case .address(let ip, let inNew):
            return LabNetworkChecks.address(ip: ip, inNew: inNew, snapshot)
        case .neighbor(let ip, let inNew):
            return LabNetworkChecks.neighbor(ip: ip, inNew: inNew, snapshot)
        case .rlimit(let comm, let resource, let atMost):
            return LabProcessChecks.rlimit(comm: comm, resource: resource, atMost: atMost, snapshot)
        }
    }
}

extension Localized {
    /// A line naming what was wanted and what was seen.
    static func saw(_ ko: String, _ en: String) -> Localized { Localized(ko: ko, en: en) }
}
