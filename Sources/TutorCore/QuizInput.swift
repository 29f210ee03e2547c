import Foundation

/// Reads a typed answer — `2`, `1,3`, `3,1,2`, `b,a,c` or `1b 2a 3c`, or text — into a
/// response for an item, in shown numbering; or says, in both languages, what to type.
public enum QuizInput {
    public static func parse(_ line: String, for item: QuizItem) -> Result<QuizResponse, InvalidAnswer> {
        // Full-width digits, letters and commas, as a Korean input method may type them.
        let typed = AnswerNormalizer.normalize(line)
        guard !typed.isEmpty else { return .failure(InvalidAnswer(typed: line, hint: hint(for: item))) }
        let count = item.order.count
        switch item.style {
        case .type:
            return .success(.text(line.trimmingCharacters(in: .whitespaces)))
        case .pickOne:
            let options = item.options(.en).count
            guard let number = Int(typed), (1...options).contains(number) else { return invalid(line, item) }
            return .success(.picked([number - 1]))
        case .pickSeveral:
            guard let numbers = numbers(typed), !numbers.isEmpty, Set(numbers).count == numbers.count,
                numbers.allSatisfy({ (1...count).contains($0) })
            else { return invalid(line, item) }
            return .success(.picked(Set(numbers.map { $0 - 1 })))
        case .arrange:
            guard let numbers = numbers(typed), numbers.sorted() == Array(1...count) else { return invalid(line, item) }
            return .success(.sequence(numbers.map { $0 - 1 }))
        case .pair:
            guard let letters = pairLetters(typed, count: count), letters.sorted() == Array(0..<count) else { return invalid(line, item) }
            return .success(.pairs(letters))
        }
    }

    /// How to answer this item, shown with it: in the plain quiz, after the options.
    public static func hint(for item: QuizItem) -> Localized {
        let count = item.order.count
        switch item.style {
        case .pickOne:
            let options = item.options(.en).count
            return Localized(ko: "번호 하나(1-\(options))를 입력하세요.", en: "Type one number (1-\(options)).")
        case .pickSeveral:
            return Localized(
                ko: "맞는 번호를 모두 쉼표로 나눠 입력하세요(예: 1,3).", en: "Type every right number, separated by commas (like 1,3).")
        case .arrange:
            let example = (1...count).reversed().map(String.init).joined(separator: ",")
            return Localized(
                ko: "번호 1-\(count)를 맞는 순서대로 한 번씩 입력하세요(예: \(example)).",
                en: "Type the numbers 1-\(count) in the right order, each once (like \(example)).")
        case .pair:
            let letters = (0..<count).map(QuizItem.letter)
            let example = letters.reversed().joined(separator: ",")
            return Localized(
                ko: "왼쪽 1-\(count)에 짝지을 오른쪽 글자(\(letters.joined(separator: ",")))를 차례로, 한 번씩 입력하세요(예: \(example)).",
                en:
                    "For left 1-\(count) in turn, type the letter of its right side (\(letters.joined(separator: ","))), each once (like \(example))."
            )
        case .type:
            return Localized(ko: "답을 입력하세요(한국어나 영어).", en: "Type the answer (Korean or English).")
        }
    }

    private static func invalid(_ line: String, _ item: QuizItem) -> Result<QuizResponse, InvalidAnswer> {
        .failure(InvalidAnswer(typed: line, hint: hint(for: item)))
    }

    /// `1,3`, `1 3` or `1, 3`.
    private static func numbers(_ typed: String) -> [Int]? {
        let parts = typed.split(whereSeparator: { $0 == "," || $0 == " " })
        let numbers = parts.compactMap { Int($0) }
        return numbers.count == parts.count ? numbers : nil
    }

    /// `b,a,c`, `bac` or `1b,2a,3c` (the numbers then say which left side, in any order).
    private static func pairLetters(_ typed: String, count: Int) -> [Int]? {
        let parts = typed.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        let letterIndex = { (text: Substring) -> Int? in
            guard text.count == 1, let value = text.unicodeScalars.first?.value, (97..<(97 + UInt32(count))).contains(value) else {
                return nil
            }
            return Int(value) - 97
        }
        if parts.count == 1, parts[0].count == count, parts[0].allSatisfy(\.isLetter) {
            let letters = parts[0].map { letterIndex(Substring(String($0))) }
            return letters.contains(nil) ? nil : letters.compactMap { $0 }
        }
        if parts.allSatisfy({ $0.first?.isNumber == true }) {
            var byLeft = [Int?](repeating: nil, count: count)
            for part in parts {
                let digits = part.prefix(while: \.isNumber)
                guard let left = Int(digits), (1...count).contains(left), byLeft[left - 1] == nil,
                    let right = letterIndex(part.dropFirst(digits.count))
                else { return nil }
                byLeft[left - 1] = right
            }
            return byLeft.contains(nil) ? nil : byLeft.compactMap { $0 }
        }
        let letters = parts.map { letterIndex(Substring($0)) }
        return letters.count == count && !letters.contains(nil) ? letters.compactMap { $0 } : nil
    }
}

/// A typed answer that is not one: what was typed and what to type instead.
public struct InvalidAnswer: Error, Equatable, Sendable {
    public var typed: String
    public var hint: Localized

    /// `'7' is not an answer here. Type one number (1-4).`
    public var message: Localized {
        let shown = typed.trimmingCharacters(in: .whitespaces)
        if shown.isEmpty { return Localized(ko: "답이 비어 있습니다. " + hint.ko, en: "The answer is empty. " + hint.en) }
        return Localized(
            ko: KoreanParticle.eunNeun.attached(to: "'\(shown)'") + " 여기에 맞는 답이 아닙니다. " + hint.ko,
            en: "'\(shown)' is not an answer here. " + hint.en)
    }
}
