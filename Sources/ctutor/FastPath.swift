import Engine
import Foundation
import TutorCore

/// `ctutor demo ID [--json] [--hold] [--rootless] [--lang ko|en]`, `ctutor run …`,
/// `ctutor runtime …` and the serving shim (`shim --serve …`, once per container from
/// the daemon), parsed by hand.
///
/// ArgumentParser builds every command's metadata by reflection before it parses:
/// about 13 million instructions, most of a demo's own cost (measured with callgrind).
/// This path takes only the exact, valid forms of the most run command and leaves
/// everything else — help, errors, every other command — to ArgumentParser.
enum FastPath {
    /// The exit status when the arguments are a form this path takes; `nil` otherwise.
    static func run(_ arguments: [String]) -> Int32? {
        if arguments.first == "run", !arguments.dropFirst().prefix(while: { $0 != "--" }).contains("--help") {
            return RunArguments.execute(Array(arguments.dropFirst()))
        }
        if arguments.first == "runtime" { return RuntimeArguments.execute(Array(arguments.dropFirst())) }
        if let options = ShimOptions(serveArguments: arguments) { return Shim.serve(options, ready: 3) }
        guard arguments.first == "demo", arguments.count >= 2 else { return nil }
        let id = arguments[1]
        guard DemoCatalog.demo(id) != nil else { return nil }
        var json = false
        var hold = false
        var rootless = false
        var lang: String?
        var rest = arguments.dropFirst(2)[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--json": json = true
            case "--hold": hold = true
            case "--rootless": rootless = true
            case "--lang":
                guard let value = rest.popFirst(), Language(code: value) != nil else { return nil }
                lang = value
            default:
                guard argument.hasPrefix("--lang="), Language(code: String(argument.dropFirst(7))) != nil else { return nil }
                lang = String(argument.dropFirst(7))
            }
        }
        let language = Language.resolve(explicit: lang, environment: ProcessInfo.processInfo.environment)
        return DemoCommand.execute(id: id, json: json, hold: hold, rootless: rootless, language: language)
    }
}
