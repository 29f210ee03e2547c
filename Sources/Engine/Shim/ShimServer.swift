import Foundation
import TutorCore

#if os(Linux)
import CShim
import Glibc
#endif

/// The shim's one loop, single-threaded: `poll` over the container's output pipes,
/// its init's pidfd, the control socket and the connections waiting for the exit.
final class ShimServer {
    let options: ShimOptions
    let initPID: Int32
    private var root: RuntimeRoot { options.runtimeRoot }
    private let log: Int32
    /// The container's output pipes, open until their end of file, and the stream
    /// each one is (1 stdout, 2 stderr).
    private var outputs: [Int32]
    private let streams: [Int32: UInt8]
    private let pidfd: Int32
    private let listener: Int32
    private var waiters: [Int32] = []
    private var exit: ExitRecord?
    private var deleted = false

    private init(options: ShimOptions, initPID: Int32, log: Int32, outputs: [Int32], pidfd: Int32, listener: Int32) {
        self.options = options
        self.initPID = initPID
        self.log = log
        self.outputs = outputs
        self.streams = [outputs[0]: 1, outputs[1]: 2]
        self.pidfd = pidfd
        self.listener = listener
    }

    /// Creates and starts the container with the output pipes as its stdout and stderr,
    /// registers the shim beside it and opens the socket; deletes it if a step fails.
    static func begin(_ options: ShimOptions) throws -> ShimServer {
        let root = options.runtimeRoot
        let log = open(options.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard log >= 0 else { throw SyscallError(call: "open \(options.log)", errno: errno) }
        let stdout = try Spawn.pipe()
        let stderr = try Spawn.pipe()
        let created = RuntimeStep.create(bundle: options.bundle, stdout: stdout.write, stderr: stderr.write).run(id: options.id, root: root)
        close(stdout.write)
        close(stderr.write)
        guard created.status == 0 else {
            [log, stdout.read, stderr.read].forEach { close($0) }
            throw RuntimeError.failed(created.errors.isEmpty ? "the runtime's create exited with \(created.status)" : created.errors)
        }
        do {
            let state = try root.load(options.id)
            let pidfd = ctutor_pidfd_open(state.pid)
            guard pidfd >= 0 else { throw SyscallError(call: "pidfd_open \(state.pid)", errno: errno) }
            let listener = try listen(on: root.shimSocket(of: options.id))
            let me = getpid()
            try root.write(
                ShimRecord(pid: me, pidStart: ProcessStart.of(me) ?? 0, socket: root.shimSocket(of: options.id), log: options.log),
                to: root.shimFile(of: options.id))
            let started = RuntimeStep.start.run(id: options.id, root: root)
            guard started.status == 0 else { throw RuntimeError.failed(started.errors) }
            for fd in [stdout.read, stderr.read] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
            return ShimServer(
                options: options, initPID: state.pid, log: log, outputs: [stdout.read, stderr.read], pidfd: pidfd, listener: listener)
        } catch {
            _ = RuntimeStep.delete(force: true).run(id: options.id, root: root)
            [log, stdout.read, stderr.read].forEach { close($0) }
            throw error
        }
    }

    private static func listen(on path: String) throws(SyscallError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SyscallError(call: "socket", errno: errno) }
        unlink(path)
        let bound = try UnixAddress(path).withSockaddr { bind(fd, $0, $1) }
        guard bound == 0, chmod(path, 0o600) == 0, Glibc.listen(fd, 16) == 0 else {
            let code = errno
            close(fd)
            throw SyscallError(call: "bind \(path)", errno: code)
        }
        return fd
    }

