import Foundation

/// How a demo ran on this machine.
public enum DemoMode: String, Codable, Sendable {
    /// As root, in the host's user namespace.
    case real
    /// Inside a new user namespace, as an unprivileged user.
    case rootless
    /// The machine does not allow it; `reason` says why.
    case unavailable
}

/// One piece of evidence, seen from the host and from inside the isolated process.
public struct Observation: Equatable, Sendable {
    /// Stable identifier (`hostname`, `uts-ns`, `pid`), for tests and scripts.
    public var id: String
    public var label: Localized
    public var host: String
    public var inside: String

    public init(id: String, label: Localized, host: String, inside: String) {
        self.id = id
        self.label = label
        self.host = host
        self.inside = inside
    }

    /// Whether isolation shows: the two sides differ.
    public var differs: Bool { host != inside }
}

/// What a demo did and what it saw. The TUI, `--plain` text and `--json` are three
/// renderings of this one value.
public struct DemoReport: Equatable, Sendable {
    public var demo: String
    public var title: Localized
    public var mode: DemoMode
    /// What the engine did, in order, naming the real syscalls.
    public var steps: [Localized]
    public var observations: [Observation]
    /// `ok`, or a description of what was left behind.
    public var cleanup: String
    /// Why the demo could not run (only when `mode == .unavailable`, or it failed midway).
    public var reason: Localized?
    /// What the learner can do about `reason`.
    public var remedy: Localized?

    public init(
        demo: String, title: Localized, mode: DemoMode, steps: [Localized] = [],
        observations: [Observation] = [], cleanup: String = "ok",
        reason: Localized? = nil, remedy: Localized? = nil
    ) {
        self.demo = demo
        self.title = title
        self.mode = mode
        self.steps = steps
        self.observations = observations
        self.cleanup = cleanup
        self.reason = reason
        self.remedy = remedy
    }

    public func observation(_ id: String) -> Observation? {
        observations.first { $0.id == id }
    }
}

/// A demo the engine knows how to run; the catalog lets lessons and `lint` check ids.
public struct DemoInfo: Equatable, Sendable {
    public var id: String
    public var title: Localized
    public var summary: Localized

    public init(id: String, title: Localized, summary: Localized) {
        self.id = id
        self.title = title
        self.summary = summary
    }
}
