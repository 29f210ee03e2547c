import Foundation
import Testing

@testable import Engine

@Suite("Recipes: the YAML they are written in, and the images they build")
struct ImageRecipeTests {
    static let recipes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Assets/recipes")
        .standardized

    @Test("the recipe subset of YAML: comments, quotes and escapes, block scalars, flow and block lists")
    func parsesSubset() throws {
        let text = """
            # a comment
            ---
            name: demo/app   # trailing comment
            tag: '1.0'
            from: "busybox:latest"
            files:
            - path: /etc/greeting
              content: "hi \\"there\\"\\n\\u00e9"
            - path: /usr/local/bin/run
              mode: "0755"
              content: |
                #!/bin/sh

                echo "# not a comment"
            - path: /etc/stripped
              content: |-
                no newline at the end
            - path: /etc/folded
              content: >
                one
                line
            cmd: ["/usr/local/bin/run", 'it''s', plain words]
            env:
              - A=1
              - B=two words
            workdir: /srv
            """
        let recipe = try Recipe.parse(text, file: "demo.yaml")
        #expect(recipe.name == "demo/app" && recipe.tag == "1.0" && recipe.from == "busybox:latest")
        #expect(recipe.files.map(\.path) == ["/etc/greeting", "/usr/local/bin/run", "/etc/stripped", "/etc/folded"])
        #expect(recipe.files[0].content == "hi \"there\"\né" && recipe.files[0].mode == 0o644)
        #expect(recipe.files[1].content == "#!/bin/sh\n\necho \"# not a comment\"\n" && recipe.files[1].mode == 0o755)
        #expect(recipe.files[2].content == "no newline at the end")
        #expect(recipe.files[3].content == "one line\n")
        #expect(recipe.cmd == ["/usr/local/bin/run", "it's", "plain words"])
        #expect(recipe.env == ["A=1", "B=two words"] && recipe.workingDir == "/srv" && recipe.entrypoint == nil)
        #expect(try Recipe.parse("name: a\nfrom: b\ncmd: echo hi\n", file: "f").cmd == ["/bin/sh", "-c", "echo hi"])
    }

    @Test(
        "mistakes are refused with file:line and what is wrong",
        arguments: [
            ("name: a\nfrom: b\nfiels: []\n", "f.yaml:3", "unknown key 'fiels'"),
            ("name: a\n\tfrom: b\n", "f.yaml:2", "tab"),
            ("from: b\n", "f.yaml:1", "'name' is required"),
            ("name: a\nfrom: b\nfiles:\n  - path: etc/x\n    content: x\n", "f.yaml:4", "must be absolute"),
            ("name: a\nfrom: b\nfiles:\n  - path: /etc/../x\n    content: x\n", "f.yaml:4", "without . or .."),
            ("name: a\nfrom: b\nfiles:\n  - path: /x\n    content: x\n    mode: rwx\n", "f.yaml:4", "must be octal"),
            ("name: a\nfrom: b\ncmd: [\"a\", \"b\"\n", "f.yaml:3", "close with ]"),
            ("name: a\nfrom: \"b\n", "f.yaml:2", "must close on the same line"),
            ("name: A\nfrom: b\n", "f.yaml:1", "not an image name"),
            ("name: a\nfrom: b\nenv: [NOVALUE]\n", "f.yaml:1", "KEY=value"),
            ("name: a\nname: b\n", "f.yaml:2", "appears twice"),
        ])
    func mistakes(text: String, location: String, message: String) throws {
        let error = try #require(throws: ImageError.self) { try Recipe.parse(text, file: "f.yaml") }
        #expect(error.kind == .invalidRecipe)
        #expect(error.subject == location, "\(error)")
        #expect(error.reason.contains(message), "\(error)")
    }

    @Test("the versions demo's recipes read as intended")
    func assetRecipes() throws {
        let c5 = try Recipe.load(path: Self.recipes.appendingPathComponent("software-c-5.0.yaml").path)
        let c6 = try Recipe.load(path: Self.recipes.appendingPathComponent("software-c-6.0.yaml").path)
        let a = try Recipe.load(path: Self.recipes.appendingPathComponent("app-a.yaml").path)
        let b = try Recipe.load(path: Self.recipes.appendingPathComponent("app-b.yaml").path)
        #expect((c5.name, c5.tag, c5.from) == ("software-c", "5.0", "busybox"))
        #expect((c6.name, c6.tag) == ("software-c", "6.0"))
        #expect(c5.files.contains { $0.path == "/usr/local/bin/c-version" && $0.mode == 0o755 })
        #expect(c5.files.contains { $0.path == "/opt/c/lib/libc-app.so.5" } && c6.files.contains { $0.path == "/opt/c/lib/libc-app.so.6" })
        #expect(a.from == "software-c:5.0" && b.from == "software-c:6.0")
        #expect(a.cmd == ["/app/run"] && c5.cmd == ["c-version"] && c5.env == ["C_HOME=/opt/c"])
    }
}
