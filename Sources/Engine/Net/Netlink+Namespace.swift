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
    ///
    /// Why not a helper process joined to the namespace, as the network demo runs
    /// `ctutor __netlink`: a container's start waits on this. Measured on a debug build,
    /// the thread, the socket and a link dump take about 0.1 ms; launching the helper
    /// and letting it do the same takes 20–27 ms.
    public convenience init(inNetworkNamespace namespaceFD: Int32, timeout: Duration = .seconds(5)) throws(SyscallError) {
        try self.init(descriptor: try NamespaceThread.socket(.route, inNetworkNamespace: namespaceFD), timeout: timeout)
    }
}

/// Runs one short job on a fresh thread that first joins a network namespace.
enum NamespaceThread {
    /// The job, seen by the thread's C entry point without its result type.
    private class Job {
        let namespaceFD: Int32
        var joinError: SyscallError?

        init(namespaceFD: Int32) {
            self.namespaceFD = namespaceFD
        }

        func run() {
            guard ctutor_setns_network(namespaceFD) == 0 else {
                joinError = SyscallError(call: "setns(CLONE_NEWNET)", errno: errno)
                return
            }
            work()
        }

        func work() {}
    }

    private final class TypedJob<Output>: Job {
        let body: () -> Output
        var output: Output?

        init(namespaceFD: Int32, body: @escaping () -> Output) {
            self.body = body
            super.init(namespaceFD: namespaceFD)
        }

        override func work() { output = body() }
    }

    /// `body`'s result, run on a new thread inside the network namespace `namespaceFD`
    /// refers to; the thread ends with it.
    static func run<Output>(inNetworkNamespace namespaceFD: Int32, _ body: @escaping () -> Output) throws(SyscallError) -> Output {
        let job = TypedJob(namespaceFD: namespaceFD, body: body)
        let context = Unmanaged<Job>.passRetained(job).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<Job>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context)
        guard created == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            throw SyscallError(call: "pthread_create", errno: created)
        }
        pthread_join(thread, nil)
        if let error = job.joinError { throw error }
        return job.output!
    }

    /// A netlink socket of `family` made inside the namespace of `namespaceFD`; the
    /// caller owns the descriptor.
    static func socket(_ family: Netlink.Family, inNetworkNamespace namespaceFD: Int32) throws(SyscallError) -> Int32 {
        try run(inNetworkNamespace: namespaceFD) { Result { () throws(SyscallError) in try Netlink.openSocket(family) } }.get()
    }
}
#endif
