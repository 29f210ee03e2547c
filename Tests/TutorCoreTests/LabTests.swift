import Foundation
import Testing

@testable import TutorCore

@Suite struct LabParseTests {
    static let good = """
        id: uts-lab
        title: {ko: "실습", en: "Lab"}
        intro: {ko: "소개", en: "Intro"}
        steps:
          - id: new-uts
            instruction: {ko: "만드세요", en: "Make one"}
            hints:
              - {ko: "힌트", en: "Hint"}
            check:
              process: {comm: sh, new-ns: [uts], ns-pid: 1}
          - id: name
            instruction: {ko: "이름", en: "Name"}
            check:
              - hostname: {equals: lab-host}
              - file: {path: ~/uts.txt, fact: "pid-of:sleep", max-size: 100}
              - link: {name: v0, in: base, min-rx-packets: 3}
              - rlimit: {comm: sleep, resource: nofile, at-most: 64}
        """

    @Test func parsesStepsHintsAndEveryCheck() throws {
        let (lab, diagnostics) = Lab.parse(Self.good, file: "lab.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let parsed = try #require(lab)
        #expect(parsed.id == "uts-lab")
        #expect(parsed.steps.map(\.id) == ["new-uts", "name"])
        #expect(parsed.steps[0].hints == [Localized(ko: "힌트", en: "Hint")])
        #expect(parsed.steps[0].checks == [.process(comm: "sh", newNamespaces: ["uts"], nsPID: 1, minThreads: nil)])
        #expect(
            parsed.steps[1].checks == [
                .hostname(equals: "lab-host"),
                .file(path: "~/uts.txt", contains: nil, fact: .pidOf("sleep"), maxSize: 100, inNewMountNamespace: false),
                .link(name: "v0", inNew: false, minReceivedPackets: 3),
                .rlimit(comm: "sleep", resource: "nofile", atMost: 64),
            ])
        #expect(parsed.firstUndone(["new-uts"]) == 1)
        #expect(parsed.firstUndone(["new-uts", "name"]) == nil)
    }

    /// Each broken step is reported at its own line of the file.
    @Test(arguments: [
        ("      process: {comm: sh, new-ns: [utz]}", 8, "unknown namespace kind 'utz'"),
        ("      proces: {comm: sh}", 8, "unknown checker 'proces'"),
        ("      process: {comm: sh, color: red}", 8, "has no option 'color'"),
        ("      file: {path: relative.txt, contains: x}", 8, "must be absolute or start with ~/"),
        ("      file: {path: ~/x.txt}", 8, "needs contains:, fact: or max-size:"),
        ("      file: {path: ~/x.txt, fact: weather}", 8, "unknown fact 'weather'"),
        ("      address: {ip: 10.0.0.300}", 8, "not an IPv4 address"),
        ("      rlimit: {resource: files, at-most: 3}", 8, "unknown resource 'files'"),
        ("      link: {name: v0, in: elsewhere}", 8, "'in' is new"),
    ])
    func reportsAProblemAtItsLine(check: String, line: Int, message: String) {
        let text = """
            id: x
            title: {ko: "가", en: "a"}
            intro: {ko: "가", en: "a"}
            steps:
              - id: one
                instruction: {ko: "가", en: "a"}
                check:
            \(check)
            """
        let (lab, diagnostics) = Lab.parse(text, file: "04-uts/lab.yaml")
        #expect(lab == nil)
        let found = diagnostics.first { $0.message.contains(message) }
        #expect(found?.line == line, "\(diagnostics)")
        #expect(found?.file == "04-uts/lab.yaml")
    }

    @Test func missingCheckAndDuplicateStepsAndLanguagesAreReported() {
        let text = """
            id: x
            title: {ko: "가"}
            intro: {ko: "가", en: "a"}
            steps:
              - id: one
                instruction: {ko: "가", en: "a"}
              - id: two
                instruction: {ko: "가", en: "a"}
                check: {mount: {fstype: tmpfs}}
              - id: two
                instruction: {ko: "가", en: "a"}
                check: {mount: {fstype: proc}}
            """
        let (lab, diagnostics) = Lab.parse(text, file: "lab.yaml")
        #expect(lab == nil)
        #expect(diagnostics.contains { $0.line == 2 && $0.message.contains("missing 'en'") }, "\(diagnostics)")
        #expect(diagnostics.contains { $0.line == 5 && $0.message.contains("missing 'check'") }, "\(diagnostics)")
        #expect(diagnostics.contains { $0.line == 10 && $0.message.contains("duplicate step id 'two'") }, "\(diagnostics)")
    }

    @Test func yamlSyntaxErrorsPointAtTheLine() {
        let (lab, diagnostics) = Lab.parse("id: x\nsteps:\n  - id: [unclosed\n", file: "lab.yaml")
        #expect(lab == nil)
        #expect(diagnostics.first?.message.hasPrefix("YAML syntax") == true)
        #expect((diagnostics.first?.line ?? 0) >= 3, "\(diagnostics)")
    }

    /// `lint` (through `LessonLoader.load`) reports a lab's problems with the lesson's.
    @Test func theLoaderReportsTheLabsProblems() throws {
        let directory = try TempDirectory()
        for language in ["ko", "en"] {
            try directory.write("04-uts/lesson.\(language).md", "---\nid: uts\ntitle: T\nsummary: S\n---\n\n# T\n\nText.\n")
        }
        try directory.write("04-uts/lab.yaml", "id: x\ntitle: {ko: a, en: a}\nintro: {ko: a, en: a}\nsteps: []\n")
        let loader = LessonLoader(directory: directory.url, knownDemos: [])
        let diagnostics = loader.load(folder: "04-uts").entry.diagnostics
        #expect(diagnostics.contains { $0.file == "04-uts/lab.yaml" && $0.line == 4 && $0.message.contains("non-empty 'steps:'") }, "\(diagnostics)")
        #expect(loader.lab(folder: "04-uts")?.lab == nil)
        #expect(loader.lab(folder: "missing") == nil)
    }

    /// Every shipped lab parses, in both languages, with at least three checked steps.
    @Test func theShippedLabsAreWhole() throws {
        let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Lessons")
        let loader = LessonLoader(directory: lessons, knownDemos: [])
        let folders = loader.folders()
        #expect(folders.count >= 12, "every lesson of the course, each checked below for its lab")
        for folder in folders {
            let found = try #require(loader.lab(folder: folder), "\(folder) has no lab.yaml")
            let lab = try #require(found.lab, "\(found.diagnostics)")
            #expect(lab.steps.count >= 3, "\(folder)")
            #expect(lab.steps.allSatisfy { !$0.checks.isEmpty && !$0.instruction.ko.isEmpty && !$0.instruction.en.isEmpty })
        }
    }
}
