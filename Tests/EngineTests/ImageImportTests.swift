import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

@Suite("Importing OCI layouts and docker save archives")
struct ImageImportTests {
    /// Two layers: one written by ctutor's writer, one by GNU tar from a real tree;
    /// the second also deletes a file of the first with a whiteout.
    static func layers(_ scratch: ScratchDirectory, gzipSecond: Bool) throws -> [ImageFixtures.Layer] {
        var writer = TarWriter()
        writer.directory("etc")
        writer.file("etc/motd", Array("from layer one\n".utf8))
        writer.file("etc/old", Array("deleted above\n".utf8))
        writer.directory("bin")
        writer.symlink("bin/sh", to: "/bin/busybox")
        let one = try ImageFixtures.plainLayer(writer.finished(), scratch: scratch)
        try scratch.write("tree/etc/motd", Array("from layer two\n".utf8))
        try scratch.write("tree/etc/.wh.old", [])
        try scratch.write("tree/" + String(repeating: "long-directory/", count: 8) + "data.txt", Array("deep\n".utf8))
        let tar = try ImageFixtures.gnuTarLayer(of: scratch.sub("tree"), scratch: scratch)
        let two = gzipSecond ? try ImageFixtures.gzipLayer(tar, scratch: scratch) : try ImageFixtures.plainLayer(tar, scratch: scratch)
        return [one, two]
    }

    static func expectLayersExtracted(_ image: StoredImage) throws {
        try #require(image.layers.count == 2)
        let bottom = image.layers[0].directory
        let top = image.layers[1].directory
        #expect(image.lowerDirectories == [top, bottom], "lowerdir lists the top layer first")
        #expect(try Witness.text(bottom + "/etc/motd") == "from layer one\n")
        #expect(try Witness.text(top + "/etc/motd") == "from layer two\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: bottom + "/bin/sh") == "/bin/busybox")
        #expect(try Witness.text(top + "/" + String(repeating: "long-directory/", count: 8) + "data.txt") == "deep\n")
        var info = stat()
        #expect(lstat(top + "/etc/old", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR && info.st_rdev == 0, "whiteout is char 0:0")
        #expect(!FileManager.default.fileExists(atPath: top + "/etc/.wh.old"))
    }

    @Test("an OCI layout directory, one layer gzip'd by the real gzip, imports and lists")
    func ociDirectory() throws {
        let scratch = try ScratchDirectory()
        let layers = try Self.layers(scratch, gzipSecond: true)
        let id = try ImageFixtures.writeOCILayout(scratch.sub("layout"), layers: layers, scratch: scratch)
        let imported = try scratch.store.importImage(at: scratch.sub("layout"))
        try #require(imported.count == 1)
        let image = imported[0]
        #expect(image.name == "test/oci" && image.tag == "1.0" && image.id == id)
        #expect(image.layers.map(\.diffID) == layers.map(\.diffID))
        #expect(image.layers[1].digest != image.layers[1].diffID, "the gzip blob's digest differs from the tar's")
        #expect(image.layers[1].size == Int64(layers[1].blob.count))
        #expect(image.config.cmd == ["sh"] && image.created == "2024-01-02T03:04:05Z")
        try Self.expectLayersExtracted(image)
        #expect(try scratch.store.list() == [image])
        #expect(try scratch.store.resolve("test/oci:1.0") == image)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.sub("store/work")).isEmpty)
    }

    @Test("the same layout tarred by GNU tar imports the same image")
    func ociTar() throws {
        let scratch = try ScratchDirectory()
        let layers = try Self.layers(scratch, gzipSecond: false)
        let id = try ImageFixtures.writeOCILayout(scratch.sub("layout"), layers: layers, refName: "latest", scratch: scratch)
        let (status, _) = try Witness.run("tar", ["-C", scratch.sub("layout"), "-cf", scratch.sub("My Image.tar"), "."])
        try #require(status == 0)
        let image = try #require(try scratch.store.importImage(at: scratch.sub("My Image.tar")).first)
        #expect(image.id == id)
        #expect(image.name == "my-image" && image.tag == "latest", "a bare ref.name is a tag; the name comes from the file")
        try Self.expectLayersExtracted(image)
    }

    @Test("a docker save archive written by ctutor's tar writer imports with its repo tag; gzip'd as a whole, too")
    func dockerSave() throws {
        let scratch = try ScratchDirectory()
        let layers = try Self.layers(scratch, gzipSecond: false)
        let (members, id) = try ImageFixtures.dockerSaveMembers(layers: layers, repoTag: "docker.io/library/saved:2", scratch: scratch)
        try scratch.write("saved.tar", ImageFixtures.tar(members))
        let image = try #require(try scratch.store.importImage(at: scratch.sub("saved.tar")).first)
        #expect(image.name == "saved" && image.tag == "2" && image.id == id)
        try Self.expectLayersExtracted(image)

        let (status, _) = try Witness.run("gzip", ["-k", scratch.sub("saved.tar")])
        try #require(status == 0)
        let again = try #require(try scratch.store.importImage(at: scratch.sub("saved.tar.gz")).first)
        #expect(again == image)
        #expect(try scratch.store.list().count == 1)
    }

    @Test("an unpacked docker save directory (GNU tar extracted it) imports; shared layers are extracted once")
    func dockerSaveDirectoryAndSharing() throws {
        let scratch = try ScratchDirectory()
        let layers = try Self.layers(scratch, gzipSecond: false)
        let (members, _) = try ImageFixtures.dockerSaveMembers(layers: layers, repoTag: nil, scratch: scratch)
        for (name, bytes) in members { try scratch.write("unpacked/" + name, bytes) }
        let first = try #require(try scratch.store.importImage(at: scratch.sub("unpacked")).first)
        #expect(first.name == "unpacked" && first.tag == "latest")
        // A second image over the same first layer: its directory is the same one.
        let config = ImageFixtures.config(diffIDs: [layers[0].diffID], cmd: ["true"])
        try ImageFixtures.writeOCILayout(scratch.sub("other"), layers: [layers[0]], config: config, refName: "other:1", scratch: scratch)
        let other = try #require(try scratch.store.importImage(at: scratch.sub("other")).first)
        #expect(other.layers[0].directory == first.layers[0].directory)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.sub("store/layers")).count == 2)
        // Removing one image keeps the layer the other still uses.
        try scratch.store.remove("unpacked")
        #expect(FileManager.default.fileExists(atPath: other.layers[0].directory))
        #expect(!FileManager.default.fileExists(atPath: first.layers[1].directory))
        try scratch.store.remove(String(other.id.dropFirst(7).prefix(10)))
        #expect(try scratch.store.list().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.sub("store/layers")).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.sub("store/blobs/sha256")).isEmpty)
    }
}
