import Foundation

/// The parts of an OCI image configuration (image-spec `config.md`; Docker writes the
/// same shape) that ctutor reads and writes. Unknown fields are ignored on reading.
struct OCIImageConfig: Codable, Equatable {
    struct Settings: Codable, Equatable {
        var user: String?
        var env: [String]?
        var entrypoint: [String]?
        var cmd: [String]?
        var workingDir: String?

        enum CodingKeys: String, CodingKey {
            case user = "User", env = "Env", entrypoint = "Entrypoint", cmd = "Cmd", workingDir = "WorkingDir"
        }
    }

    struct RootFS: Codable, Equatable {
        var type: String
        var diffIDs: [String]

        enum CodingKeys: String, CodingKey {
            case type
            case diffIDs = "diff_ids"
        }
    }

    struct History: Codable, Equatable {
        var created: String?
        var createdBy: String?
        var emptyLayer: Bool?

        enum CodingKeys: String, CodingKey {
            case created
            case createdBy = "created_by"
            case emptyLayer = "empty_layer"
        }
    }

    var created: String?
    var architecture: String?
    var os: String?
    var config: Settings?
    var rootfs: RootFS
    var history: [History]?

    /// Parses a configuration blob; `subject` names it in an error.
    static func decode(_ bytes: [UInt8], subject: String) throws -> OCIImageConfig {
        do {
            return try JSONDecoder().decode(OCIImageConfig.self, from: Data(bytes))
        } catch {
            throw ImageError(.corrupt, subject, "not an image configuration (\(ImageJSON.reason(error)))")
        }
    }

    /// Canonical bytes: keys sorted, no insignificant space, so the same
    /// configuration always has the same digest (and the image the same id).
    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, arrays and optionals cannot fail.
        return Array(try! encoder.encode(self))
    }

    var runtime: ImageRuntimeConfig {
        ImageRuntimeConfig(
            entrypoint: config?.entrypoint, cmd: config?.cmd, env: config?.env ?? [],
            workingDir: config?.workingDir.flatMap { $0.isEmpty ? nil : $0 }, user: config?.user.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The layer diff ids, refusing a configuration whose rootfs is not a layer list.
    func diffIDs(subject: String) throws -> [String] {
        guard rootfs.type == "layers" else {
            throw ImageError(.unsupported, subject, "rootfs type '\(rootfs.type)' (only 'layers' exists)")
        }
        for diffID in rootfs.diffIDs { _ = try ContentDigest.requireHex(diffID, subject: subject) }
        return rootfs.diffIDs
    }

    /// Refuses an image made for another OS or processor: its programs could not run here.
    func checkPlatform(subject: String) throws {
        if let os, os != "linux" { throw ImageError(.unsupported, subject, "the image is for \(os), not linux") }
        if let architecture, architecture != Platform.architecture {
            throw ImageError(.unsupported, subject, "the image is for \(architecture); this machine runs \(Platform.architecture)")
        }
    }
}

/// This machine's OS and processor in OCI's words (`amd64`, `arm64`).
enum Platform {
    static let architecture: String = {
        #if arch(x86_64)
        "amd64"
        #elseif arch(arm64)
        "arm64"
        #elseif arch(arm)
        "arm"
        #elseif arch(i386)
        "386"
        #elseif arch(powerpc64le)
        "ppc64le"
        #elseif arch(s390x)
        "s390x"
        #elseif arch(riscv64)
        "riscv64"
        #else
        "unknown"
        #endif
    }()
}

/// Small helpers for the JSON documents of image archives.
enum ImageJSON {
    /// A decoding error in a few words: the key path and what was wrong.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing '\(key.stringValue)'\(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "wrong type\(path(context))"
        case .dataCorrupted(let context): return "malformed JSON\(path(context))"
        @unknown default: return "\(error)"
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ bytes: [UInt8], subject: String) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw ImageError(.corrupt, subject, "cannot be read (\(reason(error)))")
        }
    }
}
