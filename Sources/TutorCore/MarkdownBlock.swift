/// A run of inline text in a lesson paragraph.
public struct InlineRun: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case plain
        case bold
        case code
        case link(url: String)
    }

    public var text: String
    public var kind: Kind

    public init(_ text: String, _ kind: Kind = .plain) {
        self.text = text
        self.kind = kind
    }
}

/// Inline content of one paragraph, list item or table cell.
public typealias Inlines = [InlineRun]

/// The block model a lesson is parsed into; views wrap it by display width.
public enum Block: Equatable, Sendable {
    public enum CalloutKind: String, Equatable, Sendable, CaseIterable {
        case note = "NOTE"
        case tip = "TIP"
        case warning = "WARNING"
        /// A plain `>` quote without a `[!KIND]` marker.
        case quote = ""
    }

    case heading(level: Int, Inlines)
    case paragraph(Inlines)
    case bulletList([Inlines])
    case orderedList(start: Int, [Inlines])
    case code(language: String, lines: [String])
    case table(header: [Inlines], rows: [[Inlines]])
    case callout(CalloutKind, [Inlines])
    /// `:::demo ID` — where the lesson offers its real demo.
    case demo(id: String)
}

extension Array where Element == InlineRun {
    /// Parses one line of inline markup (`**bold**`, `` `code` ``, links), as in
    /// quiz prompts and explanations.
    public init(markdown: String) {
        self = InlineParser.parse(markdown).0
    }

    /// The text without markup, for plain output and tests.
    public var plainText: String {
        map { run in
            if case .link(let url) = run.kind { return "\(run.text) (\(url))" }
            return run.text
        }.joined()
    }
}
