import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// A scratch directory for one test, removed with everything in it when the test
/// drops it (made writable first: layers hold read-only directories).
final class ScratchDirectory {
    let url: URL
    var path: String { url.path }

    init(_ label: String = #function) throws {
        let stem = label.filter { $0.isLetter || $0.isNumber }.prefix(40)
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ctutor-image-\(stem)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    }

    deinit {
        _ = try? Witness.run("chmod", ["-R", "u+rwX", url.path])
        try? FileManager.default.removeItem(at: url)
    }

    func sub(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }

    /// A store inside this directory.
    var store: ImageStore { ImageStore(root: url.appendingPathComponent("store")) }
}

/// Image archives made by the tests from layer tars, in the two formats the store reads.
enum ImageFixtures {
    /// `sha256:` and the hex digits GNU coreutils' sha256sum prints: an independent hash.
    static func sha256sum(_ path: String) throws -> String {
        let (status, output) = try Witness.run("sha256sum", [path])
        try #require(status == 0)
        return "sha256:" + String(output.prefix(64))
    }

    static func sha256sum(bytes: [UInt8], scratch: ScratchDirectory) throws -> String {
        let name = "hash-\(UUID().uuidString)"
        try scratch.write(name, bytes)
        defer { try? FileManager.default.removeItem(atPath: scratch.sub(name)) }
        return try sha256sum(scratch.sub(name))
    }

    /// A minimal image configuration for layers with these diff ids.
    static func config(diffIDs: [String], cmd: [String] = ["sh"]) -> [UInt8] {
        let ids = diffIDs.map { "\"\($0)\"" }.joined(separator: ",")
        let command = cmd.map { "\"\($0)\"" }.joined(separator: ",")
        return Array(
            """
            {"architecture":"\(Platform.architecture)","os":"linux","config":{"Cmd":[\(command)],"Env":["PATH=/bin"]},\
            "rootfs":{"type":"layers","diff_ids":[\(ids)]},"created":"2024-01-02T03:04:05Z"}
            """.utf8)
    }

    /// A layer as an archive carries it: the blob, and the uncompressed tar's digest.
    struct Layer {
        var blob: [UInt8]
        var diffID: String
        var gzip = false
    }

    /// A tar layer whose blob is the tar itself.
    static func plainLayer(_ tar: [UInt8], scratch: ScratchDirectory) throws -> Layer {
        Layer(blob: tar, diffID: try sha256sum(bytes: tar, scratch: scratch))
    }

    /// A layer compressed by the real `gzip -n`.
    static func gzipLayer(_ tar: [UInt8], scratch: ScratchDirectory) throws -> Layer {
        let name = "gz-\(UUID().uuidString)"
        try scratch.write(name, tar)
        let (status, _) = try Witness.run("gzip", ["-n", "-9", scratch.sub(name)])
        try #require(status == 0)
        let blob = [UInt8](try Data(contentsOf: URL(fileURLWithPath: scratch.sub(name + ".gz"))))
        try FileManager.default.removeItem(atPath: scratch.sub(name + ".gz"))
        return Layer(blob: blob, diffID: try sha256sum(bytes: tar, scratch: scratch), gzip: true)
    }

    /// A layer tar made by GNU tar from a directory tree.
    static func gnuTarLayer(of directory: String, scratch: ScratchDirectory, format: String = "gnu") throws -> [UInt8] {
        let out = scratch.sub("gnu-\(UUID().uuidString).tar")
        let (status, _) = try Witness.run("tar", ["--format=\(format)", "--sort=name", "-C", directory, "-cf", out, "."])
        try #require(status == 0)
        defer { try? FileManager.default.removeItem(atPath: out) }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
    }

    /// Writes an OCI image layout into `directory`; returns the config digest (the image id).
    @discardableResult
    static func writeOCILayout(
        _ directory: String, layers: [Layer], config: [UInt8]? = nil, refName: String? = "test/oci:1.0", scratch: ScratchDirectory
    ) throws -> String {
        let root = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("blobs/sha256"), withIntermediateDirectories: true)
        func put(_ bytes: [UInt8]) throws -> String {
            let digest = try sha256sum(bytes: bytes, scratch: scratch)
            try Data(bytes).write(to: root.appendingPathComponent("blobs/sha256/" + digest.dropFirst(7)))
            return digest
        }
        let configBytes = config ?? self.config(diffIDs: layers.map(\.diffID))
        let configDigest = try put(configBytes)
        var layerDescriptors: [String] = []
        for layer in layers {
            let type = layer.gzip ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.oci.image.layer.v1.tar"
            layerDescriptors.append("{\"mediaType\":\"\(type)\",\"digest\":\"\(try put(layer.blob))\",\"size\":\(layer.blob.count)}")
        }
        let manifest = Array(
            """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
            "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(configDigest)","size":\(configBytes.count)},\
            "layers":[\(layerDescriptors.joined(separator: ","))]}
            """.utf8)
        let manifestDigest = try put(manifest)
        let annotations = refName.map { ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"\($0)\"}" } ?? ""
        let index = """
            {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",\
            "digest":"\(manifestDigest)","size":\(manifest.count)\(annotations)}]}
            """
        try Data(index.utf8).write(to: root.appendingPathComponent("index.json"))
        try Data("{\"imageLayoutVersion\":\"1.0.0\"}".utf8).write(to: root.appendingPathComponent("oci-layout"))
        return configDigest
    }

    /// The members of an old-style `docker save` archive: `<hex>.json`, `<n>/layer.tar`, `manifest.json`.
    static func dockerSaveMembers(layers: [Layer], config: [UInt8]? = nil, repoTag: String?, scratch: ScratchDirectory) throws -> (
        members: [(String, [UInt8])], id: String
    ) {
        let configBytes = config ?? self.config(diffIDs: layers.map(\.diffID))
        let id = try sha256sum(bytes: configBytes, scratch: scratch)
        var members: [(String, [UInt8])] = [("\(id.dropFirst(7)).json", configBytes)]
        for (index, layer) in layers.enumerated() { members.append(("layer\(index)/layer.tar", layer.blob)) }
        let tags = repoTag.map { "[\"\($0)\"]" } ?? "null"
        let layerNames = layers.indices.map { "\"layer\($0)/layer.tar\"" }.joined(separator: ",")
        let manifest = "[{\"Config\":\"\(id.dropFirst(7)).json\",\"RepoTags\":\(tags),\"Layers\":[\(layerNames)]}]"
        members.append(("manifest.json", Array(manifest.utf8)))
        return (members, id)
    }

    /// A tar of named files, written by ctutor's own writer.
    static func tar(_ members: [(String, [UInt8])]) -> [UInt8] {
        var writer = TarWriter()
        for (name, bytes) in members { writer.file(name, bytes) }
        return writer.finished()
    }

    /// Every path under `root` with its type, size and mode, as GNU find sees it: to
    /// check that a refused change left the store exactly as it was.
    static func snapshot(_ root: String) throws -> [String] {
        let (status, output) = try Witness.run("find", [root, "-printf", "%P %y %s %m\n"])
        try #require(status == 0)
        return output.split(separator: "\n").map(String.init).sorted()
    }
}
