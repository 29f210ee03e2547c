import CShim
import Foundation
import Testing

@testable import TutorUI

@Suite struct DisplayWidthTests {
    @Test func asciiIsOneColumn() {
        #expect(DisplayWidth.of("hello") == 5)
    }

    @Test func hangulSyllablesAreTwoColumns() {
        #expect(DisplayWidth.of(Character("가")) == 2)
        #expect(DisplayWidth.of("한글") == 4)
        #expect(DisplayWidth.of("UTS 네임스페이스") == 4 + 12)
    }

    @Test func combiningMarksTakeNoColumn() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        // A syllable written as conjoining jamo: leading consonant 2, vowel 0.
        #expect(DisplayWidth.of("\u{1100}\u{1161}") == 2)
    }

    @Test func compatibilityJamoCJKAndEmojiAreWide() {
        #expect(DisplayWidth.of(Character("ㄱ")) == 2)
        #expect(DisplayWidth.of(Character("漢")) == 2)
        #expect(DisplayWidth.of(Character("😀")) == 2)
        #expect(DisplayWidth.of(Character("─")) == 1)
    }

    #if canImport(Glibc)
    /// Our table must agree with the C library the terminal side uses.
    @Test func agreesWithGlibcWcwidthUnderCUTF8() throws {
        // C.UTF-8 for this thread only (inside ctutor_wcwidth): setting the process's
        // locale raced with the other test that did, which put it back mid-loop.
        try #require(ctutor_wcwidth(0x41) != -2, "C.UTF-8 locale is not available")
        var samples: [UInt32] =
            Array(0x20...0x7E) + Array(0x3131...0x318E) + [
                0x00E9, 0x2500, 0x2502, 0x2022, 0x25B2, 0x4E00, 0x9FA5, 0x1F600, 0xFF01, 0x0301, 0x1161, 0x11A8,
                // The parts of emoji sequences: regional indicators, ZWJ, VS16, skin tones, keycap.
                0x1F1F0, 0x1F1F7, 0x200D, 0xFE0F, 0x1F3FB, 0x1F3FD, 0x1F3FF, 0x2764, 0x1F468, 0x1F469, 0x1F467, 0x20E3, 0x1F3F3, 0x1F308,
            ]
        samples += stride(from: 0xAC00, through: 0xD7A3, by: 97).map { UInt32($0) }
        var mismatches: [String] = []
        for value in samples {
            let scalar = Unicode.Scalar(value)!
            let expected = Int(ctutor_wcwidth(value))
            if DisplayWidth.of(scalar) != expected {
                mismatches.append(String(format: "U+%04X ours %d glibc %d", value, DisplayWidth.of(scalar), expected))
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
    #endif
}
