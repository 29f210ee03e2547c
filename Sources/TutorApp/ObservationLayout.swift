import TutorCore
import TutorUI

/// Lays a report's observations out, whatever their sides: `host` and `inside`,
/// four processes, or one machine.
///
/// Observations that share a side (by role) with the ones before them form one table:
/// a column per side, and a verdict column when something is compared. A table that
/// cannot fit without breaking a word (a path, an inode number) becomes a list
/// instead, one side per line under each observation.
enum ObservationLayout {
    static func lines(for observations: [Observation], language: Language, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        for (index, group) in groups(observations).enumerated() {
            if index > 0 { lines.append([]) }
            lines += layout(group, language: language, width: width)
        }
        return lines
    }

    /// Consecutive observations that share at least one side's role.
    static func groups(_ observations: [Observation]) -> [[Observation]] {
        var groups: [[Observation]] = []
        var roles: Set<String> = []
        for observation in observations {
            let own = Set(observation.sides.map(\.role))
            if groups.isEmpty || roles.isDisjoint(with: own) {
                groups.append([observation])
                roles = own
            } else {
                groups[groups.count - 1].append(observation)
                roles.formUnion(own)
            }
        }
        return groups
    }

    private static func layout(_ group: [Observation], language: Language, width: Int) -> [StyledLine] {
        // The columns: each role once, in the order the sides first appear.
        var columns: [ObservationSide] = []
        for side in group.flatMap(\.sides) where !columns.contains(where: { $0.role == side.role }) {
            columns.append(side)
        }
        let compared = group.contains { $0.expect != .show }
        var header = [[Span(UIText.demoColumnWhat.text(language), Theme.bold)]] + columns.map { [Span($0.label[language], Theme.bold)] }
        if compared { header.append([]) }
        let rows = group.map { observation -> [StyledLine] in
            var cells = [[Span(observation.label[language])]]
            cells += columns.map { column in [Span(observation.value(column.role) ?? "")] }
            if compared { cells.append(verdict(observation, language: language)) }
            return cells
        }
        if TableLayout.fits(header: header, rows: rows, width: width) {
            return TableLayout.lines(header: header, rows: rows, width: width)
        }
        return list(group, language: language, width: width)
    }

    /// Each observation as a heading line, then one line per side, values aligned.
    private static func list(_ group: [Observation], language: Language, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        for observation in group {
            var heading = [Span(observation.label[language], Theme.bold)]
            let verdict = verdict(observation, language: language)
            if !verdict.isEmpty { heading += [Span(" — ", Theme.dim)] + verdict }
            lines += TextWrap.wrap(heading, width: width)
            let labelWidth = min(width / 2, observation.sides.map { DisplayWidth.of($0.label[language]) }.max() ?? 0)
            for side in observation.sides {
                let label = TextWrap.pad(TextWrap.truncate(side.label[language], width: labelWidth), width: labelWidth)
                lines += LessonLayout.hanging(
                    [Span(side.value)], first: Span("  " + label + "  ", Theme.dim),
                    rest: Span(String(repeating: " ", count: labelWidth + 4)), width: width)
            }
        }
        return lines
    }

    /// `differs` or `same`, in the style of whether that is what the demo expects;
    /// nothing for an observation only shown.
    private static func verdict(_ observation: Observation, language: Language) -> StyledLine {
        guard observation.expect != .show else { return [] }
        let text = observation.differs ? UIText.demoDiffers.text(language) : UIText.demoSame.text(language)
        return [Span(text, observation.holds ? Theme.ok : Theme.bad)]
    }
}
