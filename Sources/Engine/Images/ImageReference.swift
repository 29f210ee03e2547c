/// What a learner types to name an image: `busybox`, `busybox:latest`,
/// `docker.io/library/busybox:1.36`, `software-c:5.0`, or an id prefix (`sha256:ab12`, `ab12`).
enum ImageReference {
    /// The registry prefixes that name Docker Hub's official images, dropped so
    /// `docker.io/library/busybox` and `busybox` are one name.
    static let dockerHubPrefixes = ["docker.io/library/", "index.docker.io/library/", "docker.io/", "library/"]

    /// `name:tag` from a reference; the tag is `latest` when none is given. `nil` for
    /// something that is not a valid name (a digest reference `name@sha256:…` included).
    static func nameAndTag(_ text: String) -> (name: String, tag: String)? {
        guard !text.contains("@") else { return nil }
        var name = text
        var tag = "latest"
        if let colon = text.lastIndex(of: ":"), !text[colon...].contains("/") {
            name = String(text[..<colon])
            tag = String(text[text.index(after: colon)...])
        }
        for prefix in dockerHubPrefixes where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
            break
        }
        guard isValidName(name), isValidTag(tag) else { return nil }
        return (name, tag)
    }

    /// Docker's repository name rule: lowercase letters and digits, separated by
    /// `.`, `_`, `__`, `-` runs, in `/`-separated parts; a registry host may have a port.
    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 255 else { return false }
        return name.split(separator: "/", omittingEmptySubsequences: false).enumerated().allSatisfy { index, part in
            guard let first = part.first, let last = part.last, first.isAlnumLower, last.isAlnumLower || (index == 0 && last.isNumber)
            else { return false }
            return part.allSatisfy { $0.isAlnumLower || $0 == "." || $0 == "_" || $0 == "-" || (index == 0 && $0 == ":") }
        }
    }

    /// Docker's tag rule: up to 128 of letters, digits, `_`, `.`, `-`, not starting with `.` or `-`.
    static func isValidTag(_ tag: String) -> Bool {
        guard let first = tag.first, tag.count <= 128, first != ".", first != "-" else { return false }
        return tag.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == "." || $0 == "-" }
    }

    /// The hex digits of an id reference (`sha256:ab12`, `ab12`); `nil` when it is not one.
    static func idPrefix(_ text: String) -> String? {
        let hex = text.hasPrefix(ContentDigest.prefix) ? String(text.dropFirst(ContentDigest.prefix.count)) : text
        guard !hex.isEmpty, hex.utf8.count <= 64, hex.utf8.allSatisfy(ContentDigest.isLowerHex) else { return nil }
        return hex
    }

    /// The images `reference` names: by name and tag first, then by id prefix.
    static func match(_ reference: String, in images: [StoreIndex.Image]) throws -> [StoreIndex.Image] {
        if !reference.hasPrefix(ContentDigest.prefix), let (name, tag) = nameAndTag(reference),
            let image = images.first(where: { $0.name == name && $0.tag == tag })
        {
            return [image]
        }
        guard let hex = idPrefix(reference) else {
            if nameAndTag(reference) == nil && !reference.hasPrefix(ContentDigest.prefix) {
                throw ImageError(
                    .notFound, "'\(reference)'", "not an image name (lowercase name, optional :tag) or id", hint: "see `ctutor images`")
            }
            return []
        }
        return images.filter { ContentDigest.hex(of: $0.id)?.hasPrefix(hex) == true }
    }
}

extension Character {
    fileprivate var isAlnumLower: Bool { isASCII && (isLowercase || isNumber) }
}
