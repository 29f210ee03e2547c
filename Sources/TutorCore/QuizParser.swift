import Yams

/// Reads the questions of a `quiz.yaml`, every type checked, every problem a
/// diagnostic at its line.
///
/// ```yaml
/// questions:
///   - {id, type: single|multiple, prompt, choices: [{ko, en}…], answer: 1 | [0, 2], explain}
///   - {id, type: truefalse, prompt, answer: true, explain}
///   - {id, type: short, prompt, accept: {ko: […], en: […]}, explain}
///   - {id, type: order, prompt, items: [{ko, en}…] (in the right order), explain}
///   - {id, type: match, prompt, pairs: [{left: {ko, en}, right: {ko, en}}…], explain}
///   - {id, type: live, probe: kernel-release, prompt, explain}   # {placeholders} from the probe
/// ```
struct QuizParser {
    private var reader: YAMLReader
    var diagnostics: [Diagnostic] { reader.diagnostics }

    static let types = ["single", "multiple", "truefalse", "short", "order", "match", "live"]
    private static let common: Set<String> = ["id", "type", "prompt", "explain"]
    private static let fields: [String: Set<String>] = [
        "single": ["choices", "answer"], "multiple": ["choices", "answer"], "truefalse": ["answer"], "short": ["accept"],
        "order": ["items"], "match": ["pairs"], "live": ["probe"],
    ]

    init(file: String) {
        reader = YAMLReader(file: file)
    }

    mutating func parse(_ text: String) -> [Question]? {
        guard let root = reader.compose(text) else { return nil }
        guard let list = root["questions"], case .sequence(let items) = list, !items.isEmpty else {
            reader.report(root, "expected a non-empty 'questions:' list")
            return nil
        }
        var questions: [Question] = []
        var seen: Set<String> = []
        for item in items {
            guard case .mapping = item else {
                reader.report(item, "each question must be a mapping with id, type, prompt and explain")
                continue
            }
            let before = reader.diagnostics.count
            let id = reader.string(item, "id")
            if let id {
                if seen.contains(id) { reader.report(item["id"], "duplicate question id '\(id)'") }
                seen.insert(id)
            }
            let type = reader.string(item, "type")
            let prompt = reader.localized(item, "prompt")
            let explanation = reader.localized(item, "explain")
            var parsed: (choices: [Localized], answer: Question.Answer)?
            if let type {
                if let fields = Self.fields[type] {
                    checkFields(item, type: type, allowed: Self.common.union(fields))
                    parsed = answer(item, type: type)
                } else {
                    reader.report(item["type"], "unknown question type '\(type)'; use one of: \(Self.types.joined(separator: ", "))")
                }
            }
            if case .live(let probe)? = parsed?.answer {
                checkPlaceholders(item, "prompt", prompt, probe)
                checkPlaceholders(item, "explain", explanation, probe)
            }
            if reader.diagnostics.count == before, let id, let prompt, let explanation, let parsed {
                questions.append(Question(id: id, prompt: prompt, choices: parsed.choices, answer: parsed.answer, explanation: explanation))
            }
        }
        return questions
    }

    /// A field of another question type is a mistake the author wants to hear about.
    private mutating func checkFields(_ item: Node, type: String, allowed: Set<String>) {
        guard case .mapping(let mapping) = item else { return }
        for (key, _) in mapping {
            guard let name = key.string, !allowed.contains(name) else { continue }
            let expected = Self.fields[type]!.sorted().map { "'\($0)'" }.joined(separator: " and ")
            reader.report(key, "\(type == "order" ? "an" : "a") \(type) question has no '\(name)'; it takes \(expected)")
        }
    }

    private mutating func answer(_ item: Node, type: String) -> (choices: [Localized], answer: Question.Answer)? {
        switch type {
        case "single", "multiple":
            let choices = localizedList(item, "choices", minimum: 2, what: "a \(type) question needs at least 2 choices")
            guard let choices else { return nil }
            let index = type == "single" ? singleIndex(item["answer"], item, choices.count) : nil
            let indices = type == "multiple" ? indexList(item["answer"], item, choices.count) : nil
            if let index { return (choices, .single(index)) }
            if let indices { return (choices, .multiple(indices)) }
            return nil
        case "truefalse":
            guard let value = reader.bool(item["answer"]) else {
                reader.report(item["answer"] ?? item, "'answer' must be true or false")
                return nil
            }
            return ([], .trueFalse(value))
        case "short":
            return accepted(item).map { ([], .short($0)) }
        case "order":
            let items = localizedList(item, "items", minimum: 2, what: "an order question needs at least 2 items, in the right order")
            guard let items, distinct(items, item["items"], "items") else { return nil }
            return (items, .order)
        case "match":
            return pairs(item)
        default:
            return probe(item).map { ([], .live($0)) }
        }
    }

    private mutating func singleIndex(_ node: Node?, _ item: Node, _ count: Int) -> Int? {
        guard let index = node?.int else {
            reader.report(node ?? item, "'answer' must be the 0-based index of the right choice")
            return nil
        }
        guard (0..<count).contains(index) else {
            reader.report(node, "answer \(index) is out of range: choices are numbered 0 to \(count - 1)")
            return nil
        }
        return index
    }

