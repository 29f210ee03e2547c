import TutorCore

/// Why the bridge network refused or failed, with a reason and, where there is one,
/// what to do, in both languages. A failed system call keeps its name and `errno`.
public enum ContainerNetworkError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedFailure {
    /// What is wrong with a subnet that was asked for.
    public enum SubnetProblem: Equatable, Sendable {
        case notANetwork
        case prefixOutOfRange
        case hostBitsSet(network: IPv4Network)
        case notPrivate
    }

    /// Not allowed to change the host's network: see ``ContainerNetwork/refusalWhenRootless()``.
    case needsRoot(reason: Localized, remedy: Localized)
    case invalidSubnet(text: String, problem: SubnetProblem)
    case invalidBridgeName(String)
    case invalidContainerID(String)
    /// Every candidate overlaps an address or route of the host.
    case noFreeSubnet(candidates: [IPv4Network])
    /// The subnet asked for overlaps `hostNetwork`, an address or route of the host.
    case subnetOverlapsHost(subnet: IPv4Network, hostNetwork: IPv4Network)
    /// The bridge exists with another subnet than the one asked for.
    case subnetMismatch(bridge: String, existing: IPv4Network, requested: IPv4Network)
    /// Every address of the subnet is leased.
    case subnetFull(IPv4Network)
    /// A link with the bridge's name exists that ctutor did not make, or is no bridge.
    case bridgeNotOurs(name: String, kind: String?)
    /// A link with the container's host interface name exists already.
    case interfaceNameTaken(String)
    case alreadyAttached(containerID: String, pid: Int32)
    /// The container's process is gone (or its PID was given to another process).
    case containerGone(pid: Int32)
    /// The process shares the host's network namespace: configuring its `eth0` would change the host's.
    case containerInHostNamespace(pid: Int32)
    /// The state directory is not a private directory of ours.
    case unsafeStateDirectory(String)
    case syscall(SyscallError)

