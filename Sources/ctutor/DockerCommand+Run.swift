import Engine
import Foundation

extension DockerSession {
    /// `run [-d] [--rm] [--name N] IMAGE [CMD…]` as the docker CLI does it: create;
    /// without -d attach, wait (registered before the start), start, print the output
    /// and exit with the container's status.
    func run(_ rest: [String]) throws -> Int32 {
        var detach = false
        var remove = false
        var name: String?
        var index = 0
        while index < rest.count, rest[index].hasPrefix("-") {
            switch rest[index] {
            case "-d", "--detach": detach = true
            case "--rm": remove = true
            case "--name":
                index += 1
                guard index < rest.count else { throw Failure(message: "--name needs a value") }
                name = rest[index]
            default: throw Failure(message: "ctutor docker run does not support \(rest[index]) (-d, --rm, --name)", status: 125)
            }
            index += 1
        }
        guard index < rest.count else { throw Failure(message: "run needs an image, e.g. busybox", status: 125) }
        var body: [String: Any] = ["Image": rest[index], "HostConfig": ["AutoRemove": remove]]
        if index + 1 < rest.count { body["Cmd"] = Array(rest[(index + 1)...]) }
        let query = name.map { "?name=\($0)" } ?? ""
        let created = try client.request("POST", "/containers/create\(query)", json: body)
        guard created.status == 201, let id = created.object["Id"] as? String else { throw Failure(message: created.message, status: 125) }
        if detach {
            _ = try expectStart(id)
            print(id)
            return 0
        }
        let streams = DockerStreams()
        let attached = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let client = self.client
        // The attach and the wait each hold a connection open until the container ends;
        // both are in place (their headers in) before the start.
        Thread.detachNewThread {
            _ = try? client.request(
                "POST", "/containers/\(id)/attach?stream=1&stdout=1&stderr=1", upgrade: true, onHead: { attached.signal() },
                onBody: streams.write)
            attached.signal()
            finished.signal()
        }
        let waiter = WaitResult()
        let condition = remove ? "removed" : "next-exit"
        let waiting = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            waiter.response = try? client.request("POST", "/containers/\(id)/wait?condition=\(condition)", onHead: { waiting.signal() })
            waiting.signal()
            waiter.done.signal()
        }
        attached.wait()
        waiting.wait()
        try expectStart(id)
        waiter.done.wait()
        finished.wait()
        return Int32(waiter.response?.object["StatusCode"] as? Int ?? 125)
    }

    @discardableResult
    private func expectStart(_ id: String) throws -> DockerClient.Response {
        let started = try client.request("POST", "/containers/\(id)/start")
        guard started.status == 204 else { throw Failure(message: started.message, status: 125) }
        return started
    }
}

/// The wait's answer, handed from its thread.
final class WaitResult: @unchecked Sendable {
    var response: DockerClient.Response?
    let done = DispatchSemaphore(value: 0)
}

/// Docker's 8-byte frames to this process's stdout (1) and stderr (2), across reads.
final class DockerStreams: @unchecked Sendable {
    private var pending: [UInt8] = []

    func write(_ data: Data) {
        pending += data
        while pending.count >= 8 {
            let size = pending[4..<8].reduce(0) { $0 << 8 | Int($1) }
            guard pending.count >= 8 + size else { return }
            let payload = Data(pending[8..<(8 + size)])
            (pending[0] == 2 ? FileHandle.standardError : FileHandle.standardOutput).write(payload)
            pending.removeFirst(8 + size)
        }
    }
}
