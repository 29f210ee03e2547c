import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// Hostile layer entries, each imported for real: refused, or kept inside the layer.
/// A canary directory beside the store, and the host's own /etc, show that nothing
/// was written outside.
@Suite("Layer extraction never writes outside the layer")
struct ImageExtractionSafetyTests {
    struct Attempt {
        let scratch: ScratchDirectory
        let outside: String

        init() throws {
            scratch = try ScratchDirectory()
            outside = scratch.sub("outside")
            try scratch.write("outside/canary", Array("untouched\n".utf8))
        }

        /// Imports one layer made of `build`'s entries as an OCI layout.
        func importLayer(_ name: String, _ build: (inout TarWriter) -> Void) throws -> StoredImage {
            var writer = TarWriter()
            build(&writer)
            let layer = try ImageFixtures.plainLayer(writer.finished(), scratch: scratch)
            try ImageFixtures.writeOCILayout(scratch.sub(name), layers: [layer], refName: "\(name):1", scratch: scratch)
            return try #require(try scratch.store.importImage(at: scratch.sub(name)).first)
        }

        func refused(_ name: String, _ build: (inout TarWriter) -> Void) throws -> ImageError {
            try #require(throws: ImageError.self) { try importLayer(name, build) }
        }

        /// The canary directory holds only the canary, unchanged; the store has no leftovers.
        func expectNothingOutside(sourceLocation: SourceLocation = #_sourceLocation) throws {
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["canary"], sourceLocation: sourceLocation)
            #expect(try Witness.text(outside + "/canary") == "untouched\n", sourceLocation: sourceLocation)
            let work = scratch.sub("store/work")
            if FileManager.default.fileExists(atPath: work) {
                #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty, sourceLocation: sourceLocation)
            }
        }

        /// `outside` as a path relative to `/`, for entries that go through a symlink to `/`.
        var outsideFromRoot: String { String(outside.drop { $0 == "/" }) }
    }

    @Test("`../../x` is refused for its '..'")
    func dotDot() throws {
        let attempt = try Attempt()
        let error = try attempt.refused("dotdot") { $0.file("../../outside/x", Array("x".utf8)) }
        #expect(error.kind == .unsafeEntry && error.reason.contains("'..'"))
        let deep = try attempt.refused("deep") { $0.file("a/../../../../../../../../" + attempt.outsideFromRoot + "/x", []) }
        #expect(deep.kind == .unsafeEntry)
        try attempt.expectNothingOutside()
    }

    @Test("an absolute name lands inside the layer, not in the host's /etc")
    func absoluteName() throws {
        let attempt = try Attempt()
        let name = "ctutor-canary-\(UUID().uuidString)"
        let image = try attempt.importLayer("absolute") { $0.file("/etc/\(name)", Array("inside\n".utf8)) }
        #expect(try Witness.text(image.layers[0].directory + "/etc/" + name) == "inside\n")
        #expect(!FileManager.default.fileExists(atPath: "/etc/" + name))
        try attempt.expectNothingOutside()
    }

    @Test("a symlink to / and then a file through it is refused; so is one planted to the canary directory")
    func symlinkToRoot() throws {
        let attempt = try Attempt()
        let error = try attempt.refused("root") { writer in
            writer.symlink("evil", to: "/")
            writer.file("evil/" + attempt.outsideFromRoot + "/x", Array("escaped".utf8))
        }
        #expect(error.kind == .unsafeEntry && error.reason.contains("symlink 'evil'"))
        let direct = try attempt.refused("direct") { writer in
            writer.symlink("d", to: attempt.outside)
            writer.file("d/x", Array("escaped".utf8))
        }
        #expect(direct.kind == .unsafeEntry)
        try attempt.expectNothingOutside()
    }

    @Test("a symlink to .. and then a file through it is refused")
    func symlinkToParent() throws {
        let attempt = try Attempt()
        let error = try attempt.refused("parent") { writer in
            writer.directory("a")
            writer.symlink("a/up", to: "..")
            writer.symlink("a/upup", to: "../../../..")
            writer.file("a/upup/x", Array("escaped".utf8))
        }
        #expect(error.kind == .unsafeEntry && error.reason.contains("a/upup"))
        try attempt.expectNothingOutside()
    }

    @Test("a hard link to /etc/passwd, or out of the layer, is refused; the host file keeps its link count")
    func hardLinks() throws {
        let attempt = try Attempt()
        var before = stat()
        try #require(stat("/etc/passwd", &before) == 0)
        let error = try attempt.refused("passwd") { $0.hardLink("passwd", to: "/etc/passwd") }
        #expect(error.kind == .corrupt && error.reason.contains("not an earlier entry"))
        let climbing = try attempt.refused("climbing") { $0.hardLink("canary", to: "../../../outside/canary") }
        #expect(climbing.kind == .unsafeEntry)
        let through = try attempt.refused("through") { writer in
            writer.symlink("o", to: attempt.outside)
            writer.hardLink("canary", to: "o/canary")
        }
        #expect(through.kind == .unsafeEntry)
        var after = stat()
        #expect(stat("/etc/passwd", &after) == 0 && after.st_nlink == before.st_nlink)
        try attempt.expectNothingOutside()
    }

    @Test("an entry over a planted symlink replaces the link and writes inside")
    func replacesPlantedSymlink() throws {
        let attempt = try Attempt()
        let image = try attempt.importLayer("replace") { writer in
            writer.symlink("file", to: attempt.outside + "/canary")
            writer.file("file", Array("inside\n".utf8))
            writer.symlink("dir", to: attempt.outside)
            writer.directory("dir")
            writer.file("dir/x", Array("inside\n".utf8))
        }
        let layer = image.layers[0].directory
        #expect(try Witness.text(layer + "/file") == "inside\n")
        #expect(try Witness.text(layer + "/dir/x") == "inside\n")
        var info = stat()
        #expect(lstat(layer + "/dir", &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR)
        try attempt.expectNothingOutside()
    }

    @Test("a symlink in a lower layer cannot redirect an upper layer: each layer has its own directory")
    func symlinkFromLowerLayer() throws {
        let attempt = try Attempt()
        var lower = TarWriter()
        lower.symlink("evil", to: "/")
        var upper = TarWriter()
        upper.file("evil/" + attempt.outsideFromRoot + "/x", Array("in the upper layer\n".utf8))
        let layers = [
            try ImageFixtures.plainLayer(lower.finished(), scratch: attempt.scratch),
            try ImageFixtures.plainLayer(upper.finished(), scratch: attempt.scratch),
        ]
        try ImageFixtures.writeOCILayout(attempt.scratch.sub("stacked"), layers: layers, scratch: attempt.scratch)
        let image = try #require(try attempt.scratch.store.importImage(at: attempt.scratch.sub("stacked")).first)
        let upperFile = image.layers[1].directory + "/evil/" + attempt.outsideFromRoot + "/x"
        #expect(try Witness.text(upperFile) == "in the upper layer\n")
        try attempt.expectNothingOutside()
    }
}
