/// Korean particles whose form depends on the word before them: 과/와, 을/를, 이/가,
/// 은/는, 으로/로. Text that puts a PID, a path or a name before a particle picks
/// the form here instead of writing one that is wrong half the time (`12943와`).
public enum KoreanParticle: Sendable {
    case gwaWa, eulReul, iGa, eunNeun, euroRo

    /// `word` with the particle attached in the form its last sound calls for:
    /// `"12943".with(.gwaWa)` → `12943과`, `"uts".with(.euroRo)` → `uts로`.
    public func attached(to word: String) -> String {
        word + form(after: word)
    }

    /// The form after `word`.
    public func form(after word: String) -> String {
        let (batchim, rieul) = Self.ending(of: word)
        switch self {
        case .gwaWa: return batchim ? "과" : "와"
        case .eulReul: return batchim ? "을" : "를"
        case .iGa: return batchim ? "이" : "가"
        case .eunNeun: return batchim ? "은" : "는"
        // ㄹ takes 로, like a vowel: 서울로, 파일로.
        case .euroRo: return batchim && !rieul ? "으로" : "로"
        }
    }

    /// Whether the word ends in a final consonant when read aloud, and whether that is ㄹ.
    static func ending(of word: String) -> (batchim: Bool, rieul: Bool) {
        let trimmed = word.reversed().drop { ")]}\"'`".contains($0) }
        guard let last = trimmed.first else { return (false, false) }
        if let scalar = last.unicodeScalars.first, (0xAC00...0xD7A3).contains(scalar.value) {
            let final = (scalar.value - 0xAC00) % 28
            return (final != 0, final == 8)
        }
        if last.isNumber, let digit = last.wholeNumberValue {
            if digit != 0 { return ([0, 1, 3, 6, 7, 8].contains(digit), [1, 7, 8].contains(digit)) }
            // 영; 십, 백, 천, 만: every reading of a final zero ends in a consonant, none in ㄹ.
            return (true, false)
        }
        // Latin letters as Koreans read them: el, em, en, er end like ㄹ/ㅁ/ㄴ; the rest in a vowel.
        switch last.lowercased() {
        case "l", "r": return (true, true)
        case "m", "n": return (true, false)
        default: return (false, false)
        }
    }
}
