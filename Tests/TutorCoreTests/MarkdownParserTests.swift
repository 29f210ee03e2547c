import Testing

@testable import TutorCore

@Suite struct MarkdownParserTests {
    private func parse(_ text: String) -> ([Block], [Diagnostic]) {
        let result = MarkdownParser(file: "t.md").parse(text.components(separatedBy: "\n"), firstLine: 10)
        return (result.blocks, result.diagnostics)
    }

    @Test func parsesTheWholeSubset() {
        let (blocks, diagnostics) = parse(
            """
            # 제목
            첫 줄과
            둘째 줄은 한 문단.

            - **굵게** 항목
              이어지는 줄
            - `code` 항목

            1. one
            2. two

            ```sh
            hostname demo
            ```

            | a | b |
            |---|---|
            | 1 | `x|y` |

            > [!TIP]
            > 팁 내용

            :::demo uts
            [link](https://example.com) end
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(
            blocks == [
                .heading(level: 1, [InlineRun("제목")]),
                .paragraph([InlineRun("첫 줄과 둘째 줄은 한 문단.")]),
                .bulletList([
                    [InlineRun("굵게", .bold), InlineRun(" 항목 이어지는 줄")],
                    [InlineRun("code", .code), InlineRun(" 항목")],
                ]),
                .orderedList(start: 1, [[InlineRun("one")], [InlineRun("two")]]),
                .code(language: "sh", lines: ["hostname demo"]),
                .table(header: [[InlineRun("a")], [InlineRun("b")]], rows: [[[InlineRun("1")], [InlineRun("x|y", .code)]]]),
                .callout(.tip, [[InlineRun("팁 내용")]]),
                .demo(id: "uts"),
                .paragraph([InlineRun("link", .link(url: "https://example.com")), InlineRun(" end")]),
            ])
    }

    @Test func unclosedCodeFenceIsAnErrorAtItsLine() {
        let (_, diagnostics) = parse("text\n\n```\ncode")
        #expect(diagnostics == [Diagnostic(file: "t.md", line: 12, message: "code block opened here is never closed with ```")])
    }

    @Test func tableRowWithWrongCellCountIsReportedAndPadded() {
        let (blocks, diagnostics) = parse("| a | b |\n|---|---|\n| 1 |")
        #expect(diagnostics.map(\.line) == [12])
        #expect(diagnostics.first?.severity == .warning)
        guard case .table(_, let rows) = blocks.first else {
            Issue.record("expected a table")
            return
        }
        #expect(rows[0].count == 2)
    }

    @Test func unknownCalloutAndDirectiveAreErrors() {
        let (_, diagnostics) = parse("> [!DANGER]\n> x\n\n:::video foo")
        #expect(diagnostics.map(\.line) == [10, 13])
        #expect(diagnostics.allSatisfy { $0.severity == .error })
    }

    @Test func unbalancedInlineMarkupKeepsTheTextAndWarns() {
        let (blocks, diagnostics) = parse("a **b c")
        #expect(blocks == [.paragraph([InlineRun("a **b c")])])
        #expect(diagnostics.first?.message == "unclosed ** (bold)")
    }

    @Test func nestedListIsReported() {
        let (_, diagnostics) = parse("- a\n  - b")
        #expect(diagnostics.map(\.line) == [11])
    }
}
