import TutorCore
import TutorUI

/// Renders the whole state into a screen buffer: title bar, the screen in front,
/// an optional notice, the status bar with its keys, and the help overlay.
public enum AppView {
    public static func render(_ state: AppState) -> ScreenBuffer {
        var buffer = ScreenBuffer(size: state.size)
        guard !state.isTooSmall else {
            drawTooSmall(state, &buffer)
            return buffer
        }
        let content = Rect(x: 0, y: 1, width: state.size.columns, height: state.contentHeight)
        var keys: UIText = .keysMenu
        var location = ""
        switch state.screen {
        case .menu:
            MenuView.draw(state, content, &buffer)
        case .reader:
            let lines = state.readerLines()
            ScrollView.draw(lines, scroll: state.reader?.scroll ?? 0, content, &buffer)
            keys = .keysReader
            location = percent(state.reader?.scroll ?? 0, total: lines.count, page: content.height)
        case .demo:
            DemoView.draw(state, content, &buffer)
            if let demo = state.demo, !demo.isRunning {
                keys = .keysDemo
                location = percent(demo.scroll, total: state.demoLines().count, page: content.height)
            } else {
                keys = .keysDemoRunning
            }
        case .quiz:
            QuizView.draw(state, content, &buffer)
        }
        drawTitleBar(state, location: location, &buffer)
        let notice = state.noticeLines
        for (offset, line) in notice.enumerated() {
            let y = state.size.rows - 1 - notice.count + offset
            buffer.fill(Rect(x: 0, y: y, width: state.size.columns, height: 1), style: Theme.notice)
            buffer.put(" " + line.plainText, x: 0, y: y, style: Theme.notice)
        }
        let statusY = state.size.rows - 1
        buffer.fill(Rect(x: 0, y: statusY, width: state.size.columns, height: 1), style: Theme.bar)
        var keyText = (state.showHelp ? UIText.keysHelp : keys).text(state.language)
        if state.screen == .quiz && !state.showHelp { keyText = QuizView.keys(state) }
        buffer.put(" " + TextWrap.truncate(keyText, width: state.size.columns - 2), x: 0, y: statusY, style: Theme.bar)
        if state.showHelp { HelpOverlay.draw(state, &buffer) }
        return buffer
    }

    private static func drawTitleBar(_ state: AppState, location: String, _ buffer: inout ScreenBuffer) {
        let width = state.size.columns
        buffer.fill(Rect(x: 0, y: 0, width: width, height: 1), style: Theme.bar)
        let right = [location, UIText.languageName.text(state.language)].filter { !$0.isEmpty }.joined(separator: "  ") + " "
        var title = UIText.appTitle.text(state.language)
        if state.screen != .menu, let index = state.reader?.entryIndex, state.entries.indices.contains(index) {
            title = "ctutor › " + state.entries[index].title(state.language)
        }
        let available = width - DisplayWidth.of(right) - 2
        buffer.put(" " + TextWrap.truncate(title, width: available), x: 0, y: 0, style: Theme.bar)
        buffer.put(right, x: width - DisplayWidth.of(right), y: 0, style: Theme.bar)
    }

    private static func percent(_ scroll: Int, total: Int, page: Int) -> String {
        guard total > page else { return "100%" }
        return "\(min(100, (scroll + page) * 100 / total))%"
    }

    private static func drawTooSmall(_ state: AppState, _ buffer: inout ScreenBuffer) {
        let minimum = AppState.minimumSize
        let message = UIText.tooSmall.format(state.language, minimum.columns, minimum.rows, state.size.columns, state.size.rows)
        let lines = TextWrap.wrap(message, width: max(1, state.size.columns - 2))
        let top = max(0, (state.size.rows - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            buffer.put(line, x: max(0, (state.size.columns - line.displayWidth) / 2), y: top + offset)
        }
    }
}

/// Draws a window onto a list of laid-out lines.
enum ScrollView {
    static func draw(_ lines: [StyledLine], scroll: Int, _ area: Rect, _ buffer: inout ScreenBuffer) {
        for row in 0..<area.height {
            let index = scroll + row
            guard index < lines.count else { break }
            buffer.put(lines[index], x: area.x + 2, y: area.y + row, maxX: area.maxX - 1)
        }
        if scroll > 0 { buffer.put("▲", x: area.maxX - 1, y: area.y, style: Theme.dim) }
        if scroll + area.height < lines.count { buffer.put("▼", x: area.maxX - 1, y: area.maxY - 1, style: Theme.dim) }
    }
}

/// The `?` overlay.
enum HelpOverlay {
    static func draw(_ state: AppState, _ buffer: inout ScreenBuffer) {
        let body = UIText.helpBody.text(state.language).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let inner = min(
            state.size.columns - 8, max(DisplayWidth.of(UIText.helpTitle.text(state.language)), body.map { DisplayWidth.of($0) }.max() ?? 0)
        )
        let width = inner + 4
        let height = body.count + 4
        let x = (state.size.columns - width) / 2
        let y = max(1, (state.size.rows - height) / 2)
        buffer.fill(Rect(x: x, y: y, width: width, height: height))
        let title = " " + UIText.helpTitle.text(state.language) + " "
        buffer.put("┌" + String(repeating: "─", count: width - 2) + "┐", x: x, y: y, style: Theme.rule)
        buffer.put(title, x: x + 2, y: y, style: Theme.heading3)
        for row in 1..<(height - 1) {
            buffer.put("│", x: x, y: y + row, style: Theme.rule)
            buffer.put("│", x: x + width - 1, y: y + row, style: Theme.rule)
        }
        buffer.put("└" + String(repeating: "─", count: width - 2) + "┘", x: x, y: y + height - 1, style: Theme.rule)
        for (offset, line) in body.enumerated() {
            buffer.put(TextWrap.truncate(line, width: inner), x: x + 2, y: y + 2 + offset)
        }
    }
}
