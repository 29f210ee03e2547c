/// Splits one line of lesson text into plain, **bold**, `code` and [link](url) runs.
enum InlineParser {
    /// Returns the runs, and a description of unbalanced markup if any (the text is
    /// then kept literally so nothing is lost).
    static func parse(_ text: String) -> (Inlines, String?) {
        var runs: Inlines = []
        var plain = ""
        var problem: String?
        let characters = Array(text)
        var i = 0

        func flush() {
            if !plain.isEmpty { runs.append(InlineRun(plain)) }
            plain = ""
        }
        func find(_ pattern: [Character], from start: Int) -> Int? {
            guard start + pattern.count <= characters.count else { return nil }
            var j = start
            while j + pattern.count <= characters.count {
                if Array(characters[j..<(j + pattern.count)]) == pattern { return j }
                j += 1
            }
            return nil
        }

        while i < characters.count {
            let c = characters[i]
            if c == "`" {
                if let end = find(["`"], from: i + 1) {
                    flush()
                    runs.append(InlineRun(String(characters[(i + 1)..<end]), .code))
                    i = end + 1
                    continue
                }
                problem = problem ?? "unclosed ` (inline code)"
            } else if c == "*", i + 1 < characters.count, characters[i + 1] == "*" {
                if let end = find(["*", "*"], from: i + 2) {
                    flush()
                    runs.append(InlineRun(String(characters[(i + 2)..<end]), .bold))
                    i = end + 2
                    continue
                }
                problem = problem ?? "unclosed ** (bold)"
            } else if c == "[", let close = find(["]", "("], from: i + 1), let end = find([")"], from: close + 2) {
                flush()
                let label = String(characters[(i + 1)..<close])
                let url = String(characters[(close + 2)..<end])
                runs.append(InlineRun(label, .link(url: url)))
                i = end + 1
                continue
            }
            plain.append(c)
            i += 1
        }
        flush()
        return (runs, problem)
    }
}
