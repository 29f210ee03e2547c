import TutorCore

/// A lab in progress: which steps are done, how many hints of each were shown, and
/// the answers to the sandbox shell's requests. Each step's checks run against the
/// real state in its ``LabChecker``'s scope; a step that passes is recorded at once
/// (`record`), and the next one is checked too, so one command may finish several.
public final class LabRun {
    public let lab: Lab
    public let lesson: String
    public private(set) var done: [String]
    public var language: Language
    let checker: LabChecker
    let record: ([ProgressEvent]) -> Void
    private var hintsShown: [String: Int] = [:]

    /// - Parameters:
    ///   - done: the steps already done (from progress); the lab resumes at the first other.
    ///   - record: saves progress events (``ProgressStore/record(_:now:)``).
    public init(
        lab: Lab, lesson: String, done: [String], language: Language, checker: LabChecker, record: @escaping ([ProgressEvent]) -> Void
    ) {
        self.lab = lab
        self.lesson = lesson
        self.done = done.filter { id in lab.steps.contains { $0.id == id } }
        self.language = language
        self.checker = checker
        self.record = record
    }

    public var isFinished: Bool { lab.firstUndone(done) == nil }

    /// The answer to one request from the sandbox shell's hook.
    public func respond(_ request: String) -> String {
        // The prompt's answer becomes the start of the prompt (a command substitution,
        // which drops trailing newlines): it ends with the tag. The others are printed.
        switch request {
        case "prompt": return (advance(explain: false) + [tag]).joined(separator: "\n")
        case "check":
            let lines = advance(explain: true)
            return (lines.isEmpty ? [currentStep()] : lines).joined(separator: "\n") + "\n"
        case "hint": return nextHint() + "\n"
        case "step": return currentStep() + "\n" + UIText.labCommands.text(language) + "\n"
        default: return UIText.labCommands.text(language) + "\n"
        }
    }

    /// `[lab 2/4] `: what the prompt starts with.
    public var tag: String {
        guard let index = lab.firstUndone(done) else { return UIText.labTagDone.text(language) }
        return UIText.labTag.format(language, index + 1, lab.steps.count)
    }

    /// The current step and what to do, or that the lab is done.
    public func currentStep() -> String {
        guard let index = lab.firstUndone(done) else { return UIText.labFinished.format(language, lab.title[language]) }
        return UIText.labStepNext.format(language, index + 1, lab.steps.count, lab.steps[index].instruction[language])
    }

    /// Checks the current step, and the next while they pass; records every step
    /// done. With `explain`, says what a failing check saw.
    public func advance(explain: Bool) -> [String] {
        var lines: [String] = []
        var advanced = false
        while let index = lab.firstUndone(done) {
            let step = lab.steps[index]
            let results = checker.evaluate(step.checks)
            guard results.allSatisfy(\.passed) else {
                if explain {
                    lines.append(UIText.labNotYet.format(language, index + 1))
                    lines += results.map { "  " + ($0.passed ? "✓ " : "✗ ") + $0.saw[language] }
                }
                break
            }
            done.append(step.id)
            advanced = true
            record([.labStepDone(lab: lab.id, lesson: lesson, step: step.id)])
            lines.append(UIText.labStepDone.format(language, index + 1, results.map { $0.saw[language] }.joined(separator: " ")))
        }
        if advanced {
            if isFinished { record([.labFinished(lab: lab.id, lesson: lesson)]) }
            lines.append(currentStep())
        } else if explain && isFinished {
            lines.append(currentStep())
        }
        return lines
    }

    /// One more hint for the current step.
    public func nextHint() -> String {
        guard let index = lab.firstUndone(done) else { return UIText.labFinished.format(language, lab.title[language]) }
        let step = lab.steps[index]
        let shown = hintsShown[step.id, default: 0]
        guard shown < step.hints.count else { return UIText.labNoMoreHints.format(language, step.hints.count) }
        hintsShown[step.id] = shown + 1
        return UIText.labHint.format(language, shown + 1, step.hints.count, step.hints[shown][language])
    }
}
