#if canImport(Glibc)
import Glibc
#endif

/// An archive member's name as a list of components inside a layer, and the walk
/// from the layer's root to its parent directory.
///
/// A leading `/` and `.` components are dropped (names are relative to the layer,
/// as every tar reader treats them); a `..` component is refused outright, even one
/// that would come back inside, since what it climbs depends on symlinks. The walk
/// opens one component at a time with `O_NOFOLLOW | O_DIRECTORY`: a symlink on the
/// way is refused, whether an earlier entry planted it or not — resolution by
/// descriptor, never by comparing path strings.
struct LayerPath {
    /// Deepest path accepted: removing a tree recurses once per level.
    static let maximumDepth = 256

    let components: [String]
    /// As written in the archive, for messages.
    let original: String

    init(_ name: String, layer: String) throws {
        original = name
        guard !name.utf8.contains(0) else { throw ImageError(.unsafeEntry, "\(layer): entry '\(name)'", "its name contains a NUL byte") }
        var parts: [String] = []
        for part in name.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            guard part != ".." else {
                throw ImageError(.unsafeEntry, "\(layer): entry '\(name)'", "its name climbs out of the layer with '..'")
            }
            parts.append(String(part))
        }
        guard parts.count <= Self.maximumDepth else {
            throw ImageError(
                .unsupported, "\(layer): entry '\(name)'", "it is \(parts.count) directories deep (at most \(Self.maximumDepth))")
        }
        components = parts
    }

    var isRoot: Bool { components.isEmpty }
    var last: String { components.last ?? "." }
    var display: String { components.isEmpty ? "." : components.joined(separator: "/") }

    /// Opens the directory that holds this path's last component. Missing directories
    /// are made (mode 0755, reported to `created`) when `create` is set.
    func parent(
        in root: DirectoryHandle, layer: String, create: Bool, created: (_ components: [String]) -> Void = { _ in }
    ) throws -> DirectoryHandle {
        var current = root
        for index in components.indices.dropLast() {
            let part = components[index]
            do {
                if create, try !current.exists(part) {
                    current = try current.child(part, creating: 0o755)
                    created(Array(components[...index]))
                } else {
                    current = try current.child(part)
                }
            } catch {
                let walked = components[...index].joined(separator: "/")
                let subject = "\(layer): entry '\(original)'"
                if let info = try? current.status(part), (info.st_mode & S_IFMT) == S_IFLNK {
                    throw ImageError(
                        .unsafeEntry, subject, "its path goes through the symlink '\(walked)' (an entry may not write through a link)")
                }
                let code = (error as? SyscallError)?.errno
                if code == ENOENT { throw ImageError(.corrupt, subject, "'\(walked)' is not in the layer") }
                if code == ENOTDIR { throw ImageError(.corrupt, subject, "'\(walked)' is not a directory") }
                throw ImageError(subject, error)
            }
        }
        return current
    }
}
