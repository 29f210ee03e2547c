import ArgumentParser
import Engine
import Foundation
import TutorApp
import TutorCore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run one real demo on this machine's kernel, or list them.",
        discussion: """
            `ctutor demo list` shows the demos. `ctutor demo uts` runs the UTS namespace demo and prints
            what it saw from the host and from inside; `--json` prints the same report as JSON.
            Exit status: 0 when the demo ran, 1 when this machine does not allow it (the report says why).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A demo id, or `list`.")
    var id: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "Keep the isolated process alive until you press Enter, so you can inspect it (lsns, nsenter).")
    var hold = false

    @Flag(help: "Use a new user namespace even when running as root (what unprivileged users get).")
    var rootless = false

    func run() throws {
        let language = Language.resolve(explicit: global.lang, environment: ProcessInfo.processInfo.environment)
        if id == "list" {
            if json {
                struct Listed: Encodable {
                    var id: String
                    var title: String
                    var summary: String
                    var namespaces: [String]
                }
                let listed = DemoCatalog.demos.map { demo in
                    Listed(
                        id: demo.info.id, title: demo.info.title[language], summary: demo.info.summary[language],
                        namespaces: NamespaceKind.allCases.filter(demo.namespaces.contains).map(\.rawValue))
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(listed), as: UTF8.self))
                return
            }
            for demo in DemoCatalog.all {
                print("\(demo.id)\t\(demo.title[language]) — \(demo.summary[language])")
            }
            return
        }
        guard DemoCatalog.demo(id) != nil else {
            throw ValidationError(
                "no demo '\(id)'; run `ctutor demo list` to see them (known: \(DemoCatalog.all.map(\.id).joined(separator: ", ")))")
        }
        let status = Self.execute(id: id, json: json, hold: hold, rootless: rootless, language: language, lessons: global.lessons)
        if status != 0 { throw ExitCode(status) }
    }

    /// Runs a known demo, prints its report and counts the run in the learner's
    /// progress; the exit status: 0 when it ran, 1 when this machine does not allow it.
    /// `lessons` is `--lessons`, when given.
    static func execute(id: String, json: Bool, hold: Bool, rootless: Bool, language: Language, lessons: String? = nil) -> Int32 {
        let preference: ModePreference = rootless ? .rootless : .auto
        var whileAlive: ((NamespaceChild) throws -> Void)?
        if hold { whileAlive = { [id] child in try Self.holdOpen(child, demo: id) } }
        guard let report = DemoCatalog.run(id, preference: preference, whileAlive: whileAlive) else { return 1 }
        if json {
            print(report.jsonText(language))
        } else {
            let lines = DemoReportLayout.lines(for: report, language: language, width: 78)
            for line in lines { print(line.plainText.trimmingTrailingSpaces) }
        }
        guard report.mode != .unavailable else { return 1 }
        recordRun(report, language: language, lessons: lessons)
        return 0
    }

    /// Counts a run that really happened for every lesson whose front matter lists the
    /// demo, as the tutor does. Only the lessons' front matter is read. Without a
    /// lessons folder there is nothing to count it in; a failed save is said in one
    /// line and does not change the exit status (the demo did run).
    static func recordRun(_ report: DemoReport, language: Language, lessons: String?) {
        let environment = ProcessInfo.processInfo.environment
        guard let directory = try? LessonDirectory.find(explicit: lessons, environment: environment) else { return }
        let loader = LessonLoader(directory: directory, knownDemos: Set(DemoCatalog.all.map(\.id)))
        let showing = loader.lessons(showing: report.demo)
        guard !showing.isEmpty else { return }
        do {
            try ProgressStore.forCurrentUser(environment: environment).append(
                [.demoRan(demo: report.demo, mode: report.mode.rawValue, lessons: showing)])
        } catch let error as ProgressStore.StoreError {
            printError("ctutor: " + error.localized[language])
        } catch {
            printError("ctutor: \(error)")
        }
    }

    /// Waits for Enter (or end of input) while the demo's processes live, with commands
    /// to look at them from another terminal.
    static func holdOpen(_ child: NamespaceChild, demo: String) throws {
        let pid = child.pid
        let all = ([pid] + child.others).map(String.init)
        let tries: [String]
        switch demo {
        case "os": tries = ["cat /proc/\(pid)/maps", "ldd /bin/sleep", "strace -c /bin/ls / > /dev/null"]
        case "process":
            tries = [
                "ps -o pid,stat,rss,cmd -p \(all.joined(separator: ","))", "ls -l \(all.map { "/proc/\($0)/exe" }.joined(separator: " "))",
            ]
        case "threads": tries = ["ls /proc/\(pid)/task", "cat /proc/\(pid)/task/*/comm", "ps -L -o pid,lwp,comm,stat -p \(pid)"]
        default:
            // What to run inside the demo's namespaces, entered all at once (`nsenter -a`).
            let inside =
                [
                    "pid": "ps -e", "uts": "hostname", "ipc": "ipcs -q", "mnt": "findmnt /mnt", "net": "ip -br addr",
                    "user": "id", "cgroup": "cat /proc/self/cgroup", "time": "cat /proc/uptime", "namespaces": "ls -l /proc/self/ns",
                ][demo] ?? "sh"
            tries = ["lsns -p \(pid)", "sudo nsenter -t \(pid) -a \(inside)", "grep NSpid /proc/\(pid)/status"]
        }
        let others = child.others.isEmpty ? "" : " (with \(child.others.map(String.init).joined(separator: ", ")))"
        printError(
            """
            hold: pid=\(pid)
            The demo's process is alive as PID \(pid)\(others) on the host. In another terminal, try:
            \(tries.map { "  " + $0 }.joined(separator: "\n"))
            Press Enter to end it.
            """)
        _ = readLine()
    }
}
