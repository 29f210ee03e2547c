import Foundation

/// Images, as containerd keeps them for the daemon: the engine's local store. There
/// is no registry: a "pull" resolves the reference in the store (making the busybox
/// base from Debian's busybox-static on first use) and reports it as a pull would.
extension Containerd {
    /// One step of a pull, as Docker's JSON progress stream carries it.
    public struct PullProgress: Sendable, Equatable {
        public var status: String
        /// The layer (12 hex digits) or the tag the line is about.
        public var id: String?
    }

    /// `docker.io/library/busybox` → `busybox`: Docker Hub's default prefixes dropped.
    public static func localReference(_ image: String, tag: String?) -> String {
        var name = image
        for prefix in ["docker.io/", "index.docker.io/", "registry-1.docker.io/"] where name.hasPrefix(prefix) {
            name.removeFirst(prefix.count)
        }
        if name.hasPrefix("library/") { name.removeFirst("library/".count) }
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
        let hasTag = name.split(separator: "/").last?.contains(":") ?? false
        return hasTag ? name : name + ":" + (tag.flatMap { $0.isEmpty ? nil : $0 } ?? "latest")
    }

    /// "Pulls" `reference` from the local store, telling `progress` each step.
    public func pull(_ reference: String, progress: (PullProgress) -> Void) throws(ContainerdError) -> StoredImage {
        let name = reference.split(separator: ":").first.map(String.init) ?? reference
        let tag = reference.split(separator: ":").dropFirst().first.map(String.init) ?? "latest"
        let wasStored = ((try? images.list()) ?? []).contains { $0.reference == reference }
        progress(PullProgress(status: "Pulling from local store \(name) (ctutor has no registry)", id: tag))
        let image: StoredImage
        do {
            image = try images.resolve(reference)
        } catch {
            throw .noSuchImage(
                "\(reference): pull access denied, ctutor daemon has no registry; the local store has "
                    + (((try? images.list()) ?? []).map(\.reference).joined(separator: ", ")))
        }
        for layer in image.layers {
            let short = String((ContentDigest.hex(of: layer.digest) ?? layer.digest).prefix(12))
            progress(PullProgress(status: wasStored ? "Already exists" : "Pull complete", id: short))
        }
        progress(PullProgress(status: "Digest: \(image.id)", id: nil))
        progress(
            PullProgress(
                status: wasStored
                    ? "Status: Image is up to date for \(image.reference)" : "Status: Downloaded newer image for \(image.reference)",
                id: nil))
        return image
    }
}
