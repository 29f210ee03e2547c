import Foundation
import Testing

@testable import Engine

@Suite("SHA-256 for image digests")
struct ImageDigestTests {
    @Test("FIPS 180-4 example messages give their published digests")
    func fipsVectors() {
        #expect(ContentDigest.of(Array("abc".utf8)) == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentDigest.of([]) == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            ContentDigest.of(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            ContentDigest.of([UInt8](repeating: 0x61, count: 1_000_000))
                == "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("pieces of every size hash like the whole, across the 55/56/64-byte padding edges")
    func chunking() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for length in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 300] {
            let whole = ContentDigest.of(Array(bytes.prefix(length)))
            for piece in [1, 3, 64, 100] {
                let hasher = ContentHasher()
                var offset = 0
                while offset < length {
                    hasher.update(Array(bytes[offset..<min(offset + piece, length)]))
                    offset += piece
                }
                #expect(hasher.finish() == whole, "length \(length) in pieces of \(piece)")
            }
        }
    }

    @Test("a file of several megabytes hashes as coreutils' sha256sum says, and fast enough for layers")
    func matchesSha256sum() throws {
        let scratch = try ScratchDirectory()
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        try scratch.write("random", [UInt8](random.readData(ofLength: 8 << 20)))
        let file = try OpenFile(reading: scratch.sub("random"))
        var source = HashingSource(base: try file.slice(), hasher: ContentHasher())
        let start = Date()
        try source.drain()
        let seconds = Date().timeIntervalSince(start)
        #expect(source.hasher.finish() == (try ImageFixtures.sha256sum(scratch.sub("random"))))
        print("sha256 of 8 MiB through the layer pipeline: \(String(format: "%.3f", seconds)) s")
        #expect(seconds < 5, "8 MiB took \(seconds) s")
    }

    @Test("digests are checked for form: sha256 and 64 lowercase hex digits")
    func digestForm() throws {
        #expect(ContentDigest.hex(of: "sha256:" + String(repeating: "a", count: 64)) != nil)
        #expect(ContentDigest.hex(of: "sha256:" + String(repeating: "A", count: 64)) == nil)
        #expect(ContentDigest.hex(of: "sha256:abc") == nil)
        #expect(throws: ImageError.self) { try ContentDigest.requireHex("sha512:" + String(repeating: "a", count: 128), subject: "x") }
        let error = try #require(throws: ImageError.self) { try ContentDigest.requireHex("sha512:ab", subject: "x") }
        #expect(error.kind == .unsupported)
    }
}
