import Testing

@testable import TutorCore

/// Typed answers, as `ctutor quiz --plain` reads them: what each kind accepts and
/// what it refuses with a hint saying what to type.
@Suite struct QuizInputTests {
    static func item(_ index: Int, order: [Int]? = nil) throws -> QuizItem {
        let question = try QuizTypesTests.questions()[index]
        return QuizItem(lesson: "l", question: question, order: order ?? Array(0..<question.optionCount))
    }

    static let single = QuizItem(
        lesson: "l", question: QuizDeckTests.choice("s", right: 2), order: [3, 2, 1, 0])

    @Test func pickOne() throws {
        #expect(try QuizInput.parse(" 2 ", for: Self.single).get() == .picked([1]))
        #expect(try QuizInput.parse("２", for: Self.single).get() == .picked([1]), "a full-width digit")
        #expect(Self.single.isCorrect(.picked([1])))
        for bad in ["0", "5", "1,2", "two", "", "   "] {
            guard case .failure(let invalid) = QuizInput.parse(bad, for: Self.single) else {
                Issue.record("'\(bad)' was taken")
                continue
            }
            #expect(invalid.hint.en == "Type one number (1-4).")
        }
        #expect(throws: InvalidAnswer.self) { try QuizInput.parse("7", for: Self.single).get() }
        if case .failure(let invalid) = QuizInput.parse("7", for: Self.single) {
            #expect(invalid.message.en == "'7' is not an answer here. Type one number (1-4).")
            #expect(invalid.message.ko == "'7'은 여기에 맞는 답이 아닙니다. 번호 하나(1-4)를 입력하세요.")
        }
    }

    /// True is 1 and False is 2 in every quiz, whatever the seed.
    @Test func trueFalseKeepsItsOrder() throws {
        let question = Question(id: "tf", prompt: Localized("?"), choices: [], answer: .trueFalse(false), explanation: Localized("."))
        for seed: UInt64 in [1, 2, 3] {
            let item = QuizItem(lesson: "l", question: question, seed: seed)
            #expect(item.options(.en) == ["True", "False"])
            let two = try QuizInput.parse("2", for: item).get()
            #expect(item.isCorrect(two))
            #expect(!item.isCorrect(try QuizInput.parse("1", for: item).get()))
            #expect(item.rightAnswer(.en) == "2. False")
        }
    }

    @Test func arrange() throws {
        let order = try Self.item(1, order: [2, 0, 3, 1])
        #expect(try QuizInput.parse("2,4,1,3", for: order).get() == .sequence([1, 3, 0, 2]))
        #expect(order.isCorrect(.sequence([1, 3, 0, 2])))
        #expect(!order.isCorrect(.sequence([0, 1, 2, 3])))
        #expect(order.written(.sequence([1, 3, 0, 2])) == "2,4,1,3")
        for bad in ["1,2,3", "1,1,2,3", "1,2,3,5", "a,b,c,d"] {
            #expect(throws: InvalidAnswer.self, "\(bad)") { try QuizInput.parse(bad, for: order).get() }
        }
    }

    @Test func pair() throws {
        let match = try Self.item(2, order: [1, 2, 0])
        // uts → hostname (shown c), pid → process IDs (shown a), net → devices (shown b).
        for written in ["c,a,b", "cab", "C A B", "1c,2a,3b", "3b 1c 2a"] {
            #expect(try QuizInput.parse(written, for: match).get() == .pairs([2, 0, 1]), "\(written)")
        }
        #expect(match.isCorrect(.pairs([2, 0, 1])))
        #expect(!match.isCorrect(.pairs([0, 1, 2])))
        #expect(match.written(.pairs([2, 0, 1])) == "c,a,b")
        for bad in ["a,b", "a,a,b", "a,b,d", "1a,1b,2c", "1,2,3"] {
            #expect(throws: InvalidAnswer.self, "\(bad)") { try QuizInput.parse(bad, for: match).get() }
        }
    }

    @Test func typed() throws {
        let short = try Self.item(0)
        #expect(try QuizInput.parse("  Unshare ", for: short).get() == .text("Unshare"))
        #expect(short.isCorrect(.text("Unshare")))
        #expect(throws: InvalidAnswer.self) { try QuizInput.parse("  ", for: short).get() }
    }

    @Test func rightAnswersInWords() throws {
        #expect(try Self.item(1).rightAnswer(.en) == "docker CLI → dockerd → containerd → runc")
        #expect(try Self.item(2).rightAnswer(.ko) == "uts → 호스트 이름; pid → 프로세스 ID; net → 네트워크 장치")
        #expect(try Self.item(0).rightAnswer(.ko) == "unshare")
        #expect(Self.single.rightAnswer(.en) == "2. s-3")
    }
}
