import Testing
import TutorCore
import TutorUI

@testable import TutorApp

@Suite struct ObservationLayoutTests {
    private func side(_ role: String, _ value: String) -> ObservationSide {
        ObservationSide(role: role, label: Localized(role), value: value)
    }

    @Test func observationsThatShareASideShareATable() {
        let observations = [
            Observation(id: "cpu", label: Localized("CPU"), expect: .show, sides: [side("machine", "EPYC")]),
            Observation(id: "libs", label: Localized("Libraries"), expect: .show, sides: [side("process", "libc.so.6")]),
            Observation(id: "pid", label: Localized("PID"), sides: [side("p1", "10"), side("p2", "11")]),
            Observation(
                id: "exe", label: Localized("Exe"), expect: .match, sides: [side("disk", "/s"), side("p1", "/s"), side("p2", "/s")]),
        ]
        #expect(ObservationLayout.groups(observations).map { $0.map(\.id) } == [["cpu"], ["libs"], ["pid", "exe"]])
    }

    @Test func aTableOnlyShowsAVerdictWhenSomethingIsCompared() {
        let shown = ObservationLayout.lines(
            for: [Observation(id: "cpu", label: Localized("CPU"), expect: .show, sides: [side("machine", "EPYC")])],
            language: .en, width: 40
        ).map(\.plainText)
        #expect(
            shown == [
                "┌──────────┬─────────┐", "│ Observed │ machine │", "├──────────┼─────────┤", "│ CPU      │ EPYC    │",
                "└──────────┴─────────┘",
            ])
    }

    @Test func aTableThatWouldBreakAPathBecomesAList() {
        let exe = Observation(
            id: "exe", label: Localized("Executable"), expect: .match,
            sides: [side("disk", "/usr/bin/sleep"), side("p1", "/usr/bin/sleep"), side("p2", "/usr/bin/sleep")])
        let lines = ObservationLayout.lines(for: [exe], language: .en, width: 40).map(\.plainText)
        #expect(lines == ["Executable — same", "  disk  /usr/bin/sleep", "  p1    /usr/bin/sleep", "  p2    /usr/bin/sleep"])
    }

    @Test func aValueOfSeveralLinesKeepsItsIndentInAList() {
        let kinds = Observation(
            id: "kinds", label: Localized("Kinds"), expect: .show, sides: [side("command", "newfstatat  22\nmmap        30")])
        // As a table it needs 29 columns.
        let lines = ObservationLayout.lines(for: [kinds], language: .en, width: 28).map(\.plainText)
        #expect(lines == ["Kinds", "  command  newfstatat  22", "           mmap        30"])
    }
}
