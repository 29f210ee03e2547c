import Foundation

/// How a demo ran on this machine.
public enum DemoMode: String, Codable, Sendable {
    /// As root, in the host's user namespace.
    case real
    /// Without root: any namespaces it makes are inside a new user namespace.
    case rootless
    /// The machine does not allow it; `reason` says why.
    case unavailable
}

/// What an observation should show for the demo to make its point.
public enum Expectation: String, Codable, Sendable {
    /// The sides differ: isolation shows (a hostname, a namespace inode, a PID).
    case differ
    /// The sides agree: something is shared (the kernel release, a namespace not unshared).
    case match
    /// Shown for information; no side is compared (a list of libraries, a count).
    case show
}

/// One place an observation was made from: `host`, `inside`, `ns A`, `process 2`.
public struct ObservationSide: Equatable, Sendable {
    /// Stable identifier for tests and scripts: `host`, `inside`, `a`, `b`.
    public var role: String
    public var label: Localized
    /// What was seen there; may span several lines.
    public var value: String

    public init(role: String, label: Localized, value: String) {
        self.role = role
        self.label = label
        self.value = value
    }

    public static func host(_ value: String) -> ObservationSide {
        ObservationSide(role: "host", label: Localized(ko: "호스트", en: "Host"), value: value)
    }

    public static func inside(_ value: String) -> ObservationSide {
        ObservationSide(role: "inside", label: Localized(ko: "안쪽", en: "Inside"), value: value)
    }
}

/// One piece of evidence, seen from two or more places.
public struct Observation: Equatable, Sendable {
    /// Stable identifier (`hostname`, `uts-ns`, `pid`), for tests and scripts.
    public var id: String
    public var label: Localized
    public var expect: Expectation
    public var sides: [ObservationSide]

    public init(id: String, label: Localized, expect: Expectation = .differ, sides: [ObservationSide]) {
        self.id = id
        self.label = label
        self.expect = expect
        self.sides = sides
    }

    /// The common two-sided case: the host and the isolated process.
    public init(id: String, label: Localized, expect: Expectation = .differ, host: String, inside: String) {
        self.init(id: id, label: label, expect: expect, sides: [.host(host), .inside(inside)])
    }

    /// The value seen from `role`, if that side was observed.
    public func value(_ role: String) -> String? { sides.first { $0.role == role }?.value }

    public var host: String? { value("host") }
    public var inside: String? { value("inside") }

    /// Whether at least two sides disagree.
    public var differs: Bool { Set(sides.map(\.value)).count > 1 }

    /// Whether the observation shows what it should.
    public var holds: Bool {
        switch expect {
        case .differ: differs
        case .match: !differs
        case .show: true
        }
    }
}

/// A resource a demo made, and whether it is gone again.
public struct CleanupItem: Equatable, Sendable {
    /// What it was, in the learner's words: "process 4211 (PID 1 inside)", "veth ct0a".
    public var resource: Localized
    public var released: Bool

    public init(_ resource: Localized, released: Bool) {
        self.resource = resource
        self.released = released
    }
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
    /// Every resource the run made, each released or not.
    public var cleanup: [CleanupItem]
    /// Why the demo could not run (only when `mode == .unavailable`, or it failed midway).
    public var reason: Localized?
    /// What the learner can do about `reason`.
    public var remedy: Localized?

    public init(
        demo: String, title: Localized, mode: DemoMode, steps: [Localized] = [],
        observations: [Observation] = [], cleanup: [CleanupItem] = [],
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

    /// Whether everything the run made is gone.
    public var cleanedUp: Bool { cleanup.allSatisfy(\.released) }

    /// `ok` when everything made was released; else `incomplete`.
    public var cleanupStatus: String { cleanedUp ? "ok" : "incomplete" }

    /// Whether the demo ran and every observation shows what it should.
    public var succeeded: Bool {
        mode != .unavailable && reason == nil && cleanedUp && observations.allSatisfy(\.holds)
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
