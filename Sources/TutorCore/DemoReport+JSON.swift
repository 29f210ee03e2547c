import Foundation

/// The `--json` shape of a report, in one language. Encoded by `JSONEncoder`, so the
/// keys are exactly these properties.
public struct DemoReportJSON: Codable, Equatable, Sendable {
    public struct Side: Codable, Equatable, Sendable {
        public var role: String
        public var label: String
        public var value: String
    }

    public struct Item: Codable, Equatable, Sendable {
        public var id: String
        public var label: String
        /// `differ`, `match` or `show`.
        public var expect: String
        public var sides: [Side]
        /// The `host` and `inside` sides, when the observation has them.
        public var host: String?
        public var inside: String?
        public var differs: Bool
        /// Whether the observation shows what `expect` says it should.
        public var holds: Bool
    }

    public struct Released: Codable, Equatable, Sendable {
        public var resource: String
        public var released: Bool
    }

    public var demo: String
    public var title: String
    public var language: String
    public var mode: String
    public var succeeded: Bool
    public var steps: [String]
    public var observations: [Item]
    /// `ok`, or `incomplete` when something in `released` is still there.
    public var cleanup: String
    public var released: [Released]
    public var reason: String?
    public var remedy: String?

    public init(_ report: DemoReport, language: Language) {
        demo = report.demo
        title = report.title[language]
        self.language = language.rawValue
        mode = report.mode.rawValue
        succeeded = report.succeeded
        steps = report.steps.map { $0[language] }
        observations = report.observations.map { item in
            Item(
                id: item.id, label: item.label[language], expect: item.expect.rawValue,
                sides: item.sides.map { Side(role: $0.role, label: $0.label[language], value: $0.value) },
                host: item.host, inside: item.inside, differs: item.differs, holds: item.holds)
        }
        cleanup = report.cleanupStatus
        released = report.cleanup.map { Released(resource: $0.resource[language], released: $0.released) }
        reason = report.reason?[language]
        remedy = report.remedy?[language]
    }
}

extension DemoReport {
    /// Pretty, key-sorted JSON text of the report in `language`.
    public func jsonText(_ language: Language) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and booleans cannot fail.
        let data = try! encoder.encode(DemoReportJSON(self, language: language))
        return String(decoding: data, as: UTF8.self)
    }
}
