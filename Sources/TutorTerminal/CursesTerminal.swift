import CNcursesW
import CShim
import Foundation
import TutorUI

/// Why the full-screen interface could not start.
public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case badTerm(String)
    case setupFailed(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return
                "standard input and output must be a terminal for the full-screen tutor; try `ctutor --help`, `ctutor lessons` or `ctutor read LESSON --plain`"
        case .badTerm(let term) where term.isEmpty || term == "dumb":
            // A dumb terminal is known; it just cannot place text on the screen.
            return
                "this terminal (TERM=\(term.isEmpty ? "unset" : term)) cannot draw a full screen: read a lesson with `ctutor read LESSON --plain`, list them with `ctutor lessons`, or set TERM to your terminal's type (e.g. `export TERM=xterm-256color`)"
        case .badTerm(let term):
            return
                "the terminal type TERM=\(term) is not known to ncurses; try `export TERM=xterm-256color` (or install ncurses-term)"
        case .setupFailed(let why):
            return "could not start the terminal interface: \(why)"
        }
    }
}

/// The ncursesw backend, the only code that talks to curses. It puts the terminal
/// in raw mode, decodes keys, and flushes a `ScreenBuffer` by redrawing only the
/// rows that changed. `close()` restores the terminal and is safe to call twice.
///
/// It waits in `poll` on the terminal and on a self-pipe at once, so a worker
/// thread (``waker``) and the quit signals' handler can wake it at any time.
public final class CursesTerminal: Terminal {
    private let wakePipe: WakePipe
    private var screen: OpaquePointer?
    private var previous: ScreenBuffer?
    private var colorPairs: [Int: Int16] = [:]
    private let useColor: Bool
    private var closed = false

    /// Starts curses on the controlling terminal.
    public init(environment: [String: String]) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        Self.setUTF8Locale()
        let term = environment["TERM"] ?? ""
        guard !term.isEmpty, term != "dumb" else { throw TerminalError.badTerm(term) }

        guard let wakePipe = WakePipe() else { throw TerminalError.setupFailed("pipe: \(String(cString: strerror(errno)))") }
        self.wakePipe = wakePipe
        let installed = ctutor_signals_install(STDIN_FILENO, wakePipe.writeEnd)
        guard installed == 0 else { throw TerminalError.setupFailed(String(cString: strerror(-installed))) }
        guard let screen = ct_newterm(term) else {
            ctutor_signals_uninstall()
            throw TerminalError.badTerm(term)
        }
        self.screen = screen
        set_term(screen)
        raw()
        noecho()
        nonl()
        keypad(ct_stdscr(), true)
        curs_set(0)
        set_escdelay(25)

