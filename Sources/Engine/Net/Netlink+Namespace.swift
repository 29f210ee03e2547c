#if os(Linux)
import CShim
import Glibc

extension Netlink {
    /// A route netlink socket in the network namespace that `namespaceFD` (an open
    /// `/proc/<pid>/ns/net`) refers to, made without a helper process.
    ///
    /// A socket belongs to the network namespace its maker was in when it was made, and
    /// stays there. Network namespaces are per thread: `setns(CLONE_NEWNET)` moves only
    /// the calling thread. So a thread made for this one job joins the namespace, opens
    /// the socket and ends; the caller's threads never leave the host's namespace, and
    /// no pooled thread is ever left in a container's. The thread does not go back: it
    /// ends at once, and a `setns` back could only add a failure to handle.
    public convenience init(inNetworkNamespace namespaceFD: Int32, timeout: Duration = .seconds(5)) throws(SyscallError) {
        try self.init(descriptor: try NamespaceThread.socket(.route, inNetworkNamespace: namespaceFD), timeout: timeout)
    }
}

/// Runs one short job on a fresh thread that first joins a network namespace.
enum NamespaceThread {
    /// What the thread did: the socket it made, or the call that failed.
    private final class Job {
        let namespaceFD: Int32
        let family: Netlink.Family
        var result: Result<Int32, SyscallError> = .failure(SyscallError(call: "pthread_create", errno: EAGAIN))

        init(namespaceFD: Int32, family: Netlink.Family) {
            self.namespaceFD = namespaceFD
            self.family = family
        }

        func run() {
            guard ctutor_setns_network(namespaceFD) == 0 else {
                result = .failure(SyscallError(call: "setns(CLONE_NEWNET)", errno: errno))
                return
            }
            result = Result { () throws(SyscallError) in try Netlink.openSocket(family) }
        }
    }

    /// A netlink socket of `family` made inside the namespace of `namespaceFD`; the
    /// caller owns the descriptor.
    static func socket(_ family: Netlink.Family, inNetworkNamespace namespaceFD: Int32) throws(SyscallError) -> Int32 {
        let job = Job(namespaceFD: namespaceFD, family: family)
        let context = Unmanaged.passRetained(job).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { context in
                let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
                job.run()
                return nil
            }, context)
        guard created == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            throw SyscallError(call: "pthread_create", errno: created)
        }
        pthread_join(thread, nil)
        return try job.result.get()
    }
}
#endif
