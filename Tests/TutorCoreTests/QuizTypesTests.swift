import Testing

@testable import TutorCore

/// The question types beyond picking: short answer, order, match and live; each
/// parsed from YAML, scored right and wrong, and every mistake reported at its line.
@Suite struct QuizTypesTests {
    static let yaml = """
        questions:
          - id: tool
            type: short
            prompt: {ko: "새 네임스페이스에서 프로그램을 실행하는 명령은?", en: "Which command runs a program in new namespaces?"}
            accept:
              ko: ["unshare", "언셰어"]
              en: ["unshare", "unshare(1)"]
            explain: {ko: "unshare입니다.", en: "unshare."}
          - id: chain
            type: order
            prompt: {ko: "호출 순서", en: "Call order"}
            items:
              - {ko: "docker CLI", en: "docker CLI"}
              - {ko: "dockerd", en: "dockerd"}
              - {ko: "containerd", en: "containerd"}
              - {ko: "runc", en: "runc"}
            explain: {ko: "차례로 부릅니다.", en: "Each calls the next."}
          - id: pairs
            type: match
            prompt: {ko: "짝짓기", en: "Match"}
            pairs:
              - left: {ko: "uts", en: "uts"}
                right: {ko: "호스트 이름", en: "hostname"}
              - left: {ko: "pid", en: "pid"}
                right: {ko: "프로세스 ID", en: "process IDs"}
              - left: {ko: "net", en: "net"}
                right: {ko: "네트워크 장치", en: "network devices"}
            explain: {ko: "각자 하나씩.", en: "One each."}
          - id: release
            type: live
            probe: kernel-release
            prompt: {ko: "{hostname} 안의 uname -r은?", en: "What does uname -r print in {hostname}?"}
            explain: {ko: "{answer}: 커널은 하나.", en: "{answer}: one kernel."}
        """

    static func questions() throws -> [Question] {
        let (quiz, diagnostics) = Quiz.parse(yaml, file: "q.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return try #require(quiz).questions
    }

    @Test func parsesEachType() throws {
        let questions = try Self.questions()
        #expect(questions.map(\.style) == [.type, .arrange, .pair, .type])
        #expect(questions[0].answer == .short(AcceptedAnswers(ko: ["unshare", "언셰어"], en: ["unshare", "unshare(1)"])))
        #expect(questions[1].answer == .order)
        #expect(questions[1].choices.map(\.en) == ["docker CLI", "dockerd", "containerd", "runc"])
        #expect(questions[2].choices.map(\.en) == ["uts", "pid", "net"])
        #expect(
            questions[2].answer
                == .match(right: [
                    Localized(ko: "호스트 이름", en: "hostname"), Localized(ko: "프로세스 ID", en: "process IDs"),
                    Localized(ko: "네트워크 장치", en: "network devices"),
                ]))
        #expect(questions[3].answer == .live(.kernelRelease))
    }

    @Test func shortAnswersInEitherLanguageNormalised() throws {
        let short = try Self.questions()[0]
        for right in ["unshare", "  UNSHARE ", "Ｕｎｓｈａｒｅ", "언셰어", "unshare(1)", "\u{3000}unshare\u{3000}"] {
            #expect(short.isCorrect(.text(right)), "\(right)")
        }
        for wrong in ["nsenter", "", "   ", "un share", "unshare now"] {
            #expect(!short.isCorrect(.text(wrong)), "\(wrong)")
        }
    }

    @Test func orderIsRightOnlyInTheWrittenOrder() throws {
        let order = try Self.questions()[1]
        #expect(order.isCorrect(.sequence([0, 1, 2, 3])))
        #expect(!order.isCorrect(.sequence([1, 0, 2, 3])))
        #expect(!order.isCorrect(.sequence([0, 1, 2])))
        #expect(!order.isCorrect(.picked([0])))
    }

    @Test func matchIsRightOnlyWithEveryPair() throws {
        let match = try Self.questions()[2]
        #expect(match.isCorrect(.pairs([0, 1, 2])))
        #expect(!match.isCorrect(.pairs([0, 2, 1])))
        #expect(!match.isCorrect(.pairs([0, 1])))
    }

    @Test func liveIsScoredAgainstTheProbesAnswer() throws {
        let live = try Self.questions()[3]
        let found = LiveAnswer(answer: "6.18.0-test", values: ["hostname": "ctutor-demo", "pid": "4242"])
        #expect(live.isCorrect(.text(" 6.18.0-TEST "), live: found))
        #expect(!live.isCorrect(.text("6.1.0"), live: found))
        // Without the probe's answer nothing is right.
        #expect(!live.isCorrect(.text("6.18.0-test")))
        let item = QuizItem(lesson: "l", question: live, seed: 1, live: found)
        #expect(item.prompt(.en) == "What does uname -r print in ctutor-demo?")
        #expect(item.explanation(.ko) == "6.18.0-test: 커널은 하나.")
    }

    /// Each mistake named at the line it is on, with what to write instead.
    @Test(arguments: [
        ("      ko: [\"unshare\", \"언셰어\"]\n", "      ko: []\n", "q.yaml:6: 'accept' needs at least one ko answer"),
        ("    type: short\n", "    type: short\n    choices: []\n", "q.yaml:4: a short question has no 'choices'; it takes 'accept'"),
        (
            "      - {ko: \"runc\", en: \"runc\"}\n", "      - {ko: \"dockerd\", en: \"runc\"}\n",
            "q.yaml:16: 'items' has 'dockerd' twice (ko); each must read differently"
        ),
        ("    items:\n", "    choices:\n", "q.yaml:12: an order question has no 'choices'; it takes 'items'"),
        ("        right: {ko: \"네트워크 장치\", en: \"network devices\"}\n", "        right: {ko: \"네트워크 장치\"}\n", "q.yaml:27: missing 'en'"),
        (
            "    probe: kernel-release\n", "    probe: kernel-version\n",
            "q.yaml:31: unknown probe 'kernel-version'; known probes: kernel-release, child-pid-in-new-pidns, thread-count"
        ),
        (
            "What does uname -r print in {hostname}?", "What does uname -r print in {host}?",
            "q.yaml:32: unknown placeholder {host} for probe kernel-release; it gives {answer}, {hostname}, {pid}"
        ),
    ])
    func mistakesAreReportedAtTheirLine(original: String, replacement: String, message: String) {
        #expect(Self.yaml.contains(original))
        let (quiz, diagnostics) = Quiz.parse(Self.yaml.replacingOccurrences(of: original, with: replacement), file: "q.yaml")
        #expect(quiz == nil)
        #expect(diagnostics.map(\.description).contains(message), "\(diagnostics)")
    }

    @Test func aMatchNeedsTwoPairs() {
        let text = """
            questions:
              - id: m
                type: match
                prompt: {ko: "짝", en: "pair"}
                pairs:
                  - left: {ko: "a", en: "a"}
                    right: {ko: "b", en: "b"}
                explain: {ko: "x", en: "y"}
            """
        #expect(Quiz.parse(text, file: "q.yaml").1.map(\.description) == ["q.yaml:6: a match question needs at least 2 pairs"])
    }

    @Test func normaliserFoldsWidthCaseAndSpaces() {
        #expect(AnswerNormalizer.normalize("  ＰＩＤ\u{3000}\u{3000}Namespace\t") == "pid namespace")
        #expect(AnswerNormalizer.normalize("ｒｕｎｃ！") == "runc!")
        #expect(AnswerNormalizer.normalize("호스트   이름") == "호스트 이름")
    }
}
