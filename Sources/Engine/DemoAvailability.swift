import TutorCore

/// Whether a demo can run here, and how: found by trying, not guessed. For a demo
/// that makes namespaces, the launcher makes exactly those (in a new user namespace
/// when not root), then lets them go; a refusal is explained as the demo would.
public struct DemoAvailability: Equatable, Sendable {
    public var demo: DemoInfo
    public var mode: DemoMode
    public var reason: Localized?
    public var remedy: Localized?

    /// Tries each demo of the catalog on the machine `probe` describes.
    public static func survey(preference: ModePreference = .auto, probe: MachineProbe) -> [DemoAvailability] {
        DemoCatalog.demos.map { check($0, preference: preference, probe: probe) }
    }

    public static func check(_ demo: any Demo.Type, preference: ModePreference = .auto, probe: MachineProbe)
        -> DemoAvailability
    {
        guard probe.isLinux else {
            let report = probe.notLinuxReport(demo.info)
            return DemoAvailability(demo: demo.info, mode: .unavailable, reason: report.reason, remedy: report.remedy)
        }
        let rootless = preference.isRootless(on: probe)
        // A demo without namespaces of its own needs no privilege: it runs as it is.
        guard !demo.namespaces.isEmpty else {
            return DemoAvailability(demo: demo.info, mode: probe.effectiveUID == 0 ? .real : .rootless)
        }
        // The same judgement a run makes (IsolatedRun): a kind this kernel lacks is not tried.
        if let missing = NamespaceKind.allCases.first(where: { demo.namespaces.contains($0) && !ProcFS.kernelHas($0) }) {
            let failure = DemoFailure(missing: missing, kernelRelease: probe.kernelRelease)
            return DemoAvailability(demo: demo.info, mode: .unavailable, reason: failure.reason, remedy: failure.remedy)
        }
        if case .refused(let reason, let remedy) = demo.refusal(rootless: rootless) {
            return DemoAvailability(demo: demo.info, mode: .unavailable, reason: reason, remedy: remedy)
        }
        var spec = LaunchSpec(namespaces: demo.namespaces)
        if rootless { spec.namespaces.insert(.user) }
        do {
            try NamespaceLauncher.launch(spec, record: nil).finish()
            return DemoAvailability(demo: demo.info, mode: rootless ? .rootless : .real)
        } catch {
            let failure = DemoFailure(error, rootless: rootless, probe: probe)
            return DemoAvailability(demo: demo.info, mode: .unavailable, reason: failure.reason, remedy: failure.remedy)
        }
    }

    /// The result as a line of `ctutor doctor`.
    public var fact: MachineFact {
        let value: Localized
        switch mode {
        case .real: value = Localized(ko: "real: root로, 호스트의 사용자 네임스페이스에서", en: "real: as root, in the host's user namespace")
        case .rootless: value = Localized(ko: "rootless: 새 사용자 네임스페이스 안에서", en: "rootless: inside a new user namespace")
        case .unavailable:
            value = Localized(
                ko: "unavailable: \(reason?.ko ?? "")", en: "unavailable: \(reason?.en ?? "")")
        }
        return MachineFact(
            id: "demo-\(demo.id)", label: Localized(ko: "데모 \(demo.id)", en: "demo \(demo.id)"), value: value,
            ok: mode != .unavailable, remedy: remedy)
    }
}
