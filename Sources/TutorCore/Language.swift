import Foundation

/// The two languages every lesson, screen and message exists in.
public enum Language: String, CaseIterable, Codable, Sendable {
    case ko
    case en

    /// The other language, for the `l` toggle.
    public var other: Language { self == .ko ? .en : .ko }

    /// Picks the language: an explicit choice, then `CTUTOR_LANG`, then the one the
    /// learner chose last with `l` (`remembered`), then the locale variables.
    public static func resolve(explicit: String?, environment: [String: String], remembered: Language? = nil) -> Language {
        if let explicit, let lang = Language(code: explicit) { return lang }
        if let env = environment["CTUTOR_LANG"], let lang = Language(code: env) { return lang }
        if let remembered { return remembered }
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[key], !value.isEmpty {
                return value.lowercased().hasPrefix("ko") ? .ko : .en
            }
        }
        return .en
    }

    /// Accepts `ko`, `en`, and locale-like spellings such as `ko_KR.UTF-8`.
    public init?(code: String) {
        let lower = code.lowercased()
        if lower.hasPrefix("ko") { self = .ko } else if lower.hasPrefix("en") { self = .en } else { return nil }
    }
}

/// A piece of text in both languages. Engine and core values carry these so every
/// rendering (TUI, plain text, JSON) can pick the learner's language.
public struct Localized: Equatable, Sendable, Codable {
    public var ko: String
    public var en: String

    public init(ko: String, en: String) {
        self.ko = ko
        self.en = en
    }

    /// The same text in both languages (command names, numbers, paths).
    public init(_ both: String) {
        self.ko = both
        self.en = both
    }

    public subscript(_ lang: Language) -> String { lang == .ko ? ko : en }
}
