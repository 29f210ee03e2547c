#if os(Linux)
import Glibc
import TutorCore

/// The links behind ``ContainerNetwork``: the bridge, each container's veth pair, and
/// their removal. Called with the state's lock held.
extension ContainerNetwork {
    /// The bridge's subnet, after making the bridge if it is missing. A bridge that
    /// exists must be one ctutor recorded making, and keeps its subnet.
    static func ensureBridge(
        _ configuration: BridgeConfiguration, state: BridgeState, host: Netlink
    ) throws(ContainerNetworkError) -> IPv4Network {
        let name = configuration.bridgeName
        let existing = try networkCall { () throws(SyscallError) in try host.link(named: name) }
        if let existing {
            guard existing.kind == "bridge", let subnet = state.subnet(ofBridge: name) else {
                throw .bridgeNotOurs(name: name, kind: existing.kind)
            }
            if let requested = configuration.subnet, requested != subnet {
                throw .subnetMismatch(bridge: name, existing: subnet, requested: requested)
            }
            return subnet
        }
        let (addresses, routes) = try networkCall { () throws(SyscallError) in
            (try host.addresses().map(\.address), try host.routes().map(\.destination))
        }
        let subnet: IPv4Network
        if let requested = configuration.subnet {
            if let conflict = BridgeConfiguration.conflict(of: requested, hostAddresses: addresses, hostRoutes: routes) {
                throw .subnetOverlapsHost(subnet: requested, hostNetwork: conflict)
            }
            subnet = requested
        } else {
            guard let chosen = BridgeConfiguration.chooseSubnet(hostAddresses: addresses, hostRoutes: routes) else {
                throw .noFreeSubnet(candidates: BridgeConfiguration.subnetCandidates)
            }
            subnet = chosen
        }
        try state.recordBridge(name, subnet: subnet)
        do {
            try networkCall { () throws(SyscallError) in try host.createBridge(name) }
        } catch {
            state.forgetBridge(name)
            throw error
        }
        do {
            try networkCall { () throws(SyscallError) in
                try disableIPv6(on: name)
                try host.setLink(name, up: true)
            }
        } catch {
            _ = try? deleteLink(name, kind: "bridge", host: host)
            state.forgetBridge(name)
            throw error
        }
        return subnet
    }

    /// The veth pair of `lease`: the host end into the bridge and up, the peer made as
    /// `eth0` in the container's namespace, then set up from inside.
    static func plug(_ lease: BridgeLease, into container: ContainerNamespace, host: Netlink) throws(ContainerNetworkError) {
        let eth0 = BridgeAttachment.containerInterface
        // One link dump on each side gives every index needed; the start of a container waits on this.
        try networkCall { () throws(SyscallError) in
            try host.createVeth(name: lease.hostInterface, peer: eth0, peerNamespaceFD: container.fd)
            let hostLinks = try host.indices(of: [lease.hostInterface, lease.bridge])
            try host.setMaster(index: hostLinks[0], master: hostLinks[1], names: (lease.hostInterface, lease.bridge))
            try disableIPv6(on: lease.hostInterface)
            try host.setLink(index: hostLinks[0], name: lease.hostInterface, up: true)
            let inside = try Netlink(inNetworkNamespace: container.fd)
            let insideLinks = try inside.indices(of: [eth0, "lo"])
            try inside.addAddress(lease.address, index: insideLinks[0], name: eth0)
            try inside.setLink(index: insideLinks[0], name: eth0, up: true)
            try inside.setLink(index: insideLinks[1], name: "lo", up: true)
        }
    }

    /// Deletes the attachment's host veth if it is there, drops its lease, and deletes
    /// the bridge if no lease is left on it.
    static func release(_ attachment: BridgeAttachment, state: BridgeState, host: Netlink) throws(ContainerNetworkError) {
        try deleteLink(attachment.hostInterface, kind: "veth", host: host)
        state.removeLease(of: attachment.containerID)
        try removeUnusedBridge(attachment.bridge, state: state, host: host)
    }

    /// Deletes the bridge `name` and its record when ctutor made it and no lease uses it;
    /// whether it did.
    @discardableResult
    static func removeUnusedBridge(_ name: String, state: BridgeState, host: Netlink) throws(ContainerNetworkError) -> Bool {
        guard state.subnet(ofBridge: name) != nil, !state.leases().contains(where: { $0.bridge == name }) else { return false }
        try deleteLink(name, kind: "bridge", host: host)
        state.forgetBridge(name)
        return true
    }

