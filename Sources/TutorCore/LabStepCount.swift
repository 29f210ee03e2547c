/// How many steps a lab file has, read without parsing it: the `- id:` items of its
/// top-level `steps:` list. The menu and the report show it beside the steps done;
/// the lab itself is parsed (and checked by `lint`) where it is run.
enum LabStepCount {
    static func count(_ yaml: String) -> Int {
        var inSteps = false
        var itemIndent: Int?
        var steps = 0
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if indent == 0, !(inSteps && content.hasPrefix("- ")) {
                inSteps = content.hasPrefix("steps:")
                itemIndent = nil
                continue
            }
            guard inSteps, content.hasPrefix("- ") else { continue }
            let item = content.dropFirst(2).drop { $0 == " " }
            guard item.hasPrefix("id:"), itemIndent == nil || itemIndent == indent else { continue }
            itemIndent = indent
            steps += 1
        }
        return steps
    }
}
