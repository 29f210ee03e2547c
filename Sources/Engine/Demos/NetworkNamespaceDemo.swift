import TutorCore

/// Two new network namespaces, A and B: each starts with nothing but a `lo` that is
/// down; a veth pair made with netlink joins them, each end gets an address from a
/// private /30, and a TCP echo crosses the cable. From outside (`/proc/<pid>/net/…`)
/// the tutor shows that the interfaces, addresses and routes exist only inside, that
/// the host has none of them, and that everything is gone with the namespaces.
///
/// The tutor never changes its own namespaces: the netlink work and both TCP ends run
/// in fresh `ctutor __netlink`, `__echo-server` and `__echo-client` processes that the
/// launcher puts into A or B first (`setns`, user namespace first when rootless).
public struct NetworkNamespaceDemo: Demo {
    /// Two of these, A and B (sharing one user namespace when rootless).
    public static let namespaces: Set<NamespaceKind> = [.net]

    public static let info = DemoInfo(
        id: "net",
        title: Localized(ko: "네트워크 네임스페이스: 나만의 네트워크 스택", en: "Network namespace: a network stack of its own"),
        summary: Localized(
            ko: "새 네트워크 네임스페이스 두 개(A, B)에 꺼진 lo만 있음을 보이고, netlink로 만든 veth 쌍으로 둘을 이어 "
                + "주소를 붙인 뒤 TCP 에코를 주고받습니다. 바깥(/proc/<pid>/net)에서 보면 인터페이스·주소·경로는 "
                + "안에만 있고 호스트에는 없으며, 네임스페이스와 함께 모두 사라집니다.",
            en: "Shows that two new network namespaces (A and B) have only a lo that is down, joins them with a veth "
                + "pair made over netlink, gives each end an address and sends a TCP echo across. Seen from outside "
                + "(/proc/<pid>/net), the interfaces, addresses and routes exist only inside, not on the host, and "
                + "vanish with the namespaces."))

    /// The veth end in A and the one in B.
    public static let vethA = "veth-a"
    public static let vethB = "veth-b"

    /// What the client in A sends and expects back.
    public let message: String
    /// The port the echo server in B listens on (7 is the echo service).
    public let port: UInt16
    /// /30 networks to take the two addresses from: the first the host does not use.
    public let candidates: [IPv4Network]
    public let preference: ModePreference
    /// The ctutor binary whose hidden programs run inside (the test runner has none).
    public let childExecutable: String

    public init(preference: ModePreference) {
        self.init(preference: preference, childExecutable: ChildProgram.selfExecutable)
    }

    /// - Precondition: `message` is 1 to 4096 bytes; every candidate is a /30.
    public init(
        message: String = "hello from namespace A", port: UInt16 = 7, candidates: [IPv4Network] = IPv4Network.demoCandidates,
        preference: ModePreference = .auto, childExecutable: String = ChildProgram.selfExecutable
    ) {
        precondition((1...EchoChild.limit).contains(message.utf8.count), "the message is 1 to \(EchoChild.limit) bytes")
        precondition(!candidates.isEmpty && candidates.allSatisfy { $0.prefix == 30 }, "candidates are /30 networks")
        self.message = message
        self.port = port
        self.candidates = candidates
        self.preference = preference
        self.childExecutable = childExecutable
    }

    public func run(whileAlive: ((NamespaceChild) throws -> Void)? = nil) -> DemoReport {
        let probe = MachineProbe.current()
        guard probe.isLinux else { return probe.notLinuxReport(Self.info) }
        #if os(Linux)
        let rootless = preference.isRootless(on: probe)
        return NetworkNamespaceRun(demo: self, rootless: rootless, probe: probe).run(whileAlive: whileAlive)
        #else
        return DemoReport(demo: Self.info.id, title: Self.info.title, mode: .unavailable)
        #endif
    }
}
