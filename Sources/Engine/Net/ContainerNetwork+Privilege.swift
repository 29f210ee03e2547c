import TutorCore

#if os(Linux)
import Glibc
#endif

extension ContainerNetwork {
    /// `CAP_NET_ADMIN`: bit 12 of the capability sets in `/proc/self/status`.
    static let netAdminBit: UInt64 = 1 << 12

    /// Why this process cannot make a bridge network, and what to do; `nil` when it can.
    ///
    /// A bridge and its veth pairs are links in the host's network namespace, so making
    /// them takes `CAP_NET_ADMIN` in the host's user namespace: root on the host. A
    /// rootless container's root holds it only over namespaces its own user namespace owns.
    public static func refusalWhenRootless() -> (reason: Localized, remedy: Localized)? {
        #if os(Linux)
        refusal(euid: geteuid(), inInitialUserNamespace: inInitialUserNamespace(), effective: effectiveCapabilities())
        #else
        (Localized(ko: "브리지 네트워크는 리눅스 기능입니다", en: "a bridge network is a Linux feature"), Localized(ko: "리눅스에서 실행하세요", en: "Run on Linux"))
        #endif
    }

    /// The judgement itself, on facts read elsewhere (testable on any machine).
    static func refusal(euid: UInt32, inInitialUserNamespace: Bool, effective: UInt64?) -> (reason: Localized, remedy: Localized)? {
        let remedy = Localized(
            ko: "root로 실행하거나(sudo ctutor run --net bridge …), --net bridge 없이 실행하세요 "
                + "(그러면 컨테이너는 lo만 있는 자기 네트워크 네임스페이스를 얻습니다)",
            en: "Run it as root (sudo ctutor run --net bridge …), or without --net bridge "
                + "(the container then gets a network namespace of its own with only lo)")
        if euid != 0 {
            return (
                Localized(
                    ko: "브리지 네트워크는 호스트의 네트워크 네임스페이스에 브리지와 컨테이너마다 veth 쌍을 만들어야 해서 "
                        + "호스트의 root 권한(CAP_NET_ADMIN)이 필요합니다. 지금은 uid \(euid)로 실행 중입니다",
                    en: "a bridge network makes a bridge and a veth pair per container in the host's network namespace, "
                        + "which takes root on the host (CAP_NET_ADMIN); this runs as uid \(euid)"),
                remedy
            )
        }
        if !inInitialUserNamespace {
            return (
                Localized(
                    ko: "이 프로세스는 새 사용자 네임스페이스 안의 root라서 호스트의 네트워크를 바꿀 수 없습니다",
                    en: "this process is root only inside a user namespace of its own, which gives no power over the host's network"),
                remedy
            )
        }
        if let effective, effective & netAdminBit == 0 {
            return (
                Localized(
                    ko: "root지만 CAP_NET_ADMIN 능력이 없어 링크를 만들 수 없습니다",
                    en: "this root process lacks CAP_NET_ADMIN, without which it cannot make links"),
                Localized(
                    ko: "CAP_NET_ADMIN을 가진 root 셸에서 실행하세요", en: "Run it from a root shell that holds CAP_NET_ADMIN")
            )
        }
        return nil
    }

    #if os(Linux)
    /// Whether `/proc/self/uid_map` is the initial namespace's identity map, `0 0 4294967295`.
    static func inInitialUserNamespace() -> Bool {
        guard let map = try? ProcFS.readFile("/proc/self/uid_map") else { return false }
        return map.split(whereSeparator: \.isWhitespace) == ["0", "0", "4294967295"]
    }

    /// `CapEff` from `/proc/self/status`; `nil` if unreadable.
    static func effectiveCapabilities() -> UInt64? {
        guard let status = try? ProcFS.readFile("/proc/self/status"),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") })
        else { return nil }
        return UInt64(line.dropFirst("CapEff:".count).trimmingPrefix(while: \.isWhitespace), radix: 16)
    }
    #endif
}
