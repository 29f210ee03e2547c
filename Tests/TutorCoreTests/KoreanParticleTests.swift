import Testing
import TutorCore

@Suite struct KoreanParticleTests {
    @Test func hangulFollowsItsFinalConsonant() {
        #expect(KoreanParticle.gwaWa.attached(to: "네임스페이스") == "네임스페이스와")
        #expect(KoreanParticle.gwaWa.attached(to: "커널") == "커널과")
        #expect(KoreanParticle.euroRo.attached(to: "파일") == "파일로", "ㄹ takes 로")
        #expect(KoreanParticle.euroRo.attached(to: "경로") == "경로로")
        #expect(KoreanParticle.euroRo.attached(to: "디렉터리 목록") == "디렉터리 목록으로")
    }

    @Test func numbersAsTheyAreRead() {
        #expect(KoreanParticle.gwaWa.attached(to: "12943") == "12943과", "삼")
        #expect(KoreanParticle.gwaWa.attached(to: "4242") == "4242와", "이")
        #expect(KoreanParticle.iGa.attached(to: "31626") == "31626이", "육")
        #expect(KoreanParticle.eulReul.attached(to: "95") == "95를", "오")
        #expect(KoreanParticle.euroRo.attached(to: "7") == "7로", "칠: ㄹ")
        #expect(KoreanParticle.euroRo.attached(to: "10") == "10으로", "십")
        #expect(KoreanParticle.eunNeun.attached(to: "0") == "0은", "영")
    }

    @Test func latinAndBrackets() {
        #expect(KoreanParticle.euroRo.attached(to: "uts") == "uts로")
        #expect(KoreanParticle.gwaWa.attached(to: "uts:[4026531838]") == "uts:[4026531838]과")
        #expect(KoreanParticle.iGa.attached(to: "/proc/self/exe") == "/proc/self/exe가")
        #expect(KoreanParticle.eulReul.attached(to: "/bin/sh") == "/bin/sh를")
    }
}
