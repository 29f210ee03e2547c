import Foundation
import Testing
import Yams

@testable import TutorCore

/// The quick front matter reader must read exactly what Yams reads, or step aside.
@Suite struct SimpleFrontMatterTests {
    private func yams(_ yaml: String) -> FrontMatterFields? {
        var reader = YAMLReader(file: "f", lineOffset: 1)
        return reader.compose(yaml).flatMap { FrontMatterFields($0, &reader) }
    }

    private func quick(_ yaml: String) -> FrontMatterFields? {
        SimpleFrontMatter.read(Substring(yaml))
    }

    static let accepted = [
        "id: uts\ntitle: UTS namespaces - a hostname of its own\nsummary: It's a view, not a machine.\nobjectives:\n  - One\n  - Two, still text\ndemos: [uts]\nminutes: 10\n",
        "id: x\ntitle: 제목 (한국어)\nobjectives:\n- at column zero\n- too\ndemos: [ uts , pid ]\n",
        "# a comment\nid: x\n\ntitle: \"quoted: with a colon # and a hash\"\nsummary: 'single'\ndemos: []\nminutes: 0x10\n",
        "id: x\ntitle: yes\nsummary: ~\nminutes: \"10\"\nextra: thing\nobjectives:\n\n  # between items\n  - a\n\n  - b\n",
    ]

    @Test(arguments: accepted)
    func readsWhatYamsReads(yaml: String) throws {
        let fields = try #require(quick(yaml), "refused:\n\(yaml)")
        #expect(fields == yams(yaml))
    }

    static let refused = [
        "title: a text\n  that goes on\n",  // continued on the next line
        "title: a # comment after a value\n",
        "title: \"escaped \\\" quote\"\n",
        "title: |\n  block\n",
        "title: &anchor text\n",
        "meta:\n  nested: map\n",
        "id: a\nid: b\n",
        "demos: [\"a,b\"]\n",
        "demos: [a, ]\n",
        "title: -leading dash\n",
        "objectives:\n  - a\n    - nested\n",
        "objectives:\n",
        "objectives:\n  - Two: a mapping, in YAML\n",
        "key:value\n",
        "",
    ]

    @Test(arguments: refused)
    func stepsAsideForAnythingElse(yaml: String) {
        #expect(quick(yaml) == nil, "accepted:\n\(yaml)")
    }

    /// Every shipped lesson's front matter goes the quick way and reads the same.
    @Test func shippedLessonsReadTheSameBothWays() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Lessons")
        let folders = LessonLoader(directory: root, knownDemos: []).folders()
        #expect(!folders.isEmpty)
        for folder in folders {
            for language in Language.allCases {
                let source = try String(
                    contentsOf: root.appendingPathComponent("\(folder)/lesson.\(language.rawValue).md"), encoding: .utf8)
                let quickly = LessonFileParser.header(source, file: "f", quick: true)
                let fully = LessonFileParser.header(source, file: "f")
                #expect(quickly.frontMatter != nil)
                #expect(quickly.frontMatter == fully.frontMatter, "\(folder) \(language)")
                #expect(quickly.diagnostics == fully.diagnostics)
                let yaml = source.split(separator: "---", maxSplits: 2)[0]
                #expect(quick(String(yaml)) != nil, "\(folder) \(language) is not read the quick way")
            }
        }
    }
}
