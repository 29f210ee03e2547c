import Foundation

#if os(Linux)
import Glibc
#endif

/// `ctutor daemon`, dockerd's role: a subset of the Docker Engine API over HTTP/1.1
/// on a Unix socket, one thread per connection, in front of the manager
/// (``Containerd``). Stopping it (SIGTERM, SIGINT) closes the socket and leaves every
/// container running under its shim; started again on the same root, it finds them.
public final class DockerDaemon: @unchecked Sendable {
    public let socketPath: String
    public let containerd: Containerd
    let api: DockerAPI
    /// Every request on standard error, for learning what a client sends.
    let debug: Bool

    public init(socketPath: String, root: String, images: ImageStore = .forCurrentUser(), debug: Bool = false) {
        self.socketPath = socketPath
        self.containerd = Containerd(root: root, images: images)
        self.api = DockerAPI(containerd: containerd)
        self.debug = debug
    }

    /// `/run/ctutor/daemon` for root; the private state directory's `daemon` otherwise.
    public static func defaultRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let base = StateDirectory.base(environment: environment) { return base.path + "/daemon" }
        return geteuid() == 0 ? "/run/ctutor/daemon" : "/tmp/ctutor-\(geteuid())/daemon"
    }

    /// `/run/ctutor/docker.sock` for root, in the private state directory otherwise.
    public static func defaultSocket(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = StateDirectory.base(environment: environment)?.path
        return (base ?? (geteuid() == 0 ? "/run/ctutor" : "/tmp/ctutor-\(geteuid())")) + "/docker.sock"
    }

    /// Listens, re-discovers the containers left running, says `ready` through
    /// `onReady`, and serves until SIGTERM or SIGINT; then removes the socket and
    /// returns (the process should exit: connection threads may still run).
    public func serve(onReady: ([String]) -> Void) throws {
        signal(SIGPIPE, SIG_IGN)
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, number) }
        // Blocked here, so every thread started from now on has them blocked too, and
        // only the `sigwait` below takes them.
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        let longest = containerd.runtimeRoot.shimSocket(of: String(repeating: "0", count: 64))
        guard longest.utf8.count < 108 else {
            throw SyscallError(
                call: "--root \(containerd.root): a shim's socket \(longest) is longer than 107 bytes; give a shorter --root",
                errno: ENAMETOOLONG)
        }
        try FileManager.default.createDirectory(
            atPath: containerd.root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
        let listener = try Self.listen(on: socketPath)
        containerd.emptyTrash()
        let found = containerd.rediscover()
        let stopped = DispatchSemaphore(value: 0)
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 {
                    if errno == EINTR || errno == ECONNABORTED || errno == EMFILE { continue }
                    return
                }
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                Thread.detachNewThread { [self] in serveConnection(client) }
            }
        }
        onReady(found)
        let waited = signals
        Thread.detachNewThread {
            var set = waited
            var number: Int32 = 0
            sigwait(&set, &number)
            stopped.signal()
        }
        stopped.wait()
        unlink(socketPath)
        shutdown(listener, Int32(SHUT_RDWR))
    }

    static func listen(on path: String) throws -> Int32 {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SyscallError(call: "socket", errno: errno) }
        // A socket file left by a daemon that was killed: nobody answers on it.
        if Self.answers(path) {
            close(fd)
            throw SyscallError(call: "bind \(path) (another daemon listens there)", errno: EADDRINUSE)
        }
        unlink(path)
        let bound = try UnixAddress(path).withSockaddr { bind(fd, $0, $1) }
        guard bound == 0, chmod(path, 0o660) == 0, Glibc.listen(fd, 128) == 0 else {
            let code = errno
            close(fd)
            throw SyscallError(call: "bind \(path)", errno: code)
        }
        return fd
    }

    static func answers(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return (try? UnixAddress(path).withSockaddr { connect(fd, $0, $1) }) == 0
    }

    /// Requests one after another until the client closes, asks to close, or the
    /// connection is taken over by a stream.
    private func serveConnection(_ fd: Int32) {
        defer { close(fd) }
        let reader = HTTPReader(fd: fd)
        while true {
            let request: HTTPRequest
            do {
                request = try reader.next()
            } catch .closed {
                return
            } catch {
                let responder = HTTPResponder(fd: fd, method: "GET", common: DockerAPI.commonHeaders + [("Connection", "close")])
                responder.sendError(error == .tooLarge ? 413 : 400, "bad request: \(error)")
                return
            }
            if debug {
                let body = request.body.isEmpty ? "" : " " + String(decoding: request.body.prefix(2000), as: UTF8.self)
                FileHandle.standardError.write(Data("ctutor daemon: \(request.method) \(request.path) \(request.query)\(body)\n".utf8))
            }
            let responder = HTTPResponder(
                fd: fd, method: request.method, common: DockerAPI.commonHeaders + (request.keepsAlive ? [] : [("Connection", "close")]))
            let next = api.handle(request, responder)
            guard next == .keepAlive, request.keepsAlive, responder.isConnected else { return }
        }
    }
}
