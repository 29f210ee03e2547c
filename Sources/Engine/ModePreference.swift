/// How a demo picks the mode it runs in.
public enum ModePreference: Equatable, Sendable {
    /// Root runs in real mode, in the host's user namespace; anyone else runs
    /// rootless, inside a new user namespace.
    case auto
    /// A new user namespace even for root: what an unprivileged learner gets.
    case rootless

    /// Whether a run on this machine uses a new user namespace: always for anyone but root.
    func isRootless(on probe: MachineProbe) -> Bool {
        self == .rootless || probe.effectiveUID != 0
    }
}
