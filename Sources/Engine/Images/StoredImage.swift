/// An image in the store: its name, its layers as extracted directories, and the
/// settings a container starts with.
public struct StoredImage: Sendable, Codable, Equatable {
    /// `busybox`, `software-c`; registry prefixes like `docker.io/library/` are dropped.
    public var name: String
    /// `latest`, `5.0`.
    public var tag: String
    /// `sha256:<hex>`: the digest of the image's configuration blob, as Docker's image id.
    public var id: String
    /// Bottom first, as the configuration's `rootfs.diff_ids` lists them.
    public var layers: [StoredLayer]
    public var config: ImageRuntimeConfig
    /// When the image was made (RFC 3339), if its configuration says.
    public var created: String?

    public init(name: String, tag: String, id: String, layers: [StoredLayer], config: ImageRuntimeConfig, created: String?) {
        self.name = name
        self.tag = tag
        self.id = id
        self.layers = layers
        self.config = config
        self.created = created
    }

    /// `name:tag`.
    public var reference: String { "\(name):\(tag)" }

    /// The sum of the layers' sizes, in bytes.
    public var size: Int64 { layers.reduce(0) { $0 + $1.size } }

    /// The extracted layer directories, TOP first, as overlayfs's `lowerdir=` lists them.
    /// A layer that appears twice is listed once, at its upper place: the lower copy
    /// could only show what the upper one already shows, and overlayfs refuses a
    /// directory given twice.
    public var lowerDirectories: [String] {
        var seen = Set<String>()
        return layers.reversed().map(\.directory).filter { seen.insert($0).inserted }
    }
}

/// One layer of a stored image.
public struct StoredLayer: Sendable, Codable, Equatable {
    /// The digest of the layer blob as it came (compressed or not).
    public var digest: String
    /// The digest of the uncompressed tar: the name the configuration gives the layer.
    public var diffID: String
    /// The blob's size in bytes, as it came.
    public var size: Int64
    /// The extracted layer: a directory shared by every image that has this layer.
    public var directory: String
    /// What the extracted layer lacks compared with its archive, e.g. device nodes
    /// that only root can make; empty when nothing.
    public var notes: [String]

    public init(digest: String, diffID: String, size: Int64, directory: String, notes: [String] = []) {
        self.digest = digest
        self.diffID = diffID
        self.size = size
        self.directory = directory
        self.notes = notes
    }
}

/// The settings from an image's configuration that decide how a container starts.
public struct ImageRuntimeConfig: Sendable, Codable, Equatable {
    public var entrypoint: [String]?
    public var cmd: [String]?
    /// `KEY=value` entries.
    public var env: [String]
    public var workingDir: String?
    public var user: String?

    public init(entrypoint: [String]? = nil, cmd: [String]? = nil, env: [String] = [], workingDir: String? = nil, user: String? = nil) {
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.env = env
        self.workingDir = workingDir
        self.user = user
    }
}
