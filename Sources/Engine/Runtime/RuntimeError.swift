/// Why an OCI runtime command (`ctutor runtime …`) could not do what it was asked,
/// in one line a learner can act on, as runc says it.
public enum RuntimeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No container with this id in the runtime's state directory.
    case notFound(id: String)
    /// The id is taken.
    case exists(id: String)
    /// The container is not in a state the command needs (`start` of a running one).
    case wrongState(id: String, status: RuntimeStatus, wanted: String)
    /// The bundle or the command line asks for something wrong or unsupported.
    case invalid(String)
    /// This user may not do it here (rootless), and what would make it work.
    case refused(reason: String, remedy: String)
    /// A step failed: the call and errno, or the launcher's report.
    case failed(String)

    public var description: String {
        switch self {
        case .notFound(let id): "container \"\(id)\" does not exist"
        case .exists(let id): "container \"\(id)\" already exists"
        case .wrongState(let id, let status, let wanted): "container \"\(id)\" is \(status.rawValue), not \(wanted)"
        case .invalid(let problem): problem
        case .refused(let reason, let remedy): remedy.isEmpty ? reason : "\(reason) (\(remedy))"
        case .failed(let problem): problem
        }
    }
}
