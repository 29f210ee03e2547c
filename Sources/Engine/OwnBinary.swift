#if os(Linux)
import Glibc
#endif

/// The binary this process runs, and programs built beside it (`ctutor`,
/// `ctutor-launcher`).
enum OwnBinary {
    /// The real path of this process's executable (`/proc/self/exe`), if it can be read.
    static let path: String? = try? ProcFS.readLink("/proc/self/exe")

    /// The executable `name` in the same directory as this binary, if there is one.
    static func sibling(_ name: String) -> String? {
        guard let path, let slash = path.lastIndex(of: "/") else { return nil }
        let sibling = String(path[..<slash]) + "/" + name
        return access(sibling, X_OK) == 0 ? sibling : nil
    }
}
