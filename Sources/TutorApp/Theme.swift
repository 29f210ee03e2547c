import TutorUI

/// The styles every view uses, in one place. Colors are dropped by the terminal
/// backend under `NO_COLOR` or on a mono terminal; bold and reverse remain.
public enum Theme {
    public static let bar = Style(foreground: .black, background: .cyan)
    public static let body = Style.plain
    public static let heading1 = Style(foreground: .cyan, bold: true)
    public static let heading2 = Style(foreground: .yellow, bold: true)
    public static let heading3 = Style(bold: true)
    public static let bold = Style(bold: true)
    public static let code = Style(foreground: .green)
    public static let inlineCode = Style(foreground: .yellow)
    public static let link = Style(underline: true)
    public static let dim = Style(dim: true)
    public static let rule = Style(foreground: .blue)
    public static let selected = Style(reverse: true)
    public static let ok = Style(foreground: .green, bold: true)
    public static let bad = Style(foreground: .red, bold: true)
    public static let warning = Style(foreground: .yellow, bold: true)
    public static let notice = Style(foreground: .black, background: .yellow)
    public static let demoBox = Style(foreground: .magenta, bold: true)

    public static func callout(_ kind: String) -> Style {
        switch kind {
        case "TIP": return Style(foreground: .green, bold: true)
        case "WARNING": return Style(foreground: .red, bold: true)
        default: return Style(foreground: .blue, bold: true)
        }
    }
}
