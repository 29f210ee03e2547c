import Foundation
import Testing

@testable import TutorCore

@Suite struct LanguageTests {
    @Test func explicitThenEnvironmentThenLocale() {
        #expect(Language.resolve(explicit: "en", environment: ["CTUTOR_LANG": "ko"]) == .en)
        #expect(Language.resolve(explicit: nil, environment: ["CTUTOR_LANG": "ko", "LANG": "en_US.UTF-8"]) == .ko)
        #expect(Language.resolve(explicit: nil, environment: ["LANG": "ko_KR.UTF-8"]) == .ko)
        #expect(Language.resolve(explicit: nil, environment: ["LC_ALL": "C.UTF-8", "LANG": "ko_KR.UTF-8"]) == .en)
        #expect(Language.resolve(explicit: nil, environment: [:]) == .en)
        #expect(Language(code: "fr") == nil)
    }

    @Test func everyInterfaceTextExistsInBothLanguages() {
        for key in UIText.allCases {
            let ko = key.text(.ko)
            let en = key.text(.en)
            #expect(!ko.isEmpty && !en.isEmpty, "\(key)")
            // The same placeholders in the same order, or formatting would differ.
            let placeholders = { (s: String) in s.components(separatedBy: "%").dropFirst().map { $0.prefix(1) } }
            #expect(placeholders(ko) == placeholders(en), "\(key)")
        }
    }

    @Test func formatFillsPlaceholdersInOrder() {
        #expect(UIText.quizQuestion.format(.en, 2, 6) == "Question 2 of 6")
        #expect(UIText.quizQuestion.format(.ko, 2, 6) == "문제 2 / 6")
        #expect(UIText.demoBoxTitle.format(.en, "UTS") == "Real demo: UTS")
    }

    @Test func demoReportJSONHasTheContractFields() throws {
        let report = DemoReport(
            demo: "uts", title: Localized(ko: "유츠", en: "UTS"), mode: .unavailable,
            observations: [Observation(id: "hostname", label: Localized(ko: "호스트 이름", en: "hostname"), host: "a", inside: "b")],
            cleanup: [CleanupItem(Localized(ko: "자식 프로세스 7", en: "child process 7"), released: false)],
            reason: Localized(ko: "이유", en: "why"))
        let object = try #require(JSONSerialization.jsonObject(with: Data(report.jsonText(.en).utf8)) as? [String: Any])
        #expect(object["demo"] as? String == "uts")
        #expect(object["mode"] as? String == "unavailable")
        #expect(object["cleanup"] as? String == "incomplete")
        #expect(object["succeeded"] as? Bool == false)
        let released = try #require(object["released"] as? [[String: Any]])
        #expect(released.first?["resource"] as? String == "child process 7")
        #expect(released.first?["released"] as? Bool == false)
        #expect(object["reason"] as? String == "why")
        let observations = try #require(object["observations"] as? [[String: Any]])
        #expect(observations.first?["label"] as? String == "hostname")
        #expect(observations.first?["host"] as? String == "a")
        #expect(observations.first?["inside"] as? String == "b")
        #expect(observations.first?["differs"] as? Bool == true)
        #expect(observations.first?["expect"] as? String == "differ")
        #expect(observations.first?["holds"] as? Bool == true)
    }

    @Test func observationsJudgeTheirExpectation() {
        let shared = Observation(id: "kernel", label: Localized("kernel"), expect: .match, host: "6.8", inside: "6.8")
        let split = Observation(id: "kernel", label: Localized("kernel"), expect: .match, host: "6.8", inside: "6.9")
        #expect(shared.holds && !shared.differs)
        #expect(!split.holds)
        let three = Observation(
            id: "pid", label: Localized("pid"),
            sides: [.host("10"), .inside("1"), ObservationSide(role: "b", label: Localized("B"), value: "1")])
        #expect(three.holds)
        #expect(three.value("b") == "1")
    }
}
