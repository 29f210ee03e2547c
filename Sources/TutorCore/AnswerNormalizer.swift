/// Makes typed answers comparable: case, spaces and full-width forms do not matter,
/// so `Ｕｎｓｈａｒｅ`, ` unshare ` and `UNSHARE` are the same answer.
public enum AnswerNormalizer {
    /// Full-width ASCII forms (U+FF01…U+FF5E) become ASCII, the ideographic space
    /// (U+3000) a space, letters lower case; runs of white space become one space
    /// and the ends are trimmed.
    public static func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E: scalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000: scalars.append(" ")
            default: scalars.append(scalar)
            }
        }
        let lowered = String(scalars).lowercased()
        return lowered.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether `typed` is one of `accepted`, after normalising both.
    public static func matches(_ typed: String, anyOf accepted: [String]) -> Bool {
        let answer = normalize(typed)
        return !answer.isEmpty && accepted.contains { normalize($0) == answer }
    }
}
