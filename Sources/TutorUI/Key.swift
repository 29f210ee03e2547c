/// A key press, decoded by the terminal backend and handled by the app.
public enum Key: Equatable, Sendable {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, tab
    /// Ctrl-C, read as a key because the terminal is in raw mode.
    case interrupt
}