    private mutating func indexList(_ node: Node?, _ item: Node, _ count: Int) -> Set<Int>? {
        let indices = node?.array().compactMap(\.int) ?? []
        guard !indices.isEmpty, indices.count == node?.array().count else {
            reader.report(node ?? item, "'answer' must be a list of 0-based choice indices, like [0, 2]")
            return nil
        }
        if let bad = indices.first(where: { !(0..<count).contains($0) }) {
            reader.report(node, "answer \(bad) is out of range: choices are numbered 0 to \(count - 1)")
            return nil
        }
        return Set(indices)
    }

    /// A list of `{ko, en}` entries under `key`.
    private mutating func localizedList(_ item: Node, _ key: String, minimum: Int, what: String) -> [Localized]? {
        guard let node = item[key] else {
            reader.report(item, "missing '\(key)' list")
            return nil
        }
        guard case .sequence(let nodes) = node else {
            reader.report(node, "'\(key)' must be a list of entries with ko: and en:")
            return nil
        }
        let before = reader.diagnostics.count
        var list: [Localized] = []
        for entry in nodes {
            guard case .mapping = entry else {
                reader.report(entry, "each entry of '\(key)' needs ko: and en:")
                continue
            }
            if let ko = reader.string(entry, "ko"), let en = reader.string(entry, "en") { list.append(Localized(ko: ko, en: en)) }
        }
        if nodes.count < minimum { reader.report(node, what) }
        return reader.diagnostics.count == before ? list : nil
    }

    /// Two items that read the same could be put in either place: no single right order or pairing.
    /// The second of two is reported, at its own line.
    private mutating func distinct(_ items: [Localized], _ node: Node?, _ key: String) -> Bool {
        let entries = node?.array() ?? []
        for language in Language.allCases {
            var seen: Set<String> = []
            for (index, text) in items.map({ $0[language] }).enumerated() where !seen.insert(AnswerNormalizer.normalize(text)).inserted {
                let at = entries.indices.contains(index) ? entries[index] : node
                reader.report(at, "'\(key)' has '\(text)' twice (\(language.rawValue)); each must read differently")
                return false
            }
        }
        return true
    }

    private mutating func accepted(_ item: Node) -> AcceptedAnswers? {
        guard let node = item["accept"] else {
            reader.report(item, "missing 'accept' with ko: and en: lists of accepted answers")
            return nil
        }
        guard case .mapping = node else {
            reader.report(node, "'accept' must have ko: and en: lists of accepted answers")
            return nil
        }
        let ko = reader.strings(node, "ko", required: true)
        let en = reader.strings(node, "en", required: true)
        guard let ko, let en else { return nil }
        for (language, list) in [("ko", ko), ("en", en)] where list.allSatisfy({ AnswerNormalizer.normalize($0).isEmpty }) {
            reader.report(node[language], "'accept' needs at least one \(language) answer")
            return nil
        }
        return AcceptedAnswers(ko: ko, en: en)
    }

    private mutating func pairs(_ item: Node) -> (choices: [Localized], answer: Question.Answer)? {
        guard let node = item["pairs"], case .sequence(let nodes) = node else {
            reader.report(item["pairs"] ?? item, "'pairs' must be a list of entries with left: and right:")
            return nil
        }
        let before = reader.diagnostics.count
        var left: [Localized] = []
        var right: [Localized] = []
        for entry in nodes {
            guard case .mapping = entry else {
                reader.report(entry, "each pair needs left: and right:, each with ko: and en:")
                continue
            }
            let sides = (reader.localized(entry, "left"), reader.localized(entry, "right"))
            if let leftSide = sides.0, let rightSide = sides.1 {
                left.append(leftSide)
                right.append(rightSide)
            }
        }
        if nodes.count < 2 { reader.report(node, "a match question needs at least 2 pairs") }
        guard reader.diagnostics.count == before, distinct(left, node, "left"), distinct(right, node, "right") else { return nil }
        return (left, .match(right: right))
    }

    private mutating func probe(_ item: Node) -> LiveProbe? {
        guard let name = reader.string(item, "probe") else { return nil }
        guard let probe = LiveProbe(rawValue: name) else {
            let known = LiveProbe.allCases.map(\.rawValue).joined(separator: ", ")
            reader.report(item["probe"], "unknown probe '\(name)'; known probes: \(known)")
            return nil
        }
        return probe
    }

    /// `{name}` in a live question's text must be something its probe tells.
    private mutating func checkPlaceholders(_ item: Node, _ key: String, _ text: Localized?, _ probe: LiveProbe) {
        guard let text else { return }
        let known = Set(probe.values + ["answer"])
        for language in Language.allCases {
            for name in Self.placeholders(text[language]) where !known.contains(name) {
                let list = known.sorted().map { "{\($0)}" }.joined(separator: ", ")
                reader.report(
                    item[key]?[language.rawValue] ?? item, "unknown placeholder {\(name)} for probe \(probe.rawValue); it gives \(list)")
            }
        }
    }

    /// Names written as `{name}` (lower case, digits and dashes).
    static func placeholders(_ text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            let name = after[..<close]
            if !name.isEmpty, name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) { names.append(String(name)) }
            rest = after[after.index(after: close)...]
        }
        return names
    }
}
