import Foundation
import TutorCore

/// The bridge network of `ctutor run --net bridge`: containers on one host share a
/// bridge (a software switch) and reach each other, and nothing else. The bridge has
/// no address on the host, and nothing here adds NAT, a route or forwarding, so a
/// container can reach neither the host nor beyond it.
///
/// The runtime's sequence: the container's init waits in its new network namespace;
/// the runtime calls ``attach(containerPID:containerID:configuration:stateDirectory:)``,
/// then lets it run; when the container has exited it calls ``detach(_:stateDirectory:)``.
/// Every change happens under one `flock` in the state directory, so parallel starts
/// get distinct addresses. Needs root: see ``refusalWhenRootless()``.
public enum ContainerNetwork {
    /// Plugs the container whose init is `containerPID` into the bridge:
    /// 1. makes the bridge if it is missing (up, no address; its subnet chosen and recorded);
    /// 2. leases the lowest free address from `.2` up (`leases/<containerID>.lease`, naming
    ///    the init's PID and start time, so a dead container's lease is reclaimed);
    /// 3. makes a veth pair, the host end ``BridgeAttachment/hostInterface`` plugged into the
    ///    bridge and up, the peer made straight in the container's namespace as `eth0`;
    /// 4. inside, through a netlink socket opened there (``Netlink/init(inNetworkNamespace:timeout:)``):
    ///    the address on `eth0`, `eth0` up, `lo` up.
    ///
    /// Leases of containers that died without a detach are reclaimed first. A failure
    /// undoes what this call made. ``firewallCheck()`` says whether the host's firewall
    /// may drop the bridged traffic; this never changes it.
    public static func attach(
        containerPID: Int32, containerID: String, configuration: BridgeConfiguration, stateDirectory: String
    ) throws(ContainerNetworkError) -> BridgeAttachment {
        #if os(Linux)
        if let refusal = refusalWhenRootless() { throw .needsRoot(reason: refusal.reason, remedy: refusal.remedy) }
        guard BridgeAttachment.isValidContainerID(containerID) else { throw .invalidContainerID(containerID) }
        guard BridgeConfiguration.isValidLinkName(configuration.bridgeName) else { throw .invalidBridgeName(configuration.bridgeName) }
        if let subnet = configuration.subnet { _ = try BridgeConfiguration.validate(subnet: subnet.description).get() }
        let container = try ContainerNamespace(pid: containerPID)
        let state = try BridgeState(directory: stateDirectory)
        let lock = try state.lock()
        defer { withExtendedLifetime(lock) {} }
        let host = try networkCall { () throws(SyscallError) in try Netlink() }
        _ = try reclaimDead(state: state, host: host)

        let leases = state.leases()
        if let existing = leases.first(where: { $0.containerID == containerID }) {
            throw .alreadyAttached(containerID: containerID, pid: existing.pid)
        }
        let hostInterface = BridgeAttachment.hostInterfaceName(for: containerID)
        let sameName = try networkCall { () throws(SyscallError) in try host.link(named: hostInterface) }
        if sameName != nil || leases.contains(where: { $0.hostInterface == hostInterface }) {
            throw .interfaceNameTaken(hostInterface)
        }
        let subnet = try ensureBridge(configuration, state: state, host: host)
        let taken = Set(leases.filter { $0.bridge == configuration.bridgeName }.map(\.address.address))
        guard let address = firstFreeAddress(in: subnet, taken: taken) else {
            try removeUnusedBridge(configuration.bridgeName, state: state, host: host)
            throw .subnetFull(subnet)
        }
        let lease = BridgeLease(
            containerID: containerID, bridge: configuration.bridgeName, hostInterface: hostInterface, address: address,
            pid: containerPID, start: container.start)
        do {
            try state.write(lease)
            try plug(lease, into: container, host: host)
        } catch {
            try? release(lease.attachment, state: state, host: host)
            throw error
        }
        return lease.attachment
        #else
        throw .syscall(SyscallError(call: "setns", errno: ENOSYS))
        #endif
    }

    /// Deletes the host's end of the container's veth pair (if it is still there; it
    /// goes by itself when the container's namespace dies), releases the lease, and
    /// deletes the bridge when no lease is left. Calling it again does nothing.
    public static func detach(_ attachment: BridgeAttachment, stateDirectory: String) throws(ContainerNetworkError) {
        #if os(Linux)
        let state = try BridgeState(directory: stateDirectory)
        let lock = try state.lock()
        defer { withExtendedLifetime(lock) {} }
        let host = try networkCall { () throws(SyscallError) in try Netlink() }
        try release(attachment, state: state, host: host)
        #endif
    }

    /// After a crash: reclaims the leases of containers whose init is gone, deletes
    /// their host veths, and deletes every bridge ctutor made that no lease uses.
    /// - Returns: what was released, one line each.
    public static func sweep(stateDirectory: String) throws(ContainerNetworkError) -> [Localized] {
        #if os(Linux)
        let state = try BridgeState(directory: stateDirectory)
        let lock = try state.lock()
        defer { withExtendedLifetime(lock) {} }
        guard !state.leases().isEmpty || !state.recordedBridges().isEmpty else { return [] }
        let host = try networkCall { () throws(SyscallError) in try Netlink() }
        return try reclaimDead(state: state, host: host)
        #else
        return []
        #endif
    }

    /// Whether a lease of this container is on disk (for a sweep's survey).
    public static func holdsLease(containerID: String, stateDirectory: String) -> Bool {
        #if os(Linux)
        guard let state = try? BridgeState(directory: stateDirectory) else { return false }
        return state.leases().contains { $0.containerID == containerID }
        #else
        return false
        #endif
    }

    /// The lowest address from `.2` up that no lease holds; `.1` is kept for a gateway.
    static func firstFreeAddress(in subnet: IPv4Network, taken: Set<IPv4Address>) -> IPv4Network? {
        let size = UInt32(1) << (32 - UInt32(subnet.prefix))
        return (2..<(size - 1)).lazy.map { subnet.host($0) }.first { !taken.contains($0.address) }
    }
}
