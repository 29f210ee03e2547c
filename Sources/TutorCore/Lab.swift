import Yams

/// One step of a guided lab: what to do, hints revealed one at a time, and the
/// checks (all must pass) that see whether it is done.
public struct LabStep: Equatable, Sendable {
    public var id: String
    public var instruction: Localized
    public var hints: [Localized]
    public var checks: [LabCheck]

    public init(id: String, instruction: Localized, hints: [Localized], checks: [LabCheck]) {
        self.id = id
        self.instruction = instruction
        self.hints = hints
        self.checks = checks
    }
}

/// A lesson's guided lab, read from `lab.yaml`.
public struct Lab: Equatable, Sendable {
    public var id: String
    public var title: Localized
    public var intro: Localized
    public var steps: [LabStep]

    public init(id: String, title: Localized, intro: Localized, steps: [LabStep]) {
        self.id = id
        self.title = title
        self.intro = intro
        self.steps = steps
    }

    /// The first step not in `done`, or nil when every step is.
    public func firstUndone(_ done: [String]) -> Int? {
        steps.firstIndex { !done.contains($0.id) }
    }

    /// Parses `lab.yaml`; every problem is reported with its line.
    public static func parse(_ text: String, file: String) -> (Lab?, [Diagnostic]) {
        var reader = YAMLReader(file: file)
        guard let root = reader.compose(text) else { return (nil, reader.diagnostics) }
        guard case .mapping = root else {
            reader.report(root, "a lab file is a mapping with id, title, intro and steps")
            return (nil, reader.diagnostics)
        }
        let id = reader.string(root, "id")
        let title = reader.localized(root, "title")
        let intro = reader.localized(root, "intro")
        var steps: [LabStep] = []
        if case .sequence(let items)? = root["steps"], !items.isEmpty {
            var seen: Set<String> = []
            for item in items {
                guard case .mapping = item else {
                    reader.report(item, "each step must be a mapping with id, instruction, hints and check")
                    continue
                }
                if let step = LabStepParser.parse(item, reader: &reader) {
                    if seen.contains(step.id) { reader.report(item["id"], "duplicate step id '\(step.id)'") }
                    seen.insert(step.id)
                    steps.append(step)
                }
            }
        } else {
            reader.report(root["steps"] ?? root, "expected a non-empty 'steps:' list")
        }
        let ok = reader.diagnostics.allSatisfy { $0.severity != .error }
        guard ok, let id, let title, let intro else { return (nil, reader.diagnostics) }
        return (Lab(id: id, title: title, intro: intro, steps: steps), reader.diagnostics)
    }
}

/// Reads one step and its checks.
enum LabStepParser {
    static func parse(_ item: Node, reader: inout YAMLReader) -> LabStep? {
        let before = reader.diagnostics.count
        let id = reader.string(item, "id")
        let instruction = reader.localized(item, "instruction")
        var hints: [Localized] = []
        switch item["hints"] {
        case .sequence(let nodes)?:
            for node in nodes {
                guard case .mapping = node else {
                    reader.report(node, "each hint needs ko: and en:")
                    continue
                }
                let ko = reader.string(node, "ko")
                let en = reader.string(node, "en")
                if let ko, let en { hints.append(Localized(ko: ko, en: en)) }
            }
        case nil:
            break
        case let other?:
            reader.report(other, "'hints' must be a list of {ko:, en:} entries")
        }
        var checks: [LabCheck] = []
        switch item["check"] {
        case nil:
            reader.report(item, "missing 'check': every step is checked against real state")
        case .sequence(let nodes)?:
            if nodes.isEmpty { reader.report(item["check"], "'check' lists no checker") }
            for node in nodes { if let check = LabCheckParser.parse(node, reader: &reader) { checks.append(check) } }
        case let node?:
            if let check = LabCheckParser.parse(node, reader: &reader) { checks.append(check) }
        }
        guard reader.diagnostics.count == before, let id, let instruction else { return nil }
        return LabStep(id: id, instruction: instruction, hints: hints, checks: checks)
    }
}
