#if canImport(Glibc)
import Foundation

extension ProcFS {
    /// Host PIDs of the processes in `namespace`, by their `/proc/<pid>/ns/<kind>` links;
    /// processes this user may not look at are not counted.
    static func processes(in namespace: NamespaceID, kind: NamespaceKind) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            (try? ProcFS.namespace(kind, pid: pid)) == namespace
        }
    }
}
#endif
