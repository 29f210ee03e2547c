import Foundation

/// The Docker Engine API routes ctutor's daemon answers: versioned paths
/// (`/v1.41/containers/json`) and unversioned ones, every answer JSON, every error
/// Docker's `{"message": …}` with Docker's status code. A route it does not have is
/// answered at once with a 404 saying so.
final class DockerAPI: Sendable {
    static let apiVersion = "1.41"
    static let minimumAPIVersion = "1.24"
    static let commonHeaders: [(String, String)] = [
        ("Api-Version", apiVersion), ("Docker-Experimental", "false"), ("Ostype", "linux"),
        ("Server", "ctutor/0.1.0 (linux)"),
    ]

    enum After {
        case keepAlive
        case close
    }

    let containerd: Containerd

    init(containerd: Containerd) {
        self.containerd = containerd
    }

    /// `/vMAJOR.MINOR/rest` split up; `nil` for a path without a version. By hand: a
    /// regex literal here was compiled again for every request.
    static func versioned(_ path: String) -> (major: Int, minor: Int, rest: String)? {
        guard path.hasPrefix("/v") else { return nil }
        let afterV = path.dropFirst(2)
        guard let slash = afterV.firstIndex(of: "/") else { return nil }
        let version = afterV[..<slash].split(separator: ".", omittingEmptySubsequences: false)
        guard version.count == 2, version.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let major = Int(version[0]), let minor = Int(version[1])
        else { return nil }
        return (major, minor, String(afterV[slash...]))
    }

    /// Answers one request on `responder`; whether the connection can take another.
    func handle(_ request: HTTPRequest, _ responder: HTTPResponder) -> After {
        var path = request.path
        if let versioned = Self.versioned(path) {
            let asked = (versioned.major, versioned.minor)
            guard asked <= (1, 41) else {
                responder.sendError(
                    400, "client version \(asked.0).\(asked.1) is too new. Maximum supported API version is \(Self.apiVersion)")
                return .keepAlive
            }
            guard asked >= (1, 24) else {
                responder.sendError(
                    400, "client version \(asked.0).\(asked.1) is too old. Minimum supported API version is \(Self.minimumAPIVersion)")
                return .keepAlive
            }
            path = versioned.rest
        }
        let parts = path.split(separator: "/").map(String.init)
        do {
            switch (request.method, parts.first, parts.count) {
            case ("GET", "_ping", 1), ("HEAD", "_ping", 1):
                responder.send(200, body: Data("OK".utf8), contentType: "text/plain; charset=utf-8")
            case ("GET", "version", 1): responder.send(200, json: DockerJSON.version())
            case ("GET", "info", 1): responder.send(200, json: DockerJSON.info(containerd))
            case ("GET", "images", 2) where parts[1] == "json":
                responder.send(200, json: try containerd.images.list().map(DockerJSON.imageSummary))
            case ("GET", "images", _) where parts.count >= 3 && parts.last == "json":
                try inspectImage(parts.dropFirst().dropLast().joined(separator: "/"), responder)
            case ("POST", "images", 2) where parts[1] == "create":
                pull(request, responder)
            case (_, "containers", _):
                return try containers(request, Array(parts.dropFirst()), responder)
            default:
                responder.sendError(404, "ctutor daemon does not implement \(request.method) \(request.path)")
            }
        } catch let error as ContainerdError {
            send(error, responder)
        } catch {
            responder.sendError(500, "\(error)")
        }
        return .keepAlive
    }

    /// A manager's error with its status: 404, 409, 304, 400, 500.
    func send(_ error: ContainerdError, _ responder: HTTPResponder) {
        switch error {
        case .noSuchContainer, .noSuchImage: responder.sendError(404, error.description)
        case .conflict: responder.sendError(409, error.description)
        case .invalid: responder.sendError(400, error.description)
        case .notModified: responder.send(304)
        case .failed: responder.sendError(500, error.description)
        }
    }

    private func inspectImage(_ reference: String, _ responder: HTTPResponder) throws {
        guard let image = try? containerd.images.resolve(reference) else { throw ContainerdError.noSuchImage(reference) }
        responder.send(200, json: DockerJSON.imageInspect(image))
    }

    /// `POST /images/create?fromImage=busybox&tag=latest`: Docker's JSON progress lines.
    private func pull(_ request: HTTPRequest, _ responder: HTTPResponder) {
        guard let from = request.query["fromImage"], !from.isEmpty else {
            return responder.sendError(400, "ctutor daemon does not implement image import (fromSrc): give fromImage")
        }
        let reference = Containerd.localReference(from, tag: request.query["tag"])
        responder.beginChunked(contentType: "application/json")
        func line(_ object: [String: Any]) {
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            responder.chunk(data + Data("\r\n".utf8))
        }
        do {
            _ = try containerd.pull(reference) { step in
                line(step.id.map { ["status": step.status, "id": $0] } ?? ["status": step.status])
            }
        } catch {
            // Once the stream has begun, Docker reports a failure as a line of it.
            line(["errorDetail": ["message": error.description], "error": error.description])
        }
        responder.endChunks()
    }
}