    public var reason: Localized {
        switch self {
        case .needsRoot(let reason, _): return reason
        case .invalidSubnet(let text, let problem):
            let why: Localized
            switch problem {
            case .notANetwork: why = Localized(ko: "ADDRESS/PREFIX 꼴이 아닙니다", en: "it is not ADDRESS/PREFIX")
            case .prefixOutOfRange:
                why = Localized(
                    ko: "접두사 길이는 \(BridgeConfiguration.prefixRange.lowerBound)~\(BridgeConfiguration.prefixRange.upperBound)여야 합니다",
                    en: "the prefix must be \(BridgeConfiguration.prefixRange.lowerBound) to \(BridgeConfiguration.prefixRange.upperBound)")
            case .hostBitsSet(let network):
                why = Localized(ko: "호스트 비트가 켜져 있습니다 (네트워크 주소는 \(network))", en: "host bits are set (the network is \(network))")
            case .notPrivate:
                why = Localized(
                    ko: "사설 대역(10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) 안에 있지 않습니다",
                    en: "it is not inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)")
            }
            return Localized(
                ko: "\(KoreanParticle.eulReul.attached(to: "브리지 서브넷 \"\(text)\"")) 쓸 수 없습니다: \(why.ko)",
                en: "cannot use \"\(text)\" as the bridge subnet: \(why.en)")
        case .invalidBridgeName(let name):
            return Localized(
                ko: "\(KoreanParticle.eunNeun.attached(to: "브리지 이름 \"\(name)\"")) 링크 이름이 될 수 없습니다 (1~15바이트, /·:·공백 없이)",
                en: "\"\(name)\" cannot name a link (1 to 15 bytes, no /, : or whitespace)")
        case .invalidContainerID(let id):
            return Localized(
                ko: "컨테이너 ID \"\(id)\"에는 영문자·숫자·_·.·-만 쓸 수 있습니다 (첫 글자는 영문자나 숫자, 128자 이하)",
                en: "container ID \"\(id)\" may hold only letters, digits, _, . and - (a letter or digit first, at most 128)")
        case .noFreeSubnet(let candidates):
            let list = candidates.map(\.description).joined(separator: ", ")
            return Localized(
                ko: "후보 서브넷(\(list))이 모두 호스트의 주소나 경로와 겹칩니다",
                en: "every candidate subnet (\(list)) overlaps an address or route of the host")
        case .subnetOverlapsHost(let subnet, let host):
            return Localized(
                ko: "서브넷 \(KoreanParticle.iGa.attached(to: "\(subnet)")) 호스트의 \(KoreanParticle.gwaWa.attached(to: "\(host)")) 겹칩니다",
                en: "subnet \(subnet) overlaps the host's \(host)")
        case .subnetMismatch(let bridge, let existing, let requested):
            return Localized(
                ko:
                    "브리지 \(KoreanParticle.eunNeun.attached(to: bridge)) 이미 \(existing) 서브넷으로 쓰이고 있어 \(KoreanParticle.euroRo.attached(to: "\(requested)")) 바꿀 수 없습니다",
                en: "bridge \(bridge) is in use with subnet \(existing), not \(requested)")
        case .subnetFull(let subnet):
            return Localized(ko: "서브넷 \(subnet)의 주소를 모두 임대했습니다", en: "every address of \(subnet) is leased")
        case .bridgeNotOurs(let name, let kind):
            let what = kind.map { Localized(ko: "종류 \($0)", en: "kind \($0)") } ?? Localized(ko: "종류 없음", en: "no kind")
            return Localized(
                ko: "호스트에 ctutor가 만들지 않은 링크 \(name)(\(what.ko))가 이미 있습니다",
                en: "the host already has a link \(name) (\(what.en)) that ctutor did not make")
        case .interfaceNameTaken(let name):
            return Localized(ko: "호스트에 링크 \(KoreanParticle.iGa.attached(to: name)) 이미 있습니다", en: "the host already has a link \(name)")
        case .alreadyAttached(let id, let pid):
            return Localized(
                ko: "컨테이너 \(id)(PID \(pid))는 이미 브리지에 연결되어 있습니다", en: "container \(id) (PID \(pid)) is already attached")
        case .containerGone(let pid):
            return Localized(ko: "컨테이너 프로세스 \(pid)가 없습니다", en: "the container's process \(pid) is gone")
        case .containerInHostNamespace(let pid):
            return Localized(
                ko: "프로세스 \(pid)는 호스트의 네트워크 네임스페이스에 있습니다. 그 안의 eth0를 설정하면 호스트가 바뀝니다",
                en: "process \(pid) is in the host's network namespace: configuring eth0 there would change the host")
        case .unsafeStateDirectory(let path):
            return Localized(
                ko: "상태 디렉터리 \(path)가 우리 소유의 0700 디렉터리가 아닙니다",
                en: "the state directory \(path) is not a 0700 directory of ours")
        case .syscall(let error):
            return Localized(ko: "\(error.call) 호출이 실패했습니다: \(error.message) (\(error.errnoName))", en: error.description)
        }
    }

    public var remedy: Localized? {
        switch self {
        case .needsRoot(_, let remedy): return remedy
        case .invalidSubnet, .subnetOverlapsHost, .noFreeSubnet:
            return Localized(
                ko: "호스트가 쓰지 않는 사설 대역을 고르세요: \(BridgeConfiguration.subnetVariable)=10.123.0.0/24",
                en: "Pick a private range the host does not use: \(BridgeConfiguration.subnetVariable)=10.123.0.0/24")
        case .subnetMismatch(let bridge, let existing, _):
            return Localized(
                ko: "\(bridge)의 컨테이너가 모두 끝난 뒤에 바꾸거나, \(KoreanParticle.eulReul.attached(to: "\(existing)")) 쓰세요",
                en: "Change it once every container on \(bridge) has ended, or use \(existing)")
        case .subnetFull:
            return Localized(
                ko: "끝난 컨테이너를 정리하거나(ctutor doctor --cleanup) 더 큰 서브넷을 고르세요",
                en: "Clean up ended containers (ctutor doctor --cleanup) or pick a larger subnet")
        case .bridgeNotOurs(let name, _), .interfaceNameTaken(let name):
            return Localized(
                ko: "무엇이 만든 링크인지 확인하고(ip -d link show \(name)) 필요 없으면 지우세요: sudo ip link del \(name)",
                en: "See what made it (ip -d link show \(name)) and, if it is not needed, remove it: sudo ip link del \(name)")
        case .unsafeStateDirectory(let path):
            return Localized(ko: "\(path)를 지우고 다시 실행하세요", en: "Remove \(path) and run again")
        case .invalidBridgeName, .invalidContainerID, .alreadyAttached, .containerGone, .containerInHostNamespace, .syscall:
            return nil
        }
    }

    var detail: Localized { reason }

    public var description: String { reason.en + (remedy.map { ". \($0.en)" } ?? "") }
}
