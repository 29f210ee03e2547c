/// What a terminal reports to the run loop.
public enum TerminalEvent: Equatable, Sendable {
    case key(Key)
    case resize(Size)
    /// A SIGINT, SIGTERM, SIGHUP or SIGQUIT arrived; the loop must restore and exit.
    case signal(Int32)
    /// Another thread called ``TerminalWaker/wake()``: it has results to hand over.
    case wake
    case timeout
}

/// Wakes a terminal's ``Terminal/nextEvent(timeoutMilliseconds:)`` from any thread.
public protocol TerminalWaker: Sendable {
    func wake()
}

/// A screen the run loop draws frames on and reads events from: the ncurses
/// backend, or a fake in tests.
public protocol Terminal: AnyObject {
    var size: Size { get }
    /// Shows a frame.
    func draw(_ buffer: ScreenBuffer)
    /// Waits up to `timeoutMilliseconds` (-1: no limit) for a key, a resize, a
    /// signal or a wake-up.
    func nextEvent(timeoutMilliseconds: Int32) -> TerminalEvent
    /// How other threads wake ``nextEvent(timeoutMilliseconds:)``.
    var waker: any TerminalWaker { get }
    /// Gives the terminal back as it was for a while (a lab's shell runs on it);
    /// ``resume()`` takes it again and redraws everything.
    func suspend()
    func resume()
    /// Gives the terminal back as it was; safe to call twice.
    func close()
}

extension Terminal {
    /// A terminal that is no real screen (a test's) has nothing to give back.
    public func suspend() {}
    public func resume() {}
}
