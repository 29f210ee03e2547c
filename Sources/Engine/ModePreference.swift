/// How a demo picks the mode it runs in.
public enum ModePreference: Equatable, Sendable {
    /// Root runs in real mode, in the host's user namespace; anyone else runs
    /// rootless, inside a new user namespace.
    case auto
    /// A new user namespace even for root: what an unprivileged learner gets.
    case rootless
}
