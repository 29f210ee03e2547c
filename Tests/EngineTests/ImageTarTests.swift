import Foundation
import Testing

@testable import Engine

/// Reads every entry of an in-memory or on-disk tar into a list.
func readEntries(_ path: String) throws -> [(TarEntry, [UInt8])] {
    let file = try OpenFile(reading: path)
    var reader = TarReader(try file.slice(), name: path)
    var entries: [(TarEntry, [UInt8])] = []
    while let entry = try reader.next() {
        var content: [UInt8] = []
        try reader.readContent { content.append(contentsOf: $0) }
        entries.append((entry, content))
    }
    try reader.finish()
    return entries
}

@Suite("Tar reading and writing")
struct ImageTarTests {
    let longName = "deep/" + String(repeating: "directory-name/", count: 12) + "file-with-a-long-name.txt"

    @Test("entries written by ctutor's writer read back the same, long names and links included")
    func roundTrip() throws {
        let scratch = try ScratchDirectory()
        var writer = TarWriter()
        writer.directory("etc", mode: 0o755, mtime: 1_700_000_000)
        writer.file("etc/hostname", Array("box\n".utf8), mode: 0o644, mtime: 1_700_000_001)
        writer.file(longName, Array(repeating: 7, count: 1000))
        writer.file("사진/이름.txt", Array("hangul".utf8))
        writer.symlink("bin/sh", to: "/bin/busybox")
        writer.symlink("long-link", to: "/" + longName)
        writer.hardLink("etc/hostname.copy", to: "etc/hostname")
        try scratch.write("out.tar", writer.finished())
        let entries = try readEntries(scratch.sub("out.tar"))
        #expect(entries.map(\.0.path) == ["etc", "etc/hostname", longName, "사진/이름.txt", "bin/sh", "long-link", "etc/hostname.copy"])
        #expect(entries[1].1 == Array("box\n".utf8) && entries[1].0.mtime == 1_700_000_001 && entries[1].0.mode == 0o644)
        #expect(entries[2].1 == Array(repeating: 7, count: 1000))
        #expect(entries[5].0.kind == .symlink && entries[5].0.linkTarget == "/" + longName)
        #expect(entries[6].0.kind == .hardLink && entries[6].0.linkTarget == "etc/hostname")
        // GNU tar, an independent reader, lists the same names.
        let (status, listing) = try Witness.run("tar", ["--quoting-style=literal", "-tf", scratch.sub("out.tar")])
        #expect(status == 0)
        #expect(listing.split(separator: "\n").map(String.init) == entries.map(\.0.path))
    }

    @Test("archives written by GNU tar, in its gnu and pax formats, read with long names, links and modes")
    func readsGNUTar() throws {
        let scratch = try ScratchDirectory()
        let tree = scratch.sub("tree")
        try scratch.write("tree/" + longName, Array("long".utf8))
        try scratch.write("tree/bin/tool", Array("#!/bin/sh\n".utf8))
        chmod(tree + "/bin/tool", 0o4755)
        symlink("/" + longName, tree + "/link")
        link(tree + "/bin/tool", tree + "/bin/tool2")
        for format in ["gnu", "pax"] {
            try scratch.write("gnu.tar", try ImageFixtures.gnuTarLayer(of: tree, scratch: scratch, format: format))
            let entries = try readEntries(scratch.sub("gnu.tar"))
            let byName = Dictionary(entries.map { ($0.0.path, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byName["./" + longName]?.1 == Array("long".utf8), "\(format)")
            #expect(byName["./bin/tool"]?.0.mode == 0o4755, "\(format)")
            #expect(byName["./link"]?.0.linkTarget == "/" + longName, "\(format)")
            #expect(byName["./bin/tool2"]?.0.kind == .hardLink, "\(format)")
        }
    }

    @Test("a flipped header byte fails the checksum; a cut archive is truncated; both say where")
    func corruptAndTruncated() throws {
        let scratch = try ScratchDirectory()
        var writer = TarWriter()
        writer.file("a", Array(repeating: 1, count: 2000))
        writer.file("b", Array(repeating: 2, count: 10))
        var bytes = writer.finished()
        try scratch.write("cut.tar", Array(bytes.prefix(1200)))
        let cut = try #require(throws: ImageError.self) { try readEntries(scratch.sub("cut.tar")) }
        #expect(cut.kind == .corrupt && cut.reason.contains("truncated"))
        try scratch.write("nomarker.tar", Array(bytes.dropLast(1024)))
        let unmarked = try #require(throws: ImageError.self) { try readEntries(scratch.sub("nomarker.tar")) }
        #expect(unmarked.reason.contains("end-of-archive"))
        bytes[2560 + 3] ^= 0x40
        try scratch.write("flipped.tar", bytes)
        let flipped = try #require(throws: ImageError.self) { try readEntries(scratch.sub("flipped.tar")) }
        #expect(flipped.reason.contains("checksum") && flipped.reason.contains("byte 2560"))
    }

    @Test("gzip from the real gzip decompresses, also as two members; a cut gzip stream is refused")
    func gunzip() throws {
        let scratch = try ScratchDirectory()
        let text = Array((0..<200_000).map { UInt8(truncatingIfNeeded: $0 % 251) })
        let layer = try ImageFixtures.gzipLayer(text, scratch: scratch)
        let second = try ImageFixtures.gzipLayer(Array("tail".utf8), scratch: scratch)
        try scratch.write("two.gz", layer.blob + second.blob)
        var source = try GunzipSource(try OpenFile(reading: scratch.sub("two.gz")).slice(), name: "two.gz")
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            output += chunk[..<count]
        }
        #expect(output == text + Array("tail".utf8))
        try scratch.write("cut.gz", Array(layer.blob.prefix(layer.blob.count / 2)))
        var cut = try GunzipSource(try OpenFile(reading: scratch.sub("cut.gz")).slice(), name: "cut.gz")
        let error = try #require(throws: ImageError.self) { try cut.drain() }
        #expect(error.reason.contains("truncated"))
    }
}
