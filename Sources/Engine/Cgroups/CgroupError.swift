import TutorCore

/// Why a container's cgroup could not be made, read or removed.
public enum CgroupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// This machine or this user cannot have the limits asked for: why, and how to
    /// make it possible. A limit is never dropped silently.
    case refused(reason: Localized, remedy: Localized)
    /// A call on the cgroup filesystem failed.
    case system(SyscallError)
    /// A name, size or path that ctutor does not accept.
    case invalid(Localized)

    /// What went wrong, in both languages.
    public var reason: Localized {
        switch self {
        case .refused(let reason, _): reason
        case .system(let error): Localized(error.description)
        case .invalid(let problem): problem
        }
    }

    /// What the learner can do about it, when there is something.
    public var remedy: Localized? {
        if case .refused(_, let remedy) = self { return remedy }
        return nil
    }

    public var description: String {
        remedy.map { "\(reason.en). \($0.en)" } ?? reason.en
    }

    /// Nothing is mounted at `/sys/fs/cgroup`.
    static let notMounted = CgroupError.refused(
        reason: Localized(ko: "/sys/fs/cgroup에 cgroup이 마운트되어 있지 않습니다", en: "no cgroup filesystem is mounted at /sys/fs/cgroup"),
        remedy: Localized(
            ko: "cgroup2를 마운트하세요: sudo mount -t cgroup2 none /sys/fs/cgroup", en: "Mount cgroup2: sudo mount -t cgroup2 none /sys/fs/cgroup"
        ))
}
