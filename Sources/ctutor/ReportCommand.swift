import ArgumentParser
import Foundation
import TutorCore
import TutorUI

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print this learner's progress per lesson, for a teacher to collect.",
        discussion: """
            One row per lesson in course order: status, read, demo runs, quiz best score and attempts, lab steps,
            seconds spent. Every row names the learner (user, uid, host, when the report was made), so reports
            from a room can be put together. `--format csv` and `--format json` keep their column names stable.
            Example: ctutor report --format csv --out ~/progress.csv
            """
    )

    enum Format: String, CaseIterable {
        case text, json, csv
    }

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Output format.", valueName: "text|json|csv"))
    var format: String = Format.text.rawValue

    @Option(
        help: ArgumentHelp("Write the report to this file (replaced whole, never half-written) instead of printing it.", valueName: "file"))
    var out: String?

    func validate() throws {
        guard Format(rawValue: format) != nil else {
            throw ValidationError("unknown format '\(format)'; use --format text, --format json or --format csv")
        }
    }

    func run() throws {
        let context = try global.context()
        let progress = context.loadProgress().progress
        let report = ProgressReport(
            entries: context.lessonLoader.index(), progress: progress, language: context.language,
            learner: Self.learner(environment: context.environment))
        let text: String
        switch Format(rawValue: format) ?? .text {
        case .text: text = Self.table(report)
        case .json: text = report.json + "\n"
        case .csv: text = report.csv
        }
        guard let out else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw ValidationError(
                "cannot write the report to \(out): \(error.localizedDescription); choose a file in a folder you can write")
        }
    }

    /// The learner the progress belongs to: under `sudo`, the one who ran it (whose
    /// progress the store reads), else this process's user.
    static func learner(environment: [String: String]) -> ProgressReport.Learner {
        var uid = getuid()
        if geteuid() == 0, let sudoUID = environment["SUDO_UID"].flatMap({ uid_t($0) }) { uid = sudoUID }
        let user = getpwuid(uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? environment["USER"] ?? "uid\(uid)"
        var host = [CChar](repeating: 0, count: 256)
        let hostName = gethostname(&host, host.count - 1) == 0 ? String(cString: host) : "?"
        return ProgressReport.Learner(user: user, uid: uid, host: hostName, generated: Date())
    }

    /// The report as a table for people, 80 columns wide, titles cut to fit.
    static func table(_ report: ProgressReport) -> String {
        let language = report.language
        let learner = report.learner
        var lines = [
            UIText.reportTitle.format(language, learner.user, learner.uid, learner.host, UTCTimestamp.string(learner.generated)), "",
        ]
        let heads = UIText.reportColumns.text(language).split(separator: "|").map(String.init)
        let statuses = UIText.reportStatuses.text(language).split(separator: "|").map(String.init)
        let widths = [30, 9, 5, 5, 7, 6, 7]
        func line(_ fields: [String]) -> String {
            zip(fields, widths).map { TextWrap.pad($0, width: $1) }.joined(separator: " ").trimmingTrailingSpaces
        }
        lines.append("#  " + line(heads))
        for (index, row) in report.rows.enumerated() {
            let status = ["new", "started", "done", "broken"].firstIndex(of: row.status).map { statuses[$0] } ?? row.status
            let quiz = row.quizBest.map { best in "\(best)/\(row.quizTotal ?? 0)" } ?? "-"
            let lab = row.labStepsTotal > 0 || row.labStepsDone > 0 ? "\(row.labStepsDone)/\(row.labStepsTotal)" : "-"
            let seconds = row.secondsSpent
            let time = seconds == 0 ? "-" : "\(seconds / 60):" + (seconds % 60 < 10 ? "0" : "") + "\(seconds % 60)"
            lines.append(
                (index < 9 ? "0" : "") + "\(index + 1) "
                    + line([row.title, status, row.read ? "✓" : "-", "\(row.demoRuns)", quiz, lab, time]))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
