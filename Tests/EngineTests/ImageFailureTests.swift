import Foundation
import Testing

@testable import Engine

/// Every refused import leaves the store exactly as it was: no layer, blob, index
/// change or work directory, as GNU find sees the store before and after.
@Suite("Refused imports leave the store unchanged")
struct ImageFailureTests {
    /// A store that already holds one image, so that it has all its directories.
    static func storeWithOneImage(_ scratch: ScratchDirectory) throws -> [String] {
        var writer = TarWriter()
        writer.file("kept", Array("kept\n".utf8))
        let layer = try ImageFixtures.plainLayer(writer.finished(), scratch: scratch)
        try ImageFixtures.writeOCILayout(scratch.sub("kept"), layers: [layer], refName: "kept:1", scratch: scratch)
        _ = try scratch.store.importImage(at: scratch.sub("kept"))
        let snapshot = try ImageFixtures.snapshot(scratch.sub("store"))
        #expect(snapshot.contains { $0.hasPrefix("index.json f ") } && snapshot.contains { $0.hasPrefix("layers/") })
        return snapshot
    }

    static func twoLayers(_ scratch: ScratchDirectory) throws -> [ImageFixtures.Layer] {
        var first = TarWriter()
        first.file("one", Array(repeating: 1, count: 5000))
        var second = TarWriter()
        second.file("two", Array(repeating: 2, count: 5000))
        return [
            try ImageFixtures.plainLayer(first.finished(), scratch: scratch),
            try ImageFixtures.gzipLayer(second.finished(), scratch: scratch),
        ]
    }

    /// Imports `path`, expecting a refusal of `kind` whose text contains `reason`, and no change to the store.
    static func expectRefused(
        _ path: String, _ kind: ImageError.Kind, _ reason: String, scratch: ScratchDirectory, before: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let error = try #require(throws: ImageError.self, sourceLocation: sourceLocation) { try scratch.store.importImage(at: path) }
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.contains(reason), "\(error)", sourceLocation: sourceLocation)
        #expect(try ImageFixtures.snapshot(scratch.sub("store")) == before, sourceLocation: sourceLocation)
        #expect(try scratch.store.list().map(\.reference) == ["kept:1"], sourceLocation: sourceLocation)
    }

    @Test("a layer blob with one byte flipped is refused by its digest, naming it")
    func flippedByte() throws {
        let scratch = try ScratchDirectory()
        let before = try Self.storeWithOneImage(scratch)
        let layers = try Self.twoLayers(scratch)
        try ImageFixtures.writeOCILayout(scratch.sub("bad"), layers: layers, scratch: scratch)
        let blob = scratch.sub("bad/blobs/sha256/" + layers[1].diffID.dropFirst(7))
        let digest = try ImageFixtures.sha256sum(bytes: layers[1].blob, scratch: scratch)
        let path = scratch.sub("bad/blobs/sha256/" + digest.dropFirst(7))
        #expect(!FileManager.default.fileExists(atPath: blob), "the gzip layer is stored under its blob digest")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try Self.expectRefused(
            scratch.sub("bad"), .corrupt, "not to the digest the manifest names (\(digest))", scratch: scratch, before: before)
    }

    @Test("a truncated archive is refused")
    func truncated() throws {
        let scratch = try ScratchDirectory()
        let before = try Self.storeWithOneImage(scratch)
        let (members, _) = try ImageFixtures.dockerSaveMembers(layers: try Self.twoLayers(scratch), repoTag: "cut:1", scratch: scratch)
        let archive = ImageFixtures.tar(members)
        try scratch.write("cut.tar", Array(archive.prefix(archive.count * 2 / 3)))
        try Self.expectRefused(scratch.sub("cut.tar"), .corrupt, "truncated", scratch: scratch, before: before)
        // Cut inside the second layer's blob, in an OCI layout directory: the size no longer matches.
        let layers = try Self.twoLayers(scratch)
        try ImageFixtures.writeOCILayout(scratch.sub("short"), layers: layers, scratch: scratch)
        let digest = try ImageFixtures.sha256sum(bytes: layers[1].blob, scratch: scratch)
        try Data(layers[1].blob.dropLast(10)).write(to: URL(fileURLWithPath: scratch.sub("short/blobs/sha256/" + digest.dropFirst(7))))
        try Self.expectRefused(
            scratch.sub("short"), .corrupt, "its descriptor says \(layers[1].blob.count)", scratch: scratch, before: before)
    }

    @Test("a configuration naming the wrong diff_id is refused after the first layer was already extracted")
    func wrongDiffID() throws {
        let scratch = try ScratchDirectory()
        let before = try Self.storeWithOneImage(scratch)
        let layers = try Self.twoLayers(scratch)
        let wrong = try ImageFixtures.sha256sum(bytes: Array("something else".utf8), scratch: scratch)
        let config = ImageFixtures.config(diffIDs: [layers[0].diffID, wrong])
        try ImageFixtures.writeOCILayout(scratch.sub("oci"), layers: layers, config: config, scratch: scratch)
        try Self.expectRefused(
            scratch.sub("oci"), .corrupt, "not to the diff_id the configuration names (\(wrong))", scratch: scratch, before: before)
        // docker save carries no layer digests: the diff id is the only check, and it holds.
        let (members, _) = try ImageFixtures.dockerSaveMembers(layers: layers, config: config, repoTag: "wrong:1", scratch: scratch)
        try scratch.write("saved.tar", ImageFixtures.tar(members))
        try Self.expectRefused(scratch.sub("saved.tar"), .corrupt, "(\(wrong))", scratch: scratch, before: before)
    }

    @Test("a docker save configuration whose name is not its digest, and an archive of neither format, are refused")
    func otherRefusals() throws {
        let scratch = try ScratchDirectory()
        let before = try Self.storeWithOneImage(scratch)
        var (members, id) = try ImageFixtures.dockerSaveMembers(layers: try Self.twoLayers(scratch), repoTag: "x:1", scratch: scratch)
        members[0].1 += Array(" ".utf8)
        try scratch.write("renamed.tar", ImageFixtures.tar(members))
        try Self.expectRefused(
            scratch.sub("renamed.tar"), .corrupt, "not to the digest its name gives (\(id))", scratch: scratch, before: before)
        try scratch.write("neither.tar", ImageFixtures.tar([("hello.txt", Array("hi".utf8))]))
        try Self.expectRefused(scratch.sub("neither.tar"), .unsupported, "neither an OCI image layout", scratch: scratch, before: before)
        try Self.expectRefused(scratch.sub("missing.tar"), .notFound, "missing.tar", scratch: scratch, before: before)
    }
}
