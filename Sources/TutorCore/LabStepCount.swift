/// How many steps a lab file has, read without parsing it: the `- id:` items of its
/// top-level `steps:` list. The menu and the report show it beside the steps done;
/// the lab itself is parsed (and checked by `lint`) where it is run.
enum LabStepCount {
    static func count(_ yaml: String) -> Int {
        // Bytes, not Characters: this runs for every lesson at start-up.
        var inSteps = false
        var itemIndent: Int?
        var steps = 0
        let space = UInt8(ascii: " ")
        for line in yaml.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let indent = line.prefix { $0 == space }.count
            let content = line.dropFirst(indent)
            if content.isEmpty || content.first == UInt8(ascii: "#") { continue }
            let isItem = content.starts(with: "- ".utf8)
            if indent == 0, !(inSteps && isItem) {
                inSteps = content.starts(with: "steps:".utf8)
                itemIndent = nil
                continue
            }
            guard inSteps, isItem else { continue }
            let item = content.dropFirst(2).drop { $0 == space }
            guard item.starts(with: "id:".utf8), itemIndent == nil || itemIndent == indent else { continue }
            itemIndent = indent
            steps += 1
        }
        return steps
    }
}
