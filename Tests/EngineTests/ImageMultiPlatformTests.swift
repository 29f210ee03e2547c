import Foundation
import Testing

@testable import Engine

/// The shape Docker 25 and later `docker save`: an OCI layout whose index.json names
/// an image index (one manifest per platform, plus attestations), beside a
/// manifest.json for older readers.
@Suite("Multi-platform OCI indexes")
struct ImageMultiPlatformTests {
    /// Wraps the layout's single manifest in an image index offering `platforms`
    /// (this machine's manifest for `Platform.architecture`, a missing one otherwise).
    static func wrapInIndex(_ layout: String, platforms: [String], scratch: ScratchDirectory) throws {
        let indexURL = URL(fileURLWithPath: layout + "/index.json")
        let top = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: indexURL)) as? [String: Any])
        let manifest = try #require((top["manifests"] as? [[String: Any]])?.first)
        let missing = "sha256:" + String(repeating: "0", count: 64)
        var entries: [[String: Any]] = platforms.map { architecture in
            var entry =
                architecture == Platform.architecture ? manifest : ["mediaType": manifest["mediaType"]!, "digest": missing, "size": 10]
            entry["annotations"] = nil
            entry["platform"] = ["os": "linux", "architecture": architecture]
            return entry
        }
        entries.append([
            "mediaType": manifest["mediaType"]!, "digest": missing, "size": 10, "platform": ["os": "unknown", "architecture": "unknown"],
        ])
        let index = try JSONSerialization.data(withJSONObject: [
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries,
        ])
        let digest = try ImageFixtures.sha256sum(bytes: [UInt8](index), scratch: scratch)
        try index.write(to: URL(fileURLWithPath: layout + "/blobs/sha256/" + digest.dropFirst(7)))
        let annotations = ["io.containerd.image.name": "docker.io/library/multi:3", "org.opencontainers.image.ref.name": "3"]
        let wrapped: [String: Any] = [
            "schemaVersion": 2,
            "manifests": [
                ["mediaType": "application/vnd.oci.image.index.v1+json", "digest": digest, "size": index.count, "annotations": annotations]
            ],
        ]
        try JSONSerialization.data(withJSONObject: wrapped).write(to: indexURL)
        // What older readers use; the OCI side is read when both are there.
        try Data("[{\"Config\":\"missing.json\",\"RepoTags\":[\"wrong:1\"],\"Layers\":[]}]".utf8).write(
            to: URL(fileURLWithPath: layout + "/manifest.json"))
    }

    static func layer(_ scratch: ScratchDirectory) throws -> ImageFixtures.Layer {
        var writer = TarWriter()
        writer.file("hello", Array("multi\n".utf8))
        return try ImageFixtures.plainLayer(writer.finished(), scratch: scratch)
    }

    @Test("this machine's manifest is chosen from the index; other platforms and attestations are not read")
    func choosesThisPlatform() throws {
        let scratch = try ScratchDirectory()
        let id = try ImageFixtures.writeOCILayout(scratch.sub("multi"), layers: [try Self.layer(scratch)], refName: nil, scratch: scratch)
        let other = Platform.architecture == "arm64" ? "amd64" : "arm64"
        try Self.wrapInIndex(scratch.sub("multi"), platforms: [other, Platform.architecture], scratch: scratch)
        let (status, _) = try Witness.run("tar", ["-C", scratch.sub("multi"), "-cf", scratch.sub("multi.tar"), "."])
        try #require(status == 0)
        let images = try scratch.store.importImage(at: scratch.sub("multi.tar"))
        #expect(images.map(\.reference) == ["multi:3"])
        #expect(images.first?.id == id)
        #expect(try Witness.text(try #require(images.first?.layers.first).directory + "/hello") == "multi\n")
    }

    @Test("an index without this machine's platform is refused, listing what it has")
    func noPlatform() throws {
        let scratch = try ScratchDirectory()
        try ImageFixtures.writeOCILayout(scratch.sub("foreign"), layers: [try Self.layer(scratch)], refName: nil, scratch: scratch)
        try Self.wrapInIndex(
            scratch.sub("foreign"), platforms: ["s390x", "riscv64"].filter { $0 != Platform.architecture }, scratch: scratch)
        let error = try #require(throws: ImageError.self) { try scratch.store.importImage(at: scratch.sub("foreign")) }
        #expect(error.kind == .unsupported)
        #expect(error.reason.contains("no image for linux/\(Platform.architecture)") && error.reason.contains("linux/s390x"))
        #expect(try scratch.store.list().isEmpty)
    }

    @Test("a configuration for another processor is refused: its programs could not run here")
    func otherArchitecture() throws {
        let scratch = try ScratchDirectory()
        let layer = try Self.layer(scratch)
        let foreign = Platform.architecture == "arm64" ? "amd64" : "arm64"
        let config = String(decoding: ImageFixtures.config(diffIDs: [layer.diffID]), as: UTF8.self)
            .replacingOccurrences(of: "\"architecture\":\"\(Platform.architecture)\"", with: "\"architecture\":\"\(foreign)\"")
        try ImageFixtures.writeOCILayout(scratch.sub("arch"), layers: [layer], config: Array(config.utf8), scratch: scratch)
        let error = try #require(throws: ImageError.self) { try scratch.store.importImage(at: scratch.sub("arch")) }
        #expect(error.kind == .unsupported && error.reason.contains("for \(foreign)"))
    }
}
