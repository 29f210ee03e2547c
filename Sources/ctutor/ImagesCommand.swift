import ArgumentParser
import Engine
import Foundation

struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "List the local images.",
        discussion: """
            Images live in $XDG_DATA_HOME/ctutor/images (by default ~/.local/share/ctutor/images).
            Add one with `ctutor image import FILE|DIR` or `ctutor image build RECIPE`; the base image
            busybox:latest is made from Debian's busybox-static the first time something uses it.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let images = try ImageCommandOutput.attempt("images") { try ImageStore.forCurrentUser().list() }
        if json {
            print(try ImageCommandOutput.json(images.map(ImageCommandOutput.Described.init)))
            return
        }
        let rows = images.map { image in
            [
                image.name, image.tag, ImageCommandOutput.shortID(image.id), "\(image.layers.count)", ImageCommandOutput.size(image.size),
                image.created.map { String($0.prefix(10)) } ?? "-",
            ]
        }
        for line in ImageCommandOutput.table(header: ["NAME", "TAG", "ID", "LAYERS", "SIZE", "CREATED"], rows: rows) { print(line) }
        if images.isEmpty { print("(no images yet: `ctutor image inspect busybox` makes the base image)") }
    }
}

/// What the image commands share: error lines, the table, sizes, JSON.
enum ImageCommandOutput {
    /// Runs `body`; an image error becomes one line on stderr and exit status 1.
    static func attempt<Result>(_ command: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as ImageError {
            printError("ctutor \(command): \(error)")
            throw ExitCode(1)
        }
    }

    /// The first 12 hex digits of an id, as `docker images` shows it.
    static func shortID(_ id: String) -> String {
        String(id.split(separator: ":").last?.prefix(12) ?? "")
    }

    /// Decimal units, as Docker prints image sizes: `1.98MB`.
    static func size(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes)B" : String(format: value < 10 ? "%.2f%@" : value < 100 ? "%.1f%@" : "%.0f%@", value, units[unit])
    }

    static func table(header: [String], rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 3, withPad: " ", startingAt: 0)
            }.joined()
        }
    }

    /// An image with what `inspect` adds: its size and overlayfs lower directories.
    struct Described: Encodable {
        var image: StoredImage

        enum CodingKeys: String, CodingKey {
            case name, tag, id, layers, config, created, size, lowerDirectories
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(image.name, forKey: .name)
            try container.encode(image.tag, forKey: .tag)
            try container.encode(image.id, forKey: .id)
            try container.encode(image.layers, forKey: .layers)
            try container.encode(image.config, forKey: .config)
            try container.encodeIfPresent(image.created, forKey: .created)
            try container.encode(image.size, forKey: .size)
            try container.encode(image.lowerDirectories, forKey: .lowerDirectories)
        }
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
