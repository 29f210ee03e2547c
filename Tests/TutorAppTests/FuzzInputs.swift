import Foundation

/// SplitMix64: small, fast, and the same numbers for the same seed on every
/// machine, so a failing fuzz case is reproduced from its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Lesson, quiz and progress files as a careless editor, a wrong encoding or a
/// hostile tester would leave them: real files mutated, and text from every
/// corner of Unicode and of the byte range.
struct FuzzInputs {
    var random: SeededGenerator

    /// Code point ranges, one per kind of character a lesson file can hold.
    static let categories: [ClosedRange<UInt32>] = [
        0x20...0x7E,  // ASCII
        0x00...0x1F, 0x7F...0x9F,  // C0 and C1 controls, ESC and DEL among them
        0xA0...0xFF, 0x300...0x36F,  // Latin-1, combining marks
        0xAC00...0xD7A3, 0x1100...0x11FF, 0x3131...0x318E,  // Hangul syllables, jamo, compatibility jamo
        0x4E00...0x9FFF, 0xFF01...0xFF60,  // CJK, full width
        0x1F300...0x1FAFF, 0x1F1E6...0x1F1FF, 0x1F3FB...0x1F3FF,  // emoji, regional indicators, skin tones
        0x200B...0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFE0F...0xFE0F, 0xFEFF...0xFEFF,  // format, bidi, VS16, BOM
        0xE000...0xF8FF, 0x10_0000...0x10_FFFD, 0xE0001...0xE007F,  // private use, tags
        0x0378...0x0379, 0xFFFE...0xFFFF, 0x0590...0x05FF, 0x0E00...0x0E7F,  // unassigned, noncharacters, Hebrew, Thai
    ]

    /// What a lesson file gives a meaning to, to hit the parsers' edge cases.
    static let tokens = [
        "---", "\n", "\r\n", "\r", "\t", "```", "`", "**", "[", "](", ")", "|", "|---|", "> ", "> [!NOTE]", "- ", "  - ", "1. ",
        "# ", "#### ", ":::demo uts", ":::demo ", ":::", "id: ", "title: ", "demos: [", "]", "minutes: ", "questions:", "  - id: ",
        "type: single", "answer: ", "choices:", "ko: ", "en: ", "\"", "'", "&a", "*a", "!!binary", "{", "}", ": ", "\u{FEFF}",
        "👨‍👩‍👧", "🇰🇷", "👍🏽", "❤️", "가", "\u{1B}[2J", "\u{7}", "\\",
    ]

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }

    /// A character from a random category; unpaired surrogates are not characters.
    mutating func scalar() -> Unicode.Scalar {
        let range = Self.categories.randomElement(using: &random)!
        return Unicode.Scalar(UInt32.random(in: range, using: &random)) ?? "\u{FFFD}"
    }

    mutating func text(length: Int) -> String {
        var result = ""
        for _ in 0..<length {
            if chance(30) {
                result += Self.tokens.randomElement(using: &random)!
            } else {
                result.unicodeScalars.append(scalar())
            }
        }
        return result
    }

    /// One of: bytes of no encoding, a huge line, deep nesting, or random text.
    mutating func piece() -> [UInt8] {
        switch int(0...9) {
        case 0: return (0..<int(1...64)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 1: return [0xC0, 0xAF, 0xE0, 0x80, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80, 0xE3, 0x81]  // overlong, surrogate, too big, cut
        case 2:
            // A huge line of one thing: every `[` or backtick unclosed, one endless word.
            let unit = ["[", "`", "**", "|", "a", "가 ", "👨‍👩‍👧", "x ", "> ", "\t"].randomElement(using: &random)!
            return Array(String(repeating: unit, count: int(20_000...120_000)).utf8)
        case 3:
            let unit = ["> ", "  ", "- ", "[", "{", "  - ", "|", "#"].randomElement(using: &random)!
            return Array((String(repeating: unit, count: int(100...5_000)) + "x\n").utf8)
        default:
            return Array(text(length: int(1...80)).utf8)
        }
    }

    /// `bytes` with one to four mutations.
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<int(1...4) {
            let at = bytes.isEmpty ? 0 : int(0...bytes.count)
            switch int(0...8) {
            case 0: bytes.insert(contentsOf: piece(), at: at)
            case 1: bytes = Array(bytes.prefix(at))  // truncated, maybe in a character
            case 2:
                let end = min(bytes.count, at + int(1...400))
                if at < end { bytes.removeSubrange(at..<end) }
            case 3:
                let end = min(bytes.count, at + int(1...2_000))
                if at < end { bytes.insert(contentsOf: bytes[at..<end], at: int(0...bytes.count)) }
            case 4: bytes = lineEnds(bytes)
            case 5: bytes = [0xEF, 0xBB, 0xBF] + bytes
            case 6:
                var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
                if lines.count > 1 { lines.swapAt(int(0...(lines.count - 1)), int(0...(lines.count - 1))) }
                bytes = Array(lines.joined(separator: [10]))
            case 7:
                // One byte changed: the smallest typo.
                if !bytes.isEmpty { bytes[min(at, bytes.count - 1)] = UInt8.random(in: 0...255, using: &random) }
            default: bytes.insert(contentsOf: Array(text(length: int(1...10)).utf8), at: at)
            }
        }
        return bytes
    }

    /// Line ends as another system, or a mix of them, writes them.
    mutating func lineEnds(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        for byte in bytes {
            guard byte == 10 else {
                result.append(byte)
                continue
            }
            switch int(0...2) {
            case 0: result += [13, 10]
            case 1: result.append(13)
            default: result.append(10)
            }
        }
        return result
    }

    /// A lesson file made from its grammar's pieces, well formed or not.
    mutating func lesson() -> [UInt8] {
        var text = chance(80) ? "---\nid: fuzz\ntitle: \(self.text(length: int(0...5)))\nsummary: s\ndemos: [uts]\n---\n" : ""
        for _ in 0..<int(0...40) { text += self.text(length: int(0...30)) + (chance(50) ? "\n" : "") }
        return Array(text.utf8)
    }
}
