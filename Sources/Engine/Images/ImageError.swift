/// Why an image operation failed, in one line: what was being handled, which file,
/// entry or digest, and why — with what to type instead when there is something.
///
/// `layer sha256:3f1a… in busybox.tar: its content hashes to sha256:77c0…, not the digest the manifest names`
public struct ImageError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// No image by that reference, or a file the archive names is not in it.
        case notFound
        /// A short id that more than one image starts with.
        case ambiguous
        /// Bytes that are not what they claim: a digest, a size, a truncated or malformed archive.
        case corrupt
        /// A layer entry that would write outside its layer (`..`, a symlink on the way, a hard link out).
        case unsafeEntry
        /// Valid, but a form ctutor does not read (zstd layers, sparse files, another architecture).
        case unsupported
        /// `/bin/busybox` from Debian's busybox-static is not there or is not static.
        case missingBusybox
        /// A recipe that cannot be built as written.
        case invalidRecipe
        /// A system call on the store or the input failed.
        case io
    }

    public var kind: Kind
    /// What was being handled: a file, an archive member, a layer entry, a digest.
    public var subject: String
    /// Why it failed.
    public var reason: String
    /// What to type instead, when there is something to type.
    public var hint: String?

    public init(_ kind: Kind, _ subject: String, _ reason: String, hint: String? = nil) {
        self.kind = kind
        self.subject = subject
        self.reason = reason
        self.hint = hint
    }

    /// A failure while handling `subject`: a failed system call becomes `.io` naming
    /// the call and errno; an `ImageError` already says what it is and stays as it is.
    init(_ subject: String, _ failure: any Error) {
        if let failure = failure as? ImageError {
            self = failure
        } else {
            self.init(.io, subject, "\(failure)")
        }
    }

    public var description: String {
        var line = "\(subject): \(reason)"
        if let hint { line += " (\(hint))" }
        return line
    }

    /// The same error, its subject placed inside `context` (an archive, a recipe).
    func within(_ context: String) -> ImageError {
        var copy = self
        copy.subject = subject == context ? context : "\(context): \(subject)"
        return copy
    }
}
