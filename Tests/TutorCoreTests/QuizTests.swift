import Testing

@testable import TutorCore

@Suite struct QuizTests {
    static let good = """
        questions:
          - id: one
            type: single
            prompt: {ko: "질문", en: "Question"}
            choices:
              - {ko: "가", en: "a"}
              - {ko: "나", en: "b"}
            answer: 1
            explain: {ko: "설명", en: "Because"}
          - id: two
            type: truefalse
            prompt: {ko: "참?", en: "True?"}
            answer: false
            explain: {ko: "아님", en: "No"}
          - id: three
            type: multiple
            prompt: {ko: "모두", en: "All"}
            choices:
              - {ko: "1", en: "1"}
              - {ko: "2", en: "2"}
              - {ko: "3", en: "3"}
            answer: [0, 2]
            explain: {ko: "둘", en: "Two"}
        """

    @Test func parsesAllThreeKinds() throws {
        let (quiz, diagnostics) = Quiz.parse(Self.good, file: "q.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let questions = try #require(quiz).questions
        #expect(questions.map(\.id) == ["one", "two", "three"])
        #expect(questions[0].answer == .single(1))
        #expect(questions[1].answer == .trueFalse(false))
        #expect(questions[2].answer == .multiple([0, 2]))
        #expect(questions[0].prompt == Localized(ko: "질문", en: "Question"))
    }

    /// Scalars are composed without Yams' regex resolver; booleans keep YAML 1.1's
    /// words, and a quoted one stays text.
    @Test func trueFalseAnswersReadAsYAMLBooleans() throws {
        for (written, value) in [("yes", true), ("True", true), ("off", false)] {
            let text = Self.good.replacingOccurrences(of: "answer: false", with: "answer: \(written)")
            let questions = try #require(Quiz.parse(text, file: "q.yaml").0).questions
            #expect(questions[1].answer == .trueFalse(value))
        }
        let quoted = Self.good.replacingOccurrences(of: "answer: false", with: "answer: \"false\"")
        #expect(Quiz.parse(quoted, file: "q.yaml").1.map(\.description) == ["q.yaml:13: 'answer' must be true or false"])
    }

    @Test func scoring() throws {
        let questions = try #require(Quiz.parse(Self.good, file: "q.yaml").0).questions
        #expect(questions[0].isCorrect(.picked([1])))
        #expect(!questions[0].isCorrect(.picked([0])))
        #expect(!questions[0].isCorrect(.picked([0, 1])))
        #expect(questions[1].isCorrect(.picked([1])))  // option 1 is False
        #expect(!questions[1].isCorrect(.picked([0])))
        #expect(questions[2].isCorrect(.picked([0, 2])))
        #expect(!questions[2].isCorrect(.picked([0])))
        #expect(!questions[2].isCorrect(.picked([0, 1, 2])))
        // An answer of another kind is never right.
        #expect(!questions[0].isCorrect(.text("2")))
    }

    @Test func answerOutOfRangeIsReportedAtItsLine() {
        let text = Self.good.replacingOccurrences(of: "answer: 1", with: "answer: 5")
        let (quiz, diagnostics) = Quiz.parse(text, file: "q.yaml")
        #expect(quiz == nil)
        #expect(diagnostics.map(\.description) == ["q.yaml:8: answer 5 is out of range: choices are numbered 0 to 1"])
    }

    @Test func missingLanguageAndUnknownTypeAreReported() {
        let text = """
            questions:
              - id: a
                type: essay
                prompt: {ko: "질문"}
                answer: 0
                explain: {ko: "x", en: "y"}
            """
        let (quiz, diagnostics) = Quiz.parse(text, file: "q.yaml")
        #expect(quiz == nil)
        let messages = diagnostics.map(\.description)
        #expect(messages.contains("q.yaml:4: missing 'en'"))
        #expect(
            messages.contains("q.yaml:3: unknown question type 'essay'; use one of: single, multiple, truefalse, short, order, match, live")
        )
    }

    @Test func yamlSyntaxErrorNamesTheLine() {
        let (quiz, diagnostics) = Quiz.parse("questions:\n  - id: a\n    prompt: [unclosed\n", file: "q.yaml")
        #expect(quiz == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].message.hasPrefix("YAML syntax:"))
        #expect(diagnostics[0].line >= 3)
    }

    @Test func duplicateIdsAreReported() {
        let text = Self.good.replacingOccurrences(of: "id: two", with: "id: one")
        let (_, diagnostics) = Quiz.parse(text, file: "q.yaml")
        #expect(diagnostics.map(\.message).contains("duplicate question id 'one'"))
    }
}
