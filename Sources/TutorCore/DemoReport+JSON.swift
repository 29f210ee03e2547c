import Foundation

extension DemoReport {
    /// The `--json` rendering: `demo`, `mode`, `observations: [{id, label, host,
    /// inside, differs}]`, `cleanup`, and `reason`/`remedy` when it could not run.
    public func jsonObject(_ language: Language) -> [String: Any] {
        var object: [String: Any] = [
            "demo": demo,
            "title": title[language],
            "mode": mode.rawValue,
            "language": language.rawValue,
            "steps": steps.map { $0[language] },
            "observations": observations.map { item -> [String: Any] in
                ["id": item.id, "label": item.label[language], "host": item.host, "inside": item.inside, "differs": item.differs]
            },
            "cleanup": cleanup,
        ]
        if let reason { object["reason"] = reason[language] }
        if let remedy { object["remedy"] = remedy[language] }
        return object
    }

    /// Pretty, key-sorted JSON text of `jsonObject`.
    public func jsonText(_ language: Language) -> String {
        let data =
            (try? JSONSerialization.data(
                withJSONObject: jsonObject(language), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
