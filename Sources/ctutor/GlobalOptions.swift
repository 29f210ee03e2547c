import ArgumentParser
import Engine
import Foundation
import TutorCore

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Language: ko or en (default: $CTUTOR_LANG, then the locale).", valueName: "ko|en"))
    var lang: String?

    @Option(
        name: .long, help: ArgumentHelp("The lessons directory (default: $CTUTOR_LESSONS, then Lessons/ next to ctutor).", valueName: "dir")
    )
    var lessons: String?

    func validate() throws {
        if let lang, Language(code: lang) == nil {
            throw ValidationError("unknown language '\(lang)'; use --lang ko or --lang en")
        }
    }

    func context() throws -> AppContext {
        try AppContext(lang: lang, lessons: lessons)
    }
}

/// What a command needs once options are read.
struct AppContext {
    var language: Language
    var lessonsDirectory: URL
    var environment: [String: String]

    /// The context for these options, the rest from the environment.
    init(lang: String?, lessons: String?) throws {
        environment = ProcessInfo.processInfo.environment
        let remembered = ProgressStore.forCurrentUser(environment: environment).rememberedLanguage()
        language = Language.resolve(explicit: lang, environment: environment, remembered: remembered)
        lessonsDirectory = try LessonDirectory.find(explicit: lessons, environment: environment)
    }

    var knownDemos: Set<String> { Set(DemoCatalog.all.map(\.id)) }

    var demoTitles: [String: Localized] {
        Dictionary(uniqueKeysWithValues: DemoCatalog.all.map { ($0.id, $0.title) })
    }

    var lessonLoader: LessonLoader {
        LessonLoader(directory: lessonsDirectory, knownDemos: knownDemos)
    }

    var progressStore: ProgressStore {
        ProgressStore.forCurrentUser(environment: environment)
    }

    /// Loads progress; a corrupt file's notice, or why it cannot be saved, goes to stderr.
    func loadProgress() -> ProgressStore.Loaded {
        let loaded = progressStore.load()
        if let notice = loaded.notice { printError("ctutor: " + notice[language]) }
        if let unsaved = loaded.unsaved { printError("ctutor: " + unsaved[language]) }
        return loaded
    }

    /// Finds a lesson by id, folder name or number (`uts-namespace`, `04-uts-namespace`, `4`).
    /// A unique id prefix also works (`uts`).
    func findEntry(_ query: String, in entries: [LessonEntry]) -> LessonEntry? {
        let exact = entries.first { entry in
            let number = entry.folder.prefix(while: { $0.isNumber })
            return entry.id == query || entry.folder == query || (Int(number) != nil && Int(number) == Int(query))
        }
        if let exact { return exact }
        let prefixed = entries.filter { $0.id.hasPrefix(query) }
        return prefixed.count == 1 ? prefixed[0] : nil
    }
}

/// Locates the lessons directory so that a teacher's edits are read at run time.
enum LessonDirectory {
    static func find(explicit: String?, environment: [String: String]) throws -> URL {
        if let path = explicit ?? environment["CTUTOR_LESSONS"] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("lessons directory '\(path)' does not exist")
            }
            return URL(fileURLWithPath: path)
        }
        if let found = InstallDirectory.find("Lessons") { return found }
        throw ValidationError("no Lessons directory found; pass --lessons DIR or set CTUTOR_LESSONS")
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
