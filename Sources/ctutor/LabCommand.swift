import ArgumentParser
import Engine
import Foundation
import TutorCore

/// `ctutor lab list`, `ctutor lab ID [--reset]`, `ctutor lab check ID`.
struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Guided labs, checked against the real state of your processes.",
        discussion: """
            `ctutor lab ID` opens a sandbox shell (busybox in new user, uts, pid, mount, ipc and net namespaces;
            root inside has no power on the host) and checks the current step after every command. Inside:
            `lab check` says what the checker sees, `hint` shows one more hint, `lab step` the current step, `exit` leaves.
            ID is a lesson id, folder or number (`uts-namespace`, `04-uts-namespace`, `4`) or the lab's id.
            """,
        subcommands: [LabOpenCommand.self, LabListCommand.self, LabCheckCommand.self],
        defaultSubcommand: LabOpenCommand.self
    )
}

struct LabListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the labs, one per lesson, with steps done.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let context = try global.context()
        let progress = context.loadProgress().progress
        let language = context.language
        var found = 0
        for entry in context.lessonLoader.index() {
            guard let (lab, diagnostics) = context.lessonLoader.lab(folder: entry.folder) else { continue }
            guard let lab else {
                print("\(entry.folder)  " + UIText.labBroken.format(language, diagnostics.first.map(\.description) ?? ""))
                continue
            }
            found += 1
            let done = progress.labs[lab.id]?.stepsDone.filter { id in lab.steps.contains { $0.id == id } }.count ?? 0
            let mark = done == lab.steps.count ? "[x]" : done > 0 ? "[~]" : "[ ]"
            print("\(mark) \(lab.id.padding(toLength: 22, withPad: " ", startingAt: 0)) \(done)/\(lab.steps.count)  \(lab.title[language])  (\(entry.folder))")
        }
        if found == 0 { printError("ctutor lab: no lab.yaml in \(context.lessonsDirectory.path)") }
    }
}

struct LabOpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open", abstract: "Open a lab's sandbox shell (the default: `ctutor lab ID`).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The lab: a lesson id, folder or number, or the lab's id.")
    var id: String

    @Flag(help: "Forget this lab's progress and start over.")
    var reset = false

    func run() throws {
        let context = try global.context()
        let found = try LabLookup.find(id, context: context)
        let status = LabShell.open(found.lab, lesson: found.lesson, context: context, reset: reset)
        if status != 0 { throw ExitCode(status) }
    }
}

struct LabCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a lab's steps against your own processes, from your own shell.",
        discussion: """
            For learners who do a lab in their own terminal: looks at every process of your user from outside
            (/proc/<pid>/ns/*, mountinfo, net/dev, …), takes the tutor's own namespaces as the original ones,
            and records the steps that pass. Paths starting with ~/ are under $HOME.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The lab: a lesson id, folder or number, or the lab's id.")
    var id: String

    func run() throws {
        let context = try global.context()
        let found = try LabLookup.find(id, context: context)
        let loaded = context.loadProgress()
        let store = context.progressStore
        let run = LabRun(
            lab: found.lab, lesson: found.lesson, done: loaded.progress.labs[found.lab.id]?.stepsDone ?? [], language: context.language,
            checker: LabChecker(scope: .ownProcesses(environment: context.environment)),
            record: { events in if loaded.unsaved == nil { _ = try? store.record(events) } })
        print(found.lab.title[context.language])
        for line in run.advance(explain: true) { print(line) }
        print(UIText.labCheckedOutside.format(context.language, run.done.count, found.lab.steps.count))
    }
}

/// Finds a lab by its lesson (id, folder, number) or its own id.
enum LabLookup {
    static func find(_ query: String, context: AppContext) throws -> (lab: Lab, lesson: String, folder: String) {
        let entries = context.lessonLoader.index()
        var entry = context.findEntry(query, in: entries)
        if entry == nil {
            entry = entries.first { context.lessonLoader.lab(folder: $0.folder)?.lab?.id == query }
        }
        guard let entry, let (lab, diagnostics) = context.lessonLoader.lab(folder: entry.folder) else {
            let known = entries.compactMap { entry in context.lessonLoader.lab(folder: entry.folder)?.lab.map { "\($0.id) (\(entry.id))" } }
                .joined(separator: ", ")
            throw ValidationError("no lab '\(query)'; labs: \(known.isEmpty ? "none" : known) (see `ctutor lab list`)")
        }
        guard let lab else {
            for diagnostic in diagnostics { printError(diagnostic.description) }
            throw ValidationError("the lab of \(entry.folder) has problems; `ctutor lint` lists them")
        }
        return (lab, entry.id, entry.folder)
    }
}

/// Opens a lab's sandbox shell on this terminal, for `ctutor lab ID` and the tutor's `L` key.
enum LabShell {
    /// Runs the lab until the learner leaves the shell; the exit status.
    static func open(_ lab: Lab, lesson: String, context: AppContext, reset: Bool) -> Int32 {
        let language = context.language
        let store = context.progressStore
        let loaded = context.loadProgress()
        var done = loaded.progress.labs[lab.id]?.stepsDone ?? []
        let save = { (events: [ProgressEvent]) in
            guard loaded.unsaved == nil else { return }
            do { _ = try store.record(events) } catch { printError("ctutor: \(error)") }
        }
        if reset {
            save([.labReset(lab: lab.id)])
            done = []
            print(UIText.labReset.format(language, lab.title[language]))
        }
        var run: LabRun?
        let console = LabConsole { request, shellPID in
            let current =
                run
                ?? LabRun(
                    lab: lab, lesson: lesson, done: done, language: language,
                    checker: LabChecker(scope: LabScope(kind: .sandbox(shellPID: shellPID), home: "/root")), record: save)
            run = current
            return current.respond(request)
        }
        print("\u{1B}[1m\(lab.title[language])\u{1B}[0m")
        print(lab.intro[language])
        print("")
        print(UIText.labOpening.text(language))
        let preview = LabRun(lab: lab, lesson: lesson, done: done, language: language, checker: LabChecker(scope: .ownProcesses()), record: { _ in })
        print(preview.currentStep())
        print(UIText.labCommands.text(language))
        print("")
        fflush(nil)
        do {
            let cleanup = try console.run()
            for item in cleanup where !item.released {
                printError("ctutor: could not release \(item.resource[language]); `ctutor doctor --cleanup` will")
            }
        } catch {
            printError("ctutor lab: \(error)")
            return 1
        }
        print(UIText.labClosed.format(language, run?.done.count ?? done.count, lab.steps.count))
        return 0
    }

    /// The tutor's `L` key: the lab of the lesson in `folder`, on the terminal the
    /// tutor gave back, then the progress as saved for the tutor to show.
    static func openFromTutor(folder: String, language: Language, context: AppContext) -> TutorCore.Progress? {
        var context = context
        context.language = language
        let lesson = context.lessonLoader.index(folder: folder).id
        switch context.lessonLoader.lab(folder: folder) {
        case let (lab?, _)?:
            _ = open(lab, lesson: lesson, context: context, reset: false)
        case let (nil, diagnostics)?:
            print(UIText.labBroken.format(language, ""))
            for diagnostic in diagnostics { print("  \(diagnostic)") }
        case nil:
            print(UIText.labNone.text(language))
        }
        print(UIText.labBackToTutor.text(language))
        _ = readLine()
        return context.progressStore.load().progress
    }
}
