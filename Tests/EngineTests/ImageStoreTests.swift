import Foundation
import Testing

@testable import Engine

@Suite("The image store: where it lives, names, ids, removal")
struct ImageStoreTests {
    @Test("the learner's store is $XDG_DATA_HOME/ctutor/images, else ~/.local/share/ctutor/images")
    func location() {
        #expect(ImageStore.forCurrentUser(environment: ["XDG_DATA_HOME": "/x/data", "HOME": "/h"]).root.path == "/x/data/ctutor/images")
        #expect(ImageStore.forCurrentUser(environment: ["HOME": "/h"]).root.path == "/h/.local/share/ctutor/images")
        #expect(
            ImageStore.forCurrentUser(environment: ["XDG_DATA_HOME": "relative", "HOME": "/h"]).root.path == "/h/.local/share/ctutor/images"
        )
    }

    @Test("references: name, name:tag, Docker Hub prefixes, invalid names")
    func references() {
        #expect(ImageReference.nameAndTag("busybox")! == ("busybox", "latest"))
        #expect(ImageReference.nameAndTag("software-c:5.0")! == ("software-c", "5.0"))
        #expect(ImageReference.nameAndTag("docker.io/library/busybox:1.36")! == ("busybox", "1.36"))
        #expect(ImageReference.nameAndTag("localhost:5000/team/app")! == ("localhost:5000/team/app", "latest"))
        #expect(ImageReference.nameAndTag("Busybox") == nil)
        #expect(ImageReference.nameAndTag("busybox@sha256:abc") == nil)
        #expect(ImageReference.nameAndTag("busybox:-x") == nil)
    }

    static func record(_ name: String, _ tag: String, _ hex: String) -> StoreIndex.Image {
        StoreIndex.Image(
            name: name, tag: tag, id: "sha256:" + hex + String(repeating: "0", count: 64 - hex.count), layers: [], config: .init())
    }

    @Test("ids resolve by any unique prefix, with or without sha256:; a shared prefix is ambiguous")
    func idPrefixes() throws {
        let images = [
            Self.record("a", "1", "ab12"), Self.record("a", "2", "ab12"), Self.record("b", "1", "ab99"), Self.record("c", "1", "cd"),
        ]
        #expect(try ImageStore.single(ImageReference.match("ab1", in: images), "ab1").reference == "a:1")
        #expect(try ImageStore.single(ImageReference.match("sha256:ab9", in: images), "sha256:ab9").reference == "b:1")
        #expect(try ImageStore.single(ImageReference.match("c:1", in: images), "c:1").reference == "c:1")
        let ambiguous = try #require(throws: ImageError.self) { try ImageStore.single(ImageReference.match("ab", in: images), "ab") }
        #expect(ambiguous.kind == .ambiguous && ambiguous.reason.contains("2 images"))
        let missing = try #require(throws: ImageError.self) { try ImageStore.single(ImageReference.match("zz:1", in: images), "zz:1") }
        #expect(missing.kind == .notFound && missing.description.contains("`ctutor images`"))
    }

    static func importSmall(_ scratch: ScratchDirectory, _ name: String, content: String, refName: String) throws -> StoredImage {
        var writer = TarWriter()
        writer.file("data", Array(content.utf8))
        let layer = try ImageFixtures.plainLayer(writer.finished(), scratch: scratch)
        try ImageFixtures.writeOCILayout(scratch.sub(name), layers: [layer], refName: refName, scratch: scratch)
        return try #require(try scratch.store.importImage(at: scratch.sub(name)).first)
    }

    @Test("a new image under a taken name:tag replaces it, and the old layer goes; an empty store lists nothing")
    func replaceAndCollect() throws {
        let scratch = try ScratchDirectory()
        #expect(try scratch.store.list().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: scratch.sub("store")), "listing does not create the store")
        let old = try Self.importSmall(scratch, "old", content: "old", refName: "app:1")
        let new = try Self.importSmall(scratch, "new", content: "new", refName: "app:1")
        #expect(old.id != new.id)
        #expect(try scratch.store.list() == [new])
        #expect(!FileManager.default.fileExists(atPath: old.layers[0].directory))
        let gone = try #require(throws: ImageError.self) { try scratch.store.resolve(String(old.id.dropFirst(7).prefix(12))) }
        #expect(gone.kind == .notFound)
    }

    @Test("rm by name:tag keeps the image's other tags; rm by id removes them all")
    func removeTags() throws {
        let scratch = try ScratchDirectory()
        var writer = TarWriter()
        writer.file("data", Array("shared".utf8))
        let layer = try ImageFixtures.plainLayer(writer.finished(), scratch: scratch)
        let (members, id) = try ImageFixtures.dockerSaveMembers(layers: [layer], repoTag: "one:1", scratch: scratch)
        var patched = members
        let manifest = String(decoding: members[members.count - 1].1, as: UTF8.self)
        patched[patched.count - 1].1 = Array(manifest.replacingOccurrences(of: "[\"one:1\"]", with: "[\"one:1\",\"two:2\"]").utf8)
        try scratch.write("tags.tar", ImageFixtures.tar(patched))
        #expect(try scratch.store.importImage(at: scratch.sub("tags.tar")).map(\.reference) == ["one:1", "two:2"])
        try scratch.store.remove("one:1")
        #expect(try scratch.store.list().map(\.reference) == ["two:2"])
        #expect(FileManager.default.fileExists(atPath: try scratch.store.resolve("two:2").layers[0].directory))
        #expect(try scratch.store.importImage(at: scratch.sub("tags.tar")).count == 2)
        try scratch.store.remove(String(id.dropFirst(7).prefix(8)))
        #expect(try scratch.store.list().isEmpty)
        let gone = try #require(throws: ImageError.self) { try scratch.store.remove("one:1") }
        #expect(gone.kind == .notFound)
    }
}