    /// Releases what dead containers left: their leases and host veths, then every
    /// recorded bridge no lease uses. One line per thing released.
    static func reclaimDead(state: BridgeState, host: Netlink) throws(ContainerNetworkError) -> [Localized] {
        var released: [Localized] = []
        for lease in state.leases() where !lease.holderIsAlive {
            let deleted = try deleteLink(lease.hostInterface, kind: "veth", host: host)
            state.removeLease(of: lease.containerID)
            let veth =
                deleted
                ? Localized(ko: ", 호스트 veth \(lease.hostInterface) 삭제", en: "; deleted host veth \(lease.hostInterface)") : Localized("")
            released.append(
                Localized(
                    ko: "컨테이너 \(lease.containerID)의 주소 \(lease.address) 임대 해제 (프로세스 \(lease.pid) 없음)\(veth.ko)",
                    en: "released \(lease.address) of container \(lease.containerID) (process \(lease.pid) gone)\(veth.en)"))
        }
        for bridge in state.recordedBridges() {
            let subnet = state.subnet(ofBridge: bridge).map { " (\($0))" } ?? ""
            if try removeUnusedBridge(bridge, state: state, host: host) {
                released.append(
                    Localized(ko: "임대가 남지 않은 브리지 \(bridge)\(subnet) 삭제", en: "deleted bridge \(bridge)\(subnet): no lease left"))
            }
        }
        return released
    }

    /// Deletes the link `name` if it exists and is of `kind` (never a link of another
    /// kind that happens to have the name); whether it deleted one.
    @discardableResult
    static func deleteLink(_ name: String, kind: String, host: Netlink) throws(ContainerNetworkError) -> Bool {
        try networkCall { () throws(SyscallError) in
            guard let link = try host.link(named: name), link.kind == kind else { return false }
            do throws(SyscallError) {
                try host.deleteLink(name)
            } catch {
                // It went by itself meanwhile: a veth goes when its peer's namespace dies.
                guard error.errno == ENODEV else { throw error }
                return false
            }
            return true
        }
    }

    /// `net.ipv6.conf.<name>.disable_ipv6 = 1` on a link ctutor made, before it goes up,
    /// so it never gets an IPv6 link-local address: the host stays without any address on
    /// the bridge, and IPv6 arriving there is dropped. A kernel without IPv6 has no such file.
    static func disableIPv6(on name: String) throws(SyscallError) {
        let path = "/proc/sys/net/ipv6/conf/\(name)/disable_ipv6"
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        if fd < 0 && errno == ENOENT { return }
        guard fd >= 0 else { throw SyscallError(call: "open \(path)", errno: errno) }
        defer { close(fd) }
        try retryingEINTR("write \(path)") { write(fd, "1\n", 2) }
    }
}

/// The container's network namespace, held open by a descriptor so that it keeps
/// meaning that namespace while the bridge network works on it.
final class ContainerNamespace {
    let fd: Int32
    /// The init's start time, to tell it from a later process given the same PID.
    let start: UInt64

    init(pid: Int32) throws(ContainerNetworkError) {
        guard let start = BridgeLease.liveStart(of: pid) else { throw .containerGone(pid: pid) }
        let path = "/proc/\(pid)/ns/net"
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ESRCH { throw .containerGone(pid: pid) }
            throw .syscall(SyscallError(call: "open \(path)", errno: errno))
        }
        self.fd = fd
        self.start = start
        // Opened after the start time was read: the same start time now means the
        // descriptor is the namespace of that process, not of a newcomer with its PID.
        guard BridgeLease.liveStart(of: pid) == start else { throw .containerGone(pid: pid) }
        var theirs = stat()
        var ours = stat()
        guard fstat(fd, &theirs) == 0, stat("/proc/thread-self/ns/net", &ours) == 0 else {
            throw .syscall(SyscallError(call: "stat /proc/thread-self/ns/net", errno: errno))
        }
        if theirs.st_ino == ours.st_ino && theirs.st_dev == ours.st_dev { throw .containerInHostNamespace(pid: pid) }
    }

    deinit { close(fd) }
}
#endif
