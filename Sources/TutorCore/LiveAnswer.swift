import Foundation

/// A fact the engine finds by running a real demo at quiz time: the answer of a
/// `live` question, which therefore cannot be learnt by heart.
///
/// TutorCore names the probes and what each one tells; the engine runs them
/// (``LiveAnswerSource``), and the `ctutor` executable wires the two together.
public enum LiveProbe: String, CaseIterable, Codable, Sendable {
    /// The kernel release a child in its own UTS namespace reports (`uname -r`).
    case kernelRelease = "kernel-release"
    /// The PID a process sees for itself, first in a new PID namespace.
    case childPIDInNewPIDNamespace = "child-pid-in-new-pidns"
    /// The threads a started process has: entries of `/proc/<pid>/task`.
    case threadCount = "thread-count"

    /// The `{name}` placeholders a question's prompt and explanation may use, besides `{answer}`.
    public var values: [String] {
        switch self {
        case .kernelRelease: return ["hostname", "pid"]
        case .childPIDInNewPIDNamespace: return ["host-pid"]
        case .threadCount: return ["pid", "threads"]
        }
    }
}

/// What a probe found: the answer, and the values the question's text shows.
public struct LiveAnswer: Equatable, Sendable {
    public var answer: String
    public var values: [String: String]

    public init(answer: String, values: [String: String] = [:]) {
        self.answer = answer
        self.values = values
    }

    /// `text` with `{name}` replaced by the value of that name, and `{answer}` by the answer.
    public func fill(_ text: String) -> String {
        var result = text
        for (name, value) in values.merging(["answer": answer], uniquingKeysWith: { first, _ in first }) {
            result = result.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return result
    }
}

/// A probe's result: the answer, or why it could not run on this machine.
public enum LiveOutcome: Equatable, Sendable {
    case answered(LiveAnswer)
    /// The question is skipped; the reason says why (no root, user namespaces disabled…).
    case skipped(Localized)
}

/// Runs live probes; the engine's implementation runs real demos.
public protocol LiveAnswerSource: Sendable {
    /// Runs `probe` now, cleaning up everything it made before returning.
    func resolve(_ probe: LiveProbe) -> LiveOutcome
}

/// A source for places that cannot run probes: every live question is skipped, saying so.
public struct NoLiveAnswers: LiveAnswerSource {
    public init() {}

    public func resolve(_ probe: LiveProbe) -> LiveOutcome {
        .skipped(Localized(ko: "여기서는 실제 데모를 실행할 수 없습니다", en: "real demos cannot run here"))
    }
}
