/// The eight colors every color terminal has.
public enum Color: Int, Sendable, CaseIterable {
    case black, red, green, yellow, blue, magenta, cyan, white
}

/// How a cell looks. The terminal backend maps it to curses attributes and drops
/// colors when the terminal has none or `NO_COLOR` is set.
public struct Style: Hashable, Sendable {
    public var foreground: Color?
    public var background: Color?
    public var bold: Bool
    public var dim: Bool
    public var underline: Bool
    public var reverse: Bool

    public init(
        foreground: Color? = nil, background: Color? = nil, bold: Bool = false,
        dim: Bool = false, underline: Bool = false, reverse: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.underline = underline
        self.reverse = reverse
    }

    public static let plain = Style()
}

/// A run of text in one style, the unit that wrapping and drawing work on.
public struct Span: Equatable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public var width: Int { DisplayWidth.of(text) }
}

/// A line of styled spans.
public typealias StyledLine = [Span]

extension Array where Element == Span {
    /// The text of a styled line without its styles.
    public var plainText: String { map(\.text).joined() }
    /// Display width of a styled line.
    public var displayWidth: Int { reduce(0) { $0 + $1.width } }
}

/// A rectangle of cells.
public struct Rect: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxY: Int { y + height }
    public var maxX: Int { x + width }
}

/// Terminal size in columns and rows.
public struct Size: Equatable, Sendable {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }
}
