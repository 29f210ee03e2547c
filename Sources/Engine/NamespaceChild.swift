/// A demo's isolated process while it lives in its namespaces, blocked, so that it
/// can be looked at from outside (`/proc/<pid>/…`, `nsenter -t <pid>`).
public struct NamespaceChild: Equatable, Sendable {
    /// The process's PID in the host's PID namespace.
    public var pid: Int32
    /// Other processes of the same demo that are alive too (a second namespace, the
    /// other copies of a program), by host PID.
    public var others: [Int32]

    public init(pid: Int32, others: [Int32] = []) {
        self.pid = pid
        self.others = others
    }
}
