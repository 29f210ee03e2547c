import Foundation
import Testing

@testable import Engine

/// The cache behind the daemon's records and the image index, on real files.
@Suite("Decoded file cache")
struct DecodedFileCacheTests {
    @Test("a file is decoded once while it stays the same, again once it is replaced, and not kept once it is gone")
    func decodesOncePerFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cache = DecodedFileCache<String>()
        var decodes = 0
        func read() -> String {
            cache.value(at: path) {
                decodes += 1
                return (try? String(contentsOfFile: path, encoding: .utf8)) ?? "none"
            }
        }
        try "one".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(read() == "one" && read() == "one")
        #expect(decodes == 1)
        try "two".write(toFile: path, atomically: true, encoding: .utf8)  // renamed into place: a new inode
        #expect(read() == "two")
        #expect(decodes == 2)
        try FileManager.default.removeItem(atPath: path)
        #expect(read() == "none" && read() == "none")
        #expect(decodes == 4, "a missing file is decoded (to nothing) each time, never kept")
        try "three".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(read() == "three")
        cache.forget(path)
        #expect(read() == "three")
        #expect(decodes == 6)
    }
}
