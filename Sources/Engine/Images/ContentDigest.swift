import CShim

/// A running SHA-256 over bytes as they stream past, with their count.
///
/// Shared by reference: a stream stage feeds it and the importer reads the result
/// once the stream is drained.
final class ContentHasher {
    private var context = ctutor_sha256()
    private(set) var count: Int64 = 0

    init() {
        ctutor_sha256_init(&context)
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        ctutor_sha256_update(&context, base, bytes.count)
        count += Int64(bytes.count)
    }

    func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// `sha256:<64 hex digits>`; the hasher starts over afterwards.
    func finish() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        ctutor_sha256_final(&context, &digest)
        count = 0
        return ContentDigest.prefix + ContentDigest.hex(digest)
    }
}

/// Content digests as OCI writes them: `sha256:` and 64 lowercase hex digits.
enum ContentDigest {
    static let prefix = "sha256:"

    static func of(_ bytes: [UInt8]) -> String {
        let hasher = ContentHasher()
        hasher.update(bytes)
        return hasher.finish()
    }

    /// The 64 hex digits of a valid `sha256:` digest; `nil` for anything else.
    static func hex(of digest: String) -> String? {
        guard digest.hasPrefix(prefix) else { return nil }
        let hex = digest.dropFirst(prefix.count)
        guard hex.utf8.count == 64, hex.utf8.allSatisfy(isLowerHex) else { return nil }
        return String(hex)
    }

    /// The hex digits of a digest that must be valid, or why it is not.
    static func requireHex(_ digest: String, subject: String) throws -> String {
        if let hex = hex(of: digest) { return hex }
        if let colon = digest.firstIndex(of: ":"), digest[..<colon] != "sha256" {
            throw ImageError(.unsupported, subject, "digest '\(digest)' uses \(digest[..<colon]); ctutor reads sha256 only")
        }
        throw ImageError(.corrupt, subject, "'\(digest)' is not a digest (sha256: and 64 lowercase hex digits)")
    }

    static func isLowerHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
