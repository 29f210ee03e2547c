import TutorCore
import TutorUI

import struct Foundation.Date

/// The demo screen: while the demo runs on the worker, its title and a clock (the
/// learner may leave at any time); then its report, which scrolls.
enum DemoView {
    static func draw(_ state: AppState, _ area: Rect, _ buffer: inout ScreenBuffer) {
        guard let demo = state.demo else { return }
        if demo.isRunning {
            ScrollView.draw(runningLines(demo, state), scroll: 0, area, &buffer)
        } else {
            ScrollView.draw(state.demoLines(), scroll: demo.scroll, area, &buffer)
        }
    }

    static func runningLines(_ demo: DemoState, _ state: AppState) -> [StyledLine] {
        let language = state.language
        let width = state.textWidth
        let title = state.demoTitles[demo.demoID]?[language] ?? demo.demoID
        let tenths = max(0, Int((state.now.timeIntervalSince(demo.startedAt) * 10).rounded(.down)))
        var lines = TextWrap.wrap([Span(title, Theme.heading1), Span(" (\(demo.demoID))", Theme.dim)], width: width)
        lines.append([])
        lines.append([Span(UIText.demoRunning.format(language, "\(tenths / 10).\(tenths % 10)"), Theme.warning)])
        lines.append([])
        lines += TextWrap.wrap([Span(UIText.demoRunningHint.text(language), Theme.dim)], width: width)
        return lines
    }
}
