import TutorCore

#if os(Linux)
import Glibc
#endif

extension ResourceLimits {
    /// The limits as config.json's `linux.resources`.
    var ociResources: OCISpec.Resources {
        OCISpec.Resources(
            memory: memoryBytes.map { OCISpec.Resources.Memory(limit: $0, swap: $0) },
            pids: pidsMax.map { OCISpec.Resources.Pids(limit: $0) },
            cpu: cpuQuotaMicroseconds.map { OCISpec.Resources.CPU(quota: $0, period: UInt64(Self.cpuPeriodMicroseconds)) })
    }
}

extension CgroupLimit {
    /// As a cgroup v2 file says it: `max` or the number.
    public var text: String {
        switch self {
        case .unlimited: "max"
        case .value(let value): "\(value)"
        }
    }

    public var bytes: Int64? {
        if case .value(let value) = self { return value }
        return nil
    }
}

extension ContainerCgroup {
    /// Why this user cannot have limits on `controllers` here, or `nil` (root always can).
    static func refusalForCurrentUser(needing controllers: Set<CgroupController>) -> ContainerError? {
        guard geteuid() != 0 else { return nil }
        switch rootlessSupport(needing: controllers) {
        case .success: return nil
        case .failure(.refused(let reason, let remedy)): return .refused(reason: reason, remedy: remedy)
        case .failure(let error): return .refused(reason: error.reason, remedy: error.remedy ?? Localized(""))
        }
    }
}