        let mono = term.hasSuffix("-m") || term.hasSuffix("-mono") || term == "vt100"
        useColor = has_colors() && environment["NO_COLOR"].map(\.isEmpty) != false && !mono
        if useColor {
            start_color()
            use_default_colors()
        }
    }

    deinit { close() }

    public var size: Size { Size(columns: Int(ct_cols()), rows: Int(ct_lines())) }

    public var waker: any TerminalWaker { wakePipe }

    /// Waits up to `timeoutMilliseconds` (-1: no limit) for a key, a resize, a
    /// signal or a wake-up.
    public func nextEvent(timeoutMilliseconds: Int32) -> TerminalEvent {
        if let signal = pendingSignal() { return signal }
        // Keys curses has already read (the rest of an escape sequence, typeahead)
        // and a resize it noticed do not show in poll: take them first.
        if let event = readKey() { return event }
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: wakePipe.readEnd, events: Int16(POLLIN), revents: 0),
        ]
        // EINTR is an answer too: SIGWINCH (curses then reports the resize) or a quit signal.
        let ready = poll(&fds, 2, timeoutMilliseconds)
        if let signal = pendingSignal() { return signal }
        if ready > 0, fds[1].revents != 0 {
            wakePipe.drain()
            return .wake
        }
        return readKey() ?? .timeout
    }

    private func pendingSignal() -> TerminalEvent? {
        let pending = ctutor_signals_pending()
        return pending == 0 ? nil : .signal(pending)
    }

    /// A key or resize curses can give without waiting, or nil.
    private func readKey() -> TerminalEvent? {
        wtimeout(ct_stdscr(), 0)
        var character: wint_t = 0
        let result = ct_get_wch(&character)
        if result == ct_err() { return nil }
        if result == ct_key_code_yes() {
            switch Int32(character) {
            case KEY_RESIZE:
                previous = nil
                return .resize(size)
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_ENTER: return .key(.enter)
            case KEY_BACKSPACE: return .key(.backspace)
            default: return .timeout
            }
        }
        switch character {
        case 3: return .key(.interrupt)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 9: return .key(.tab)
        case 8, 127: return .key(.backspace)
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)), character >= 32 else { return .timeout }
            return .key(.character(Character(scalar)))
        }
    }

    /// Flushes a frame: rows equal to the previous frame are skipped.
    public func draw(_ buffer: ScreenBuffer) {
        let fresh = previous == nil || previous?.size != buffer.size
        if fresh { werase(ct_stdscr()) }
        for y in 0..<buffer.size.rows {
            if !fresh, let previous, previous.row(y) == buffer.row(y) { continue }
            drawRow(buffer, y)
        }
        previous = buffer
        wrefresh(ct_stdscr())
    }

    private func drawRow(_ buffer: ScreenBuffer, _ y: Int) {
        var x = 0
        while x < buffer.size.columns {
            let style = buffer[x, y].style
            let start = x
            var text = ""
            while x < buffer.size.columns, buffer[x, y].style == style {
                if !buffer[x, y].isContinuation { text += buffer[x, y].terminalText }
                x += 1
            }
            _ = ct_mvaddstr_attr(Int32(y), Int32(start), text, attributes(for: style))
        }
    }

    private func attributes(for style: Style) -> attr_t {
        var attributes = ct_a_normal()
        if style.bold { attributes |= ct_a_bold() }
        if style.dim { attributes |= ct_a_dim() }
        if style.underline { attributes |= ct_a_underline() }
        if style.reverse { attributes |= ct_a_reverse() }
        guard style.foreground != nil || style.background != nil else { return attributes }
        guard useColor else {
            // Without colors a colored bar would vanish; keep it visible.
            if style.background != nil { attributes |= ct_a_reverse() }
            return attributes
        }
        let key = (style.foreground.map { $0.rawValue + 1 } ?? 0) * 16 + (style.background.map { $0.rawValue + 1 } ?? 0)
        if let pair = colorPairs[key] { return attributes | ct_color_pair(Int32(pair)) }
        let number = Int16(colorPairs.count + 1)
        guard Int32(number) < ct_color_pairs() else { return attributes }
        init_pair(number, Int16(style.foreground?.rawValue ?? -1), Int16(style.background?.rawValue ?? -1))
        colorPairs[key] = number
        return attributes | ct_color_pair(Int32(number))
    }

    /// Leaves curses for a while, the terminal as it was before and its signals
    /// default again, for a program that uses the terminal itself (a lab's shell).
    public func suspend() {
        guard !closed else { return }
        def_prog_mode()
        endwin()
        ctutor_signals_uninstall()
    }

    /// Takes the terminal back after ``suspend()``; the next frame is drawn whole.
    public func resume() {
        guard !closed else { return }
        _ = ctutor_signals_install(STDIN_FILENO, wakePipe.writeEnd)
        reset_prog_mode()
        previous = nil
        clearok(ct_stdscr(), true)
        wrefresh(ct_stdscr())
    }

    /// Leaves curses and gives the terminal back as it was.
    public func close() {
        guard !closed else { return }
        closed = true
        endwin()
        ct_clear_if_no_alternate_screen()
        if let screen { delscreen(screen) }
        screen = nil
        ctutor_signals_uninstall()
    }

    /// Hangul prints blank without a UTF-8 locale; fall back to C.UTF-8.
    private static func setUTF8Locale() {
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        if codeset.uppercased().filter({ $0 != "-" }) != "UTF8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }
}
