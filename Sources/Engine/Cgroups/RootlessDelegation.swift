import TutorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether an unprivileged user may make cgroups with limits, and where.
///
/// Only cgroup v2 delegates: systemd hands each user's service manager
/// (`user@UID.service`) a cgroup the user owns, with some controllers in it. The
/// kernel moves a process only between cgroups below one its user can write, so the
/// delegated cgroup must be an ancestor of the one ctutor runs in — true in a desktop
/// terminal, not in an SSH login's `session-N.scope`.
struct RootlessDelegation {
    var machine: CgroupVersion
    /// Where cgroup2 is mounted: `/sys/fs/cgroup`, or a test's fake tree.
    var mountPoint: String
    /// This process's `/proc/self/cgroup`.
    var ownCgroups: String
    var uid: UInt32

    /// The running process's delegation.
    static func current() -> RootlessDelegation {
        RootlessDelegation(
            machine: MachineProbe.current().cgroups, mountPoint: "/sys/fs/cgroup",
            ownCgroups: CgroupFS.readIfPresent("/proc/self/cgroup") ?? "", uid: UInt32(geteuid()))
    }

    /// The topmost cgroup on the way to ctutor's own that this user owns, if it lets
    /// the user make a child cgroup with `controllers` in it; otherwise why not.
    func delegatedCgroup(needing controllers: Set<CgroupController>) -> Result<String, CgroupError> {
        guard machine == .v2 else { return .failure(Self.noV2(machine)) }
        // "0::/user.slice/user-1000.slice/user@1000.service/app.slice/x.scope"
        let own = ownCgroups.split(separator: "\n").first { $0.hasPrefix("0::") }.map { String($0.dropFirst(3)) } ?? "/"
        var directory = mountPoint
        var base: String?
        for component in own.split(separator: "/") {
            directory += "/" + component
            var info = stat()
            if stat(directory, &info) == 0 && info.st_uid == uid {
                base = directory
                break
            }
        }
        guard let base else { return .failure(notInside(own)) }
        for file in [base, base + "/cgroup.procs", base + "/cgroup.subtree_control"]
        where faccessat(AT_FDCWD, file, W_OK, AT_EACCESS) != 0 {
            return .failure(
                .refused(
                    reason: Localized(
                        ko: "cgroup \(KoreanParticle.eunNeun.attached(to: base)) 내 것이지만 \(file)에 쓸 수 없습니다. 위임되지 않았습니다",
                        en: "cgroup \(base) is yours but \(file) is not writable: it is not delegated"),
                    remedy: Self.delegateRemedy))
        }
        let offered = CgroupV2Layout.controllers(offeredIn: base)
        if let missing = controllers.subtracting(offered).min() {
            let listed = offered.isEmpty ? "-" : offered.sorted().map(\.rawValue).joined(separator: " ")
            return .failure(
                .refused(
                    reason: Localized(
                        ko: "\(missing.rawValue) 컨트롤러가 위임되지 않았습니다(\(base)/cgroup.controllers: \(listed))",
                        en: "the \(missing.rawValue) controller is not delegated to you (\(base)/cgroup.controllers: \(listed))"),
                    remedy: Self.delegateRemedy))
        }
        return .success(base)
    }

    private static func noV2(_ machine: CgroupVersion) -> CgroupError {
        let rootRemedy = Localized(
            ko: "root로 실행하세요(sudo ctutor …). 아니면 cgroup v2로 바꾸세요: 커널 명령줄에 "
                + "systemd.unified_cgroup_hierarchy=1을 더하고 재부팅합니다.",
            en: "Run as root (sudo ctutor …), or switch the machine to cgroup v2: add "
                + "systemd.unified_cgroup_hierarchy=1 to the kernel command line and reboot.")
        switch machine {
        case .none:
            return .notMounted
        default:
            let layout = machine == .hybrid ? "cgroup v1 (hybrid)" : "cgroup v1"
            return .refused(
                reason: Localized(
                    ko: "이 머신의 컨트롤러는 \(layout) 계층에 있습니다. cgroup v1에는 일반 사용자에게 맡기는 위임이 없어 "
                        + "root만 cgroup을 만들고 제한을 걸 수 있습니다",
                    en: "this machine's controllers are in \(layout) hierarchies; cgroup v1 has no delegation to "
                        + "unprivileged users, so only root can make cgroups and set limits"),
                remedy: rootRemedy)
        }
    }

    private func notInside(_ own: String) -> CgroupError {
        .refused(
            reason: Localized(
                ko: "ctutor는 cgroup \(own)에서 돌고 있고, 그 위로 사용자(uid \(uid))의 cgroup이 없습니다. 커널은 내가 가진 "
                    + "cgroup 아래에서만 프로세스를 옮기게 해 줍니다(보통 user@\(uid).service인데, 이 세션은 그 밖에 있습니다)",
                en: "ctutor runs in cgroup \(own), and no cgroup above it belongs to you (uid \(uid)); the kernel moves a process "
                    + "only between cgroups below one you own (usually user@\(uid).service, which this session is not inside)"),
            remedy: Localized(
                ko: "사용자 서비스 안에서 ctutor를 시작하세요: systemd-run --user --scope ctutor … 아니면 root로 실행하세요.",
                en: "Start ctutor inside your user service: systemd-run --user --scope ctutor …, or run as root."))
    }

    private static let delegateRemedy = Localized(
        ko: "root로 위임을 켜세요: sudo mkdir -p /etc/systemd/system/user@.service.d, 그 안의 delegate.conf에 "
            + "'[Service]'와 'Delegate=memory pids cpu' 두 줄을 쓰고 sudo systemctl daemon-reload, 그다음 로그아웃했다 "
            + "다시 로그인하세요. 아니면 root로 실행하세요.",
        en: "Have root turn on delegation: sudo mkdir -p /etc/systemd/system/user@.service.d, write the two lines "
            + "'[Service]' and 'Delegate=memory pids cpu' into delegate.conf there, sudo systemctl daemon-reload, "
            + "then log out and in again. Or run as root.")
}
