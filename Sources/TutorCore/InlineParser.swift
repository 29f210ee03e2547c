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
        // The last search for each pattern: where it started and what it found. A
        // later search from further on has the same answer when nothing was found,
        // or when what was found lies ahead; so a line of a thousand unclosed `[`
        // is read once, not a thousand times.
        var searches: [[Character]: (from: Int, found: Int?)] = [:]
        func find(_ pattern: [Character], from start: Int) -> Int? {
            if let last = searches[pattern], last.from <= start, (last.found ?? start) >= start { return last.found }
            var found: Int?
            var j = start
            while j + pattern.count <= characters.count {
                if pattern.indices.allSatisfy({ characters[j + $0] == pattern[$0] }) {
                    found = j
                    break
                }
                j += 1
            }
            searches[pattern] = (start, found)
            return found
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
