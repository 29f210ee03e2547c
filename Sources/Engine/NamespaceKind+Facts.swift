import TutorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension NamespaceKind {
    /// "UTS namespace", as the lessons name it.
    public var label: Localized {
        switch self {
        case .mnt: Localized(ko: "마운트 네임스페이스", en: "Mount namespace")
        case .uts: Localized(ko: "UTS 네임스페이스", en: "UTS namespace")
        case .ipc: Localized(ko: "IPC 네임스페이스", en: "IPC namespace")
        case .pid: Localized(ko: "PID 네임스페이스", en: "PID namespace")
        case .net: Localized(ko: "네트워크 네임스페이스", en: "Network namespace")
        case .user: Localized(ko: "사용자 네임스페이스", en: "User namespace")
        case .cgroup: Localized(ko: "cgroup 네임스페이스", en: "Cgroup namespace")
        case .time: Localized(ko: "시간 네임스페이스", en: "Time namespace")
        }
    }

    /// What a namespace of this kind gives its members a copy of, in a few words.
    public var isolates: Localized {
        switch self {
        case .mnt: Localized(ko: "마운트 목록", en: "the mount list")
        case .uts: Localized(ko: "호스트 이름, NIS 도메인 이름", en: "hostname, NIS domain name")
        case .ipc: Localized(ko: "System V IPC, POSIX 메시지 큐", en: "System V IPC, POSIX message queues")
        case .pid: Localized(ko: "프로세스 번호", en: "process IDs")
        case .net: Localized(ko: "인터페이스, 주소, 라우팅, 포트", en: "interfaces, addresses, routes, ports")
        case .user: Localized(ko: "UID·GID, capability", en: "UIDs, GIDs, capabilities")
        case .cgroup: Localized(ko: "cgroup 트리의 뿌리", en: "the root of the cgroup tree")
        case .time: Localized(ko: "단조·부팅 시계의 오프셋", en: "offsets of the monotonic and boot-time clocks")
        }
    }

    /// The kernel build option it needs.
    var kernelOption: String {
        switch self {
        case .mnt: "CONFIG_NAMESPACES"
        case .uts: "CONFIG_UTS_NS"
        case .ipc: "CONFIG_IPC_NS"
        case .pid: "CONFIG_PID_NS"
        case .net: "CONFIG_NET_NS"
        case .user: "CONFIG_USER_NS"
        case .cgroup: "CONFIG_CGROUPS"
        case .time: "CONFIG_TIME_NS"
        }
    }

    /// The first Linux release whose `/proc/<pid>/ns/` has a link of this kind.
    var firstLinuxWithLink: String {
        switch self {
        case .uts, .ipc, .net: "3.0"
        case .mnt, .pid, .user: "3.8"
        case .cgroup: "4.6"
        case .time: "5.6"
        }
    }

    /// The sysctl that limits how many a user may make.
    var limitSysctl: String { "user.max_\(rawValue)_namespaces" }
    var limitPath: String { "/proc/sys/user/max_\(rawValue)_namespaces" }

    /// The kinds a call names by flag, as in `unshare(CLONE_NEWUTS|CLONE_NEWPID)`.
    static func named(in call: String) -> Set<NamespaceKind> {
        let words = call.split { !($0.isLetter || $0 == "_") }.map(String.init)
        return Set(allCases.filter { words.contains($0.cloneFlagName) })
    }
}

extension ProcFS {
    /// Whether this kernel has namespaces of `kind`: `/proc/self/ns/<kind>` exists.
    static func kernelHas(_ kind: NamespaceKind) -> Bool {
        access("/proc/self/ns/\(kind.rawValue)", F_OK) == 0
    }
}
