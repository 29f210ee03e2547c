import ArgumentParser
import Engine
import Foundation
import TutorCore

struct PsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps",
        abstract: "List containers: the running ones, or all with -a.",
        discussion: "Containers run without --rm stay listed after they exit, until `ctutor rm`."
    )

    @Flag(name: [.customShort("a"), .long], help: "Show all containers, not only running ones.")
    var all = false

    @Flag(name: [.customShort("q"), .long], help: "Only the ids.")
    var quiet = false

    func run() throws {
        let now = Date()
        let records = ContainerStore.forCurrentUser().list().filter { all || $0.isRunning }
        if quiet {
            records.forEach { print($0.shortID) }
            return
        }
        var rows = [["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES"]]
        for record in records {
            var command = record.command.joined(separator: " ")
            if command.count > 22 { command = String(command.prefix(21)) + "…" }
            rows.append([
                record.shortID, record.image, "\"\(command)\"", Self.ago(record.created, now: now) + " ago",
                Self.status(record, now: now), record.name,
            ])
        }
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 3, withPad: " ", startingAt: 0)
            }
            print(cells.joined())
        }
    }

    static func status(_ record: ContainerRecord, now: Date) -> String {
        switch record.status {
        case .created: return "Created"
        case .running:
            if record.isRunning { return "Up " + ago(record.startedAt ?? record.created, now: now) }
            return "Exited (unknown): its ctutor run was killed"
        case .exited:
            let code = record.exitCode.map(String.init) ?? "?"
            return "Exited (\(code))\(record.oomKilled == true ? " OOM" : "") " + ago(record.finishedAt ?? record.created, now: now) + " ago"
        }
    }

    static func ago(_ timestamp: String, now: Date) -> String {
        guard let date = UTCTimestamp.date(timestamp) else { return "?" }
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        if seconds < 60 { return "\(seconds) second\(seconds == 1 ? "" : "s")" }
        if seconds < 3600 { return "\(seconds / 60) minute\(seconds / 60 == 1 ? "" : "s")" }
        if seconds < 86400 { return "\(seconds / 3600) hour\(seconds / 3600 == 1 ? "" : "s")" }
        return "\(seconds / 86400) day\(seconds / 86400 == 1 ? "" : "s")"
    }
}
