#if os(Linux)
import Glibc

/// Reading the firewall's facts in the calling thread's network namespace: a sysctl,
/// an nftables chain dump over `NETLINK_NETFILTER`, and the legacy iptables `filter`
/// table through `getsockopt(IPT_SO_GET_INFO / IPT_SO_GET_ENTRIES)`.
extension BridgeFirewall {
    static func read() -> BridgeFirewall {
        BridgeFirewall(callIptables: readCallIptables(), chains: (try? readChains()) ?? [], legacyForwardVerdict: readLegacyForward())
    }

    /// `/proc/sys` answers for the network namespace of the thread that opens it.
    static func readCallIptables() -> Bool? {
        guard let text = try? ProcFS.readFile("/proc/sys/net/bridge/bridge-nf-call-iptables") else { return nil }
        return text.hasPrefix("1")
    }

    // nf_tables numbers (`linux/netfilter/nfnetlink.h`, `linux/netfilter/nf_tables.h`).
    static let subsystemNftables: UInt16 = 10  // NFNL_SUBSYS_NFTABLES
    static let getChain: UInt16 = 4  // NFT_MSG_GETCHAIN
    static let newChain: UInt16 = 3  // NFT_MSG_NEWCHAIN, the type of each reply
    static let chainTable: UInt16 = 1  // NFTA_CHAIN_TABLE
    static let chainName: UInt16 = 3  // NFTA_CHAIN_NAME
    static let chainHook: UInt16 = 4  // NFTA_CHAIN_HOOK
    static let chainPolicy: UInt16 = 5  // NFTA_CHAIN_POLICY
    static let hookNumber: UInt16 = 1  // NFTA_HOOK_HOOKNUM

    /// `nft list chains` underneath: a dump of every chain, of every family (`nfgenmsg`
    /// family `NFPROTO_UNSPEC`, version `NFNETLINK_V0`).
    static let chainDumpRequest = NetlinkMessage(
        type: subsystemNftables << 8 | getChain, flags: RTNetlink.request | RTNetlink.dump, payload: [0, 0, 0, 0])

    /// Base chains, when nf_tables is in the kernel. On a kernel with modules, a dump
    /// would load `nf_tables` if it is not loaded; then it holds no chain, so it is not asked.
    static func readChains() throws(SyscallError) -> [Chain] {
        if let modules = try? ProcFS.readFile("/proc/modules"),
            !modules.split(separator: "\n").contains(where: { $0.hasPrefix("nf_tables ") })
        {
            return []
        }
        let netfilter = try Netlink(descriptor: try Netlink.openSocket(.netfilter), timeout: .seconds(2))
        return try netfilter.dump(chainDumpRequest, call: "NFT_MSG_GETCHAIN").compactMap(chain)
    }

    /// A base chain from one reply; `nil` for a regular chain (no hook) or anything else.
    /// The hook number and policy are in network byte order.
    static func chain(_ message: NetlinkMessage) -> Chain? {
        guard message.type == subsystemNftables << 8 | newChain, message.payload.count >= 4,
            let attributes = NetlinkAttribute.decode(message.payload.dropFirst(4)),
            let hook = attributes.first(where: { $0.type == chainHook }).flatMap({ NetlinkAttribute.decode($0.payload) }),
            let number = hook.first(where: { $0.type == hookNumber })?.uint32,
            let policy = attributes.first(where: { $0.type == chainPolicy })?.uint32
        else { return nil }
        return Chain(
            family: message.payload[0], table: attributes.first { $0.type == chainTable }?.string ?? "?",
            name: attributes.first { $0.type == chainName }?.string ?? "?", hook: UInt32(bigEndian: number),
            policy: UInt32(bigEndian: policy))
    }

    // `linux/netfilter_ipv4/ip_tables.h`: sizes and offsets of the structures (x86-64 and
    // every 64-bit ABI alike; the entry holds 64-bit counters, so the table is 8-aligned).
    static let getInfo: Int32 = 64  // IPT_SO_GET_INFO
    static let getEntries: Int32 = 65  // IPT_SO_GET_ENTRIES
    static let infoSize = 84  // struct ipt_getinfo
    static let entriesHeaderSize = 40  // struct ipt_get_entries, up to entrytable

    /// The legacy `filter` table's FORWARD policy verdict, or `nil`. Only asked when
    /// `/proc/thread-self/net/ip_tables_names` lists `filter`: asking for a table that is
    /// not there makes the kernel load and create it.
    static func readLegacyForward() -> Int32? {
        guard let names = try? ProcFS.readFile("/proc/thread-self/net/ip_tables_names"),
            names.split(separator: "\n").contains("filter")
        else { return nil }
        let fd = socket(AF_INET, Int32(SOCK_RAW.rawValue | SOCK_CLOEXEC.rawValue), Int32(IPPROTO_RAW))
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = [UInt8](repeating: 0, count: infoSize)
        info.replaceSubrange(0..<6, with: Array("filter".utf8))
        var length = socklen_t(infoSize)
        guard getsockopt(fd, Int32(IPPROTO_IP), getInfo, &info, &length) == 0 else { return nil }
        let size = Int(info.load(UInt32.self, at: 80))
        var entries = [UInt8](repeating: 0, count: entriesHeaderSize + size)
        entries.replaceSubrange(0..<6, with: Array("filter".utf8))
        withUnsafeBytes(of: UInt32(size)) { entries.replaceSubrange(32..<36, with: $0) }
        length = socklen_t(entries.count)
        guard getsockopt(fd, Int32(IPPROTO_IP), getEntries, &entries, &length) == 0 else { return nil }
        return forwardVerdict(info: info, table: Array(entries[entriesHeaderSize...]))
    }

    /// The verdict of the rule at FORWARD's underflow (its policy) in `table`, the
    /// entries `IPT_SO_GET_ENTRIES` returned; `nil` when FORWARD is not a hook of it.
    static func forwardVerdict(info: [UInt8], table: [UInt8]) -> Int32? {
        let validHooks = info.load(UInt32.self, at: 32)
        guard validHooks & (1 << forwardHook) != 0 else { return nil }
        let entry = Int(info.load(UInt32.self, at: 56 + 4 * Int(forwardHook)))
        guard entry + 112 <= table.count else { return nil }
        // struct ipt_entry: target_offset at 88; the standard target's verdict 32 bytes into the target.
        let target = entry + Int(table.load(UInt16.self, at: entry + 88))
        guard target + 36 <= table.count else { return nil }
        return table.load(Int32.self, at: target + 32)
    }
}
#endif
