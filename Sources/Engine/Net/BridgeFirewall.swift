import TutorCore

/// What the host's firewall does to traffic between containers on the bridge. ctutor
/// reads it and says so; it never changes it.
///
/// Frames between two ports of a bridge are switched, not routed, and no firewall sees
/// them — unless `br_netfilter` is loaded with `net.bridge.bridge-nf-call-iptables=1`:
/// then bridged IPv4 also passes the host's IPv4 `FORWARD` hook, where a policy of drop
/// (Docker sets one) drops what no rule accepts. An nftables chain of the `bridge`
/// family on the forward hook sees bridged frames whatever that switch says.
public struct BridgeFirewall: Equatable, Sendable {
    /// A base chain of nftables: one hooked into the packet path.
    public struct Chain: Equatable, Sendable {
        /// `NFPROTO_*`: 1 inet, 2 ip, 7 bridge, 10 ip6.
        public var family: UInt8
        public var table: String
        public var name: String
        /// `NF_INET_*`: 2 is forward.
        public var hook: UInt32
        /// `NF_DROP` 0, `NF_ACCEPT` 1.
        public var policy: UInt32

        public init(family: UInt8, table: String, name: String, hook: UInt32, policy: UInt32) {
            self.family = family
            self.table = table
            self.name = name
            self.hook = hook
            self.policy = policy
        }

        /// `ip filter FORWARD`, as `nft list chains` names it.
        public var label: String {
            let families: [UInt8: String] = [1: "inet", 2: "ip", 3: "arp", 5: "netdev", 7: "bridge", 10: "ip6"]
            return "\(families[family] ?? "family \(family)") \(table) \(name)"
        }
    }

    /// `net.bridge.bridge-nf-call-iptables`; `nil` when `br_netfilter` is not loaded.
    public var callIptables: Bool?
    /// nftables base chains (iptables-nft's chains among them).
    public var chains: [Chain]
    /// The policy verdict of `FORWARD` in the legacy iptables `filter` table, `nil` when
    /// there is no such table: `-1` is DROP, `-2` ACCEPT (`-NF_DROP-1`, `-NF_ACCEPT-1`).
    public var legacyForwardVerdict: Int32?

    public init(callIptables: Bool?, chains: [Chain], legacyForwardVerdict: Int32?) {
        self.callIptables = callIptables
        self.chains = chains
        self.legacyForwardVerdict = legacyForwardVerdict
    }

    static let forwardHook: UInt32 = 2
    static let dropPolicy: UInt32 = 0
    static let legacyDrop: Int32 = -1

    /// What may drop traffic on the bridge: one name per chain, empty when nothing does.
    public var blockers: [String] {
        var found: [String] = []
        let dropsForward = chains.filter { $0.hook == Self.forwardHook && $0.policy == Self.dropPolicy }
        if callIptables == true {
            if legacyForwardVerdict == Self.legacyDrop { found.append("iptables-legacy filter FORWARD") }
            found += dropsForward.filter { [1, 2].contains($0.family) }.map { "nftables \($0.label)" }
        }
        found += dropsForward.filter { $0.family == 7 }.map { "nftables \($0.label)" }
        return found
    }

    /// The warning for the bridge `bridge`, or `nil` when nothing in the firewall is in the way.
    public func warning(bridge: String) -> (reason: Localized, remedy: Localized)? {
        let blockers = blockers
        guard !blockers.isEmpty else { return nil }
        let list = blockers.joined(separator: ", ")
        let hook =
            callIptables == true
            ? Localized(
                ko: "br_netfilter가 켜져 있어(net.bridge.bridge-nf-call-iptables=1) 브리지를 지나는 IPv4도 호스트의 FORWARD 체인을 거치는데, ",
                en:
                    "br_netfilter is on (net.bridge.bridge-nf-call-iptables=1), so IPv4 crossing the bridge also passes the host's FORWARD chains, and "
            )
            : Localized("")
        return (
            Localized(
                ko: "\(hook.ko)\(list)의 정책이 DROP입니다: 규칙이 허용하지 않으면 \(bridge)의 컨테이너끼리 통신하지 못할 수 있습니다. ctutor는 방화벽을 바꾸지 않습니다",
                en:
                    "\(hook.en)\(list) has a drop policy: unless a rule accepts it, containers on \(bridge) may not reach each other. ctutor does not change the firewall"
            ),
            Localized(
                ko: "브리지 안의 트래픽을 허용하는 규칙을 더하세요: sudo iptables -I FORWARD -i \(bridge) -o \(bridge) -j ACCEPT "
                    + "(nftables라면 sudo nft insert rule ip filter FORWARD iifname \(bridge) oifname \(bridge) accept)",
                en: "Add a rule that accepts traffic within the bridge: sudo iptables -I FORWARD -i \(bridge) -o \(bridge) -j ACCEPT "
                    + "(with nftables: sudo nft insert rule ip filter FORWARD iifname \(bridge) oifname \(bridge) accept)")
        )
    }
}

extension ContainerNetwork {
    /// Whether the host's firewall may drop traffic between containers on `bridge`: a
    /// reason and a remedy for the runtime to show, or `nil`. Read from the calling
    /// thread's network namespace; nothing is changed. What cannot be read (nftables or
    /// iptables missing, no privilege) counts as nothing in the way.
    public static func firewallCheck(bridge: String = BridgeConfiguration.defaultBridgeName) -> (reason: Localized, remedy: Localized)? {
        #if os(Linux)
        BridgeFirewall.read().warning(bridge: bridge)
        #else
        nil
        #endif
    }
}
