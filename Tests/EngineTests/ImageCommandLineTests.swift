import Foundation
import Testing

@testable import Engine

/// `ctutor images` and `ctutor image …` as a learner types them, against a store in
/// a scratch XDG_DATA_HOME; and two imports at once, from two processes.
@Suite("ctutor images / image on the command line", .enabled(if: Witness.ctutorBinary != nil, Witness.noBinaryReason))
struct ImageCommandLineTests {
    struct Result {
        var status: Int32
        var output: String
        var errors: String
    }

    static func start(_ arguments: [String], data: String) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Witness.ctutorBinary))
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": data, "XDG_DATA_HOME": data, "CTUTOR_LANG": "en"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, output, errors)
    }

    static func finish(_ started: (Process, Pipe, Pipe)) -> Result {
        let output = started.1.fileHandleForReading.readDataToEndOfFile()
        let errors = started.2.fileHandleForReading.readDataToEndOfFile()
        started.0.waitUntilExit()
        return Result(
            status: started.0.terminationStatus, output: String(decoding: output, as: UTF8.self),
            errors: String(decoding: errors, as: UTF8.self))
    }

    static func ctutor(_ arguments: [String], data: String) throws -> Result {
        finish(try start(arguments, data: data))
    }

    /// An OCI layout with one layer of `megabytes` of random bytes.
    static func randomImage(_ scratch: ScratchDirectory, _ name: String, megabytes: Int) throws {
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        var writer = TarWriter()
        writer.file("random.bin", [UInt8](random.readData(ofLength: megabytes << 20)))
        let layer = try ImageFixtures.plainLayer(writer.finished(), scratch: scratch)
        try ImageFixtures.writeOCILayout(scratch.sub(name), layers: [layer], refName: "\(name):1", scratch: scratch)
    }

    @Test("import, list as a table and as JSON, inspect, rm; a mistake is one line saying what to type")
    func commands() throws {
        let scratch = try ScratchDirectory()
        let data = scratch.sub("data")
        let empty = try Self.ctutor(["images"], data: data)
        #expect(empty.status == 0 && empty.output.hasPrefix("NAME"))
        try Self.randomImage(scratch, "random", megabytes: 1)
        let imported = try Self.ctutor(["image", "import", scratch.sub("random")], data: data)
        #expect(imported.status == 0 && imported.output.hasPrefix("imported random:1 ("), "\(imported.errors)")
        let table = try Self.ctutor(["images"], data: data)
        let lines = table.output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.first == ["NAME", "TAG", "ID", "LAYERS", "SIZE", "CREATED"])
        let row = try #require(lines.dropFirst().first)
        #expect(row.count == 6 && row[0] == "random" && row[1] == "1" && row[2].count == 12 && row[3] == "1")
        #expect(row[4].hasSuffix("MB") && row[5] == "2024-01-02")
        let listed = try Self.ctutor(["images", "--json"], data: data)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        #expect(objects.count == 1 && (objects[0]["id"] as? String)?.hasPrefix("sha256:" + row[2]) == true)
        #expect((objects[0]["lowerDirectories"] as? [String])?.first?.hasPrefix(data + "/ctutor/images/layers/") == true)
        let inspected = try Self.ctutor(["image", "inspect", row[2]], data: data)
        #expect(inspected.status == 0 && inspected.output.contains("\"name\" : \"random\""))

        let missing = try Self.ctutor(["image", "inspect", "nothing:1"], data: data)
        #expect(missing.status == 1 && missing.output.isEmpty)
        #expect(
            missing.errors.split(separator: "\n").count == 1
                && missing.errors.hasPrefix("ctutor image inspect: image 'nothing:1': not in the store"))
        #expect(missing.errors.contains("`ctutor images`"))
        let removed = try Self.ctutor(["image", "rm", "random:1"], data: data)
        #expect(removed.status == 0)
        #expect(try Self.ctutor(["images", "--json"], data: data).output.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]")
    }

    @Test("two processes importing at once both land whole; a reader meanwhile always sees a valid index")
    func concurrentImports() throws {
        let scratch = try ScratchDirectory()
        let data = scratch.sub("data")
        try Self.randomImage(scratch, "first", megabytes: 6)
        try Self.randomImage(scratch, "second", megabytes: 6)
        let first = try Self.start(["image", "import", scratch.sub("first")], data: data)
        let second = try Self.start(["image", "import", scratch.sub("second")], data: data)
        var reads = 0
        while first.0.isRunning || second.0.isRunning {
            let listed = try Self.ctutor(["images", "--json"], data: data)
            #expect(listed.status == 0, "\(listed.errors)")
            #expect((try? JSONSerialization.jsonObject(with: Data(listed.output.utf8))) is [Any], "a torn index: \(listed.output)")
            reads += 1
        }
        let results = [Self.finish(first), Self.finish(second)]
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.errors))")
        let store = ImageStore(root: URL(fileURLWithPath: data + "/ctutor/images"))
        #expect(try store.list().map(\.reference) == ["first:1", "second:1"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/ctutor/images/work").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/ctutor/images/layers").count == 2)
        print("index read \(reads) times while two imports ran")
    }
}
