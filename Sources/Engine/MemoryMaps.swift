/// What `/proc/<pid>/maps` says is mapped into a process: one line per mapping,
/// `start-end perms offset dev inode pathname`.
struct MemoryMaps: Equatable {
    /// Each file-backed mapping's path, in address order, each once.
    var files: [String]
    /// Whether the kernel's own shared object, `[vdso]`, is mapped.
    var hasVDSO: Bool

    init(parsing text: String) {
        var files: [String] = []
        var seen: Set<String> = []
        var hasVDSO = false
        for line in text.split(separator: "\n") {
            // The path is whatever follows the fifth field; it may itself hold spaces.
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6 else { continue }
            let path = fields[5].drop { $0 == " " }
            if path == "[vdso]" { hasVDSO = true }
            guard path.hasPrefix("/"), fields[4] != "0", seen.insert(String(path)).inserted else { continue }
            files.append(String(path))
        }
        self.files = files
        self.hasVDSO = hasVDSO
    }

    /// The mapped shared objects: files whose name holds `.so` (`libc.so.6`,
    /// `ld-linux-x86-64.so.2`).
    var sharedLibraries: [String] {
        files.filter { path in
            let name = path.split(separator: "/").last ?? ""
            return name.hasSuffix(".so") || name.contains(".so.")
        }
    }
}