    /// Serves until the container has exited and is deleted (through the socket, or
    /// by `ctutor runtime delete`, which removes its directory).
    func run() {
        while !deleted {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            if exit == nil { fds.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)) }
            fds += outputs.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            // A second's timeout: orphans of the container to reap, a directory deleted.
            let ready = poll(&fds, nfds_t(fds.count), 1000)
            if ready < 0 && errno != EINTR { break }
            for entry in fds where entry.revents != 0 && outputs.contains(entry.fd) { copyOutput(entry.fd) }
            reapChildren()
            if fds[0].revents != 0 { accept() }
            if exit != nil, access(root.directory(of: options.id), F_OK) != 0 { deleted = true }
        }
        waiters.forEach { close($0) }
        outputs.forEach { close($0) }
        [listener, pidfd, log].forEach { close($0) }
    }

    /// Copies what one pipe holds now to the log; `false` when nothing was left.
    @discardableResult
    private func copyOutput(_ fd: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = read(fd, &buffer, buffer.count)
        if count > 0 {
            if options.multiplexedLog, let stream = streams[fd] {
                let size = UInt32(count)
                let header: [UInt8] = [
                    stream, 0, 0, 0, UInt8(size >> 24), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff), UInt8(size & 0xff),
                ]
                _ = write(log, header + buffer[0..<count], 8 + count)
            } else {
                _ = write(log, buffer, count)
            }
            return true
        }
        if count == 0 || (errno != EINTR && errno != EAGAIN) {
            close(fd)
            outputs.removeAll { $0 == fd }
        }
        return false
    }

    /// Everything the init wrote before it exited is in the log before its exit is
    /// recorded, so a reader that sees `exit.json` has all of it (the pipes are
    /// non-blocking: an orphan still holding one does not hold this up).
    private func drainOutputs() {
        for fd in outputs {
            while copyOutput(fd) {}
        }
    }

    /// Reaps every child that has ended (the container's init, and any orphan of it
    /// reparented here); records the init's exit and answers whoever waits for it.
    private func reapChildren() {
        var status: Int32 = 0
        while true {
            let pid = waitpid(-1, &status, WNOHANG)
            if pid <= 0 { break }
            guard pid == initPID else { continue }
            drainOutputs()
            let signaled = ctutor_wifsignaled(status) != 0
            let record = ExitRecord(
                exitStatus: ctutor_exit_code(status),
                signal: signaled ? ctutor_wtermsig(status) : nil, exitedAt: UTCTimestamp.string(Date()))
            exit = record
            try? root.write(record, to: root.exitFile(of: options.id))
            let answer = exitLine(record)
            waiters.forEach { reply($0, answer) }
            waiters = []
        }
    }

    private func exitLine(_ record: ExitRecord) -> String {
        record.json.serialized()
    }

    private func accept() {
        let client = Glibc.accept(listener, nil, nil)
        guard client >= 0 else { return }
        // A client that connects and says nothing must not stop the shim.
        var second = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &second, socklen_t(MemoryLayout<timeval>.size))
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        guard let line = try? ShimLine.read(client) else {
            close(client)
            return
        }
        switch ShimRequest.parse(line) {
        case .failure(let error):
            reply(client, "error \(error.message)")
        case .success(.state):
            do {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                reply(client, String(decoding: try encoder.encode(try root.ociState(of: options.id)), as: UTF8.self))
            } catch {
                reply(client, "error \(error)")
            }
        case .success(.kill(let signal)):
            guard let number = RuntimeSignal.parse(signal) else { return reply(client, "error \(signal) is not a signal") }
            let result = RuntimeStep.kill(number).run(id: options.id, root: root)
            reply(client, result.status == 0 ? "ok" : "error \(result.errors)")
        case .success(.wait):
            if let exit { reply(client, exitLine(exit)) } else { waiters.append(client) }
        case .success(.delete):
            guard exit != nil else { return reply(client, "error the container is running: kill it first") }
            let result = RuntimeStep.delete(force: false).run(id: options.id, root: root)
            deleted = result.status == 0
            reply(client, deleted ? "ok" : "error \(result.errors)")
        }
    }

    private func reply(_ client: Int32, _ line: String) {
        let bytes = Array((line.replacingOccurrences(of: "\n", with: " ") + "\n").utf8)
        _ = Glibc.send(client, bytes, bytes.count, Int32(MSG_NOSIGNAL))
        close(client)
    }
}
