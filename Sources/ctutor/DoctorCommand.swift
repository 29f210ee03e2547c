import ArgumentParser
import Engine
import Foundation
import TutorCore

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show what this machine allows (root, user namespaces, cgroups, overlayfs, each demo) and how to enable what it doesn't.",
        discussion: """
            Each demo is tried for real (its namespaces made and released) and shown as real, rootless or unavailable,
            with the reason and the way to enable it. With --cleanup, also releases what an interrupted run left
            behind: the processes, mounts and queues its record names (a recorded process is killed only if its
            start time still matches).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Release what interrupted runs left behind (from their records in the state directory).")
    var cleanup = false

    func run() throws {
        let language = Language.resolve(explicit: global.lang, environment: ProcessInfo.processInfo.environment)
        let leftovers = cleanup ? LeftoverSweep.sweep() : LeftoverSweep.survey()
        let probe = MachineProbe.current()
        let facts = probe.facts + DemoAvailability.survey(probe: probe).map(\.fact) + [leftovers.fact]
        if json {
            let objects = facts.map { fact -> [String: Any] in
                var object: [String: Any] = ["id": fact.id, "label": fact.label[language], "value": fact.value[language], "ok": fact.ok]
                if let remedy = fact.remedy { object["remedy"] = remedy[language] }
                if fact.id == leftovers.fact.id {
                    object["found"] = leftovers.found.map(\.resource.description)
                    object["remaining"] = leftovers.remaining.map(\.resource.description)
                    object["swept"] = leftovers.swept
                }
                return object
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for fact in facts {
                print("\(fact.ok ? "ok " : "no ") \(fact.label[language]): \(fact.value[language])")
                if let remedy = fact.remedy { print("     → \(remedy[language])") }
            }
        }
        if cleanup && !leftovers.remaining.isEmpty { throw ExitCode(1) }
    }
}
