import Foundation

/// The words of quiz mode, shared by `ctutor quiz --plain` and the TUI, in both languages.
public enum QuizText {
    public static func modeName(_ mode: QuizAttempt.Mode) -> Localized {
        switch mode {
        case .practice: return Localized(ko: "연습", en: "practice")
        case .exam: return Localized(ko: "시험", en: "exam")
        case .review: return Localized(ko: "복습", en: "review")
        }
    }

    /// `Quiz (exam): 5 questions, 10:00, seed 7`.
    public static func header(_ session: QuizSession) -> Localized {
        let count = session.total
        var ko = "퀴즈(\(modeName(session.mode).ko)): \(count)문제"
        var en = "Quiz (\(modeName(session.mode).en)): \(count) question\(count == 1 ? "" : "s")"
        if let limit = session.plan.timeLimit {
            ko += ", 제한 시간 \(clock(Int(limit)))"
            en += ", time limit \(clock(Int(limit)))"
        }
        if session.plan.seedGiven {
            ko += ", 시드 \(session.plan.seed)"
            en += ", seed \(session.plan.seed)"
        }
        if session.mode == .exam {
            ko += ". 채점과 해설은 끝에 한꺼번에 보여 줍니다."
            en += ". Answers are marked and explained at the end."
        }
        return Localized(ko: ko, en: en)
    }

    /// `12:05` or `1:02:03`.
    public static func clock(_ seconds: Int) -> String {
        let hours = seconds / 3600
        let minutes = seconds / 60 % 60
        let rest = seconds % 60
        let tail = String(format: "%02d", rest)
        return hours > 0 ? "\(hours):" + String(format: "%02d", minutes) + ":" + tail : "\(minutes):" + tail
    }

    public static func timeLeft(_ seconds: Int) -> Localized {
        Localized(ko: "남은 시간 \(clock(seconds))", en: "\(clock(seconds)) left")
    }

    public static func skipped(_ question: SkippedQuestion) -> Localized {
        Localized(
            ko: "건너뜀: \(question.lesson)/\(question.question) (실시간 문제, \(question.probe.rawValue)): \(question.reason.ko)",
            en: "skipped: \(question.lesson)/\(question.question) (live question, \(question.probe.rawValue)): \(question.reason.en)")
    }

    public static func runningProbe(_ probe: LiveProbe) -> Localized {
        Localized(
            ko: "실시간 문제의 답을 얻으려고 이 컴퓨터에서 실제 데모를 실행합니다: \(probe.rawValue)…",
            en: "running a real demo on this machine for a live question's answer: \(probe.rawValue)…")
    }

    public static let unanswered = Localized(ko: "답하지 않음", en: "not answered")
    public static let outOfTime = Localized(
        ko: "시간이 다 되었습니다. 답하지 않은 문제는 틀린 것으로 셉니다.", en: "Time is up. Questions not answered count as wrong.")
    public static let inputEnded = Localized(
        ko: "입력이 끝났습니다. 답하지 않은 문제는 틀린 것으로 셉니다.", en: "The input ended. Questions not answered count as wrong.")
    public static let allRight = Localized(ko: "모두 맞혔습니다.", en: "Every answer was right.")
    public static let missedHeading = Localized(ko: "틀린 문제", en: "Questions missed")
    public static let resultsHeading = Localized(ko: "채점 결과", en: "Results")
    public static let liveTag = Localized(ko: "실시간: 방금 이 컴퓨터에서 실행한 데모로 정한 답", en: "live: answered by a demo just run on this machine")

    public static let pairEveryLeft = Localized(
        ko: "왼쪽 항목마다 오른쪽 글자를 하나씩 골라야 제출할 수 있습니다.", en: "Give every left side a right-side letter before submitting.")
    public static let loading = Localized(ko: "레슨의 문제를 읽는 중…", en: "Reading the lessons' questions…")

    public static func probing(_ probes: [LiveProbe]) -> Localized {
        let names = probes.map(\.rawValue).joined(separator: ", ")
        return Localized(
            ko: "실시간 문제의 답을 얻으려고 이 컴퓨터에서 실제 데모를 실행하는 중: \(names)…",
            en: "Running real demos on this machine for the live questions' answers: \(names)…")
    }

    public static func rightAnswer(_ text: String) -> Localized {
        Localized(ko: "정답: \(text)", en: "Right answer: \(text)")
    }

    public static func yourAnswer(_ text: String) -> Localized {
        Localized(ko: "내 답: \(text)", en: "Your answer: \(text)")
    }

    public static func nothingToAsk(_ mode: QuizAttempt.Mode) -> Localized {
        mode == .review
            ? Localized(
                ko: "복습할 문제가 없습니다: 지난번에 틀린 문제가 없습니다.", en: "Nothing to review: no question's last answer was wrong.")
            : Localized(ko: "고른 레슨에 퀴즈 문제가 없습니다.", en: "The lessons chosen have no quiz questions.")
    }

    public static func finalScore(_ score: Int, _ total: Int) -> Localized {
        Localized(ko: "점수: \(score) / \(total)", en: "Score: \(score) / \(total)")
    }
}

/// Durations as `--time` takes them: `90s`, `10m`, `1h`, or a combination like `1h30m`.
public enum QuizDuration {
    /// Seconds, or `nil` when the text is not a positive duration.
    public static func parse(_ text: String) -> TimeInterval? {
        var total = 0
        var digits = ""
        for character in text.lowercased() {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            guard let value = Int(digits), let unit = ["s": 1, "m": 60, "h": 3600][character] else { return nil }
            total += value * unit
            digits = ""
        }
        guard digits.isEmpty, total > 0 else { return nil }
        return TimeInterval(total)
    }
}
