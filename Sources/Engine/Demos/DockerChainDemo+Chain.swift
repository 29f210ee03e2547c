import Foundation
import TutorCore

#if os(Linux)
import Glibc
#endif

/// One run of the docker-chain demo: a daemon on a private socket and state
/// directory, one container, and everything needed to take them all down.
final class DockerChain {
    let directory: String
    var socket: String { directory + "/docker.sock" }
    var root: String { directory + "/root" }
    var client: DockerClient { DockerClient(socket: socket) }
    let runRecord = RunRecord.begin(demo: DockerChainDemo.info.id)
    var daemonPID: pid_t = 0
    var containerID: String?
    var initPID: Int32 = 0
    var shimPID: Int32 = 0

    init() throws {
        let base = StateDirectory.base(environment: ProcessInfo.processInfo.environment)?.path ?? "/run/ctutor"
        directory = base + "/dc-\(String(UInt16.random(in: 0...UInt16.max), radix: 16))"
        runRecord.add(.directory(path: directory))
        guard mkdir(directory, 0o700) == 0 else { throw SyscallError(call: "mkdir \(directory)", errno: errno) }
    }

    /// `ctutor daemon --socket … --root …`, this process's child, answering `_ping`.
    func startDaemon() throws -> pid_t {
        let log = open(directory + "/daemon.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard log >= 0 else { throw SyscallError(call: "open daemon.log", errno: errno) }
        defer { close(log) }
        daemonPID = try ShimSpawn.start(["daemon", "--socket", socket, "--root", root], stdio: (-1, log, log))
        runRecord.addProcess(daemonPID)
        for _ in 0..<250 {
            if (try? client.request("GET", "/_ping"))?.status == 200 { return daemonPID }
            usleep(20_000)
        }
        throw ContainerError.failed("ctutor daemon did not answer on \(socket): \(daemonLog)")
    }

    var daemonLog: String { (try? String(contentsOfFile: directory + "/daemon.log", encoding: .utf8)) ?? "" }

    /// SIGTERM, and reaps it.
    func stopDaemon() {
        guard daemonPID > 0 else { return }
        kill(daemonPID, SIGTERM)
        var status: Int32 = 0
        while waitpid(daemonPID, &status, 0) == -1 && errno == EINTR {}
        runRecord.removeProcess(daemonPID)
        daemonPID = 0
    }

    /// `(parent, command line)` from `/proc/<pid>`, read from outside.
    static func process(_ pid: Int32) -> (parent: Int32, command: String)? {
        guard let stat = try? ProcFS.readFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, fields[0] != "Z", let parent = Int32(fields[1]) else { return nil }
        let cmdline = (try? ProcFS.readFile("/proc/\(pid)/cmdline")) ?? ""
        let words = cmdline.split(separator: "\0").map(String.init)
        // The shim's and daemon's paths are long; the first words say what it is.
        let command = words.enumerated().map { $0.offset == 0 ? ($0.element as NSString).lastPathComponent : $0.element }
        return (parent, command.prefix(4).joined(separator: " "))
    }

    private func expect(_ response: DockerClient.Response, _ statuses: Set<Int>, _ what: String) throws -> DockerClient.Response {
        guard statuses.contains(response.status) else { throw ContainerError.failed("\(what): \(response.status) \(response.message)") }
        return response
    }

    func observe(_ report: inout DemoReport, whileAlive: ((NamespaceChild) throws -> Void)?) throws {
        let daemon = try startDaemon()
        report.steps.append(
            Localized(
                ko: "ctutor daemon 시작 (PID \(daemon)): \(socket)에서 HTTP로 Docker Engine API를 받음",
                en: "started ctutor daemon (PID \(daemon)): the Docker Engine API, over HTTP on \(socket)"))
        let body: [String: Any] = ["Image": "busybox", "Cmd": ["sh", "-c", "echo hello from the chain; exec sleep 60"]]
        let created = try expect(try client.request("POST", "/containers/create?name=chain", json: body), [201], "POST /containers/create")
        let id = try (created.object["Id"] as? String).unwrapped("the daemon's answer has no Id")
        containerID = id
        _ = try expect(try client.request("POST", "/containers/\(id)/start"), [204], "POST /containers/\(id.prefix(12))/start")
        let state =
            try expect(try client.request("GET", "/containers/\(id)/json"), [200], "GET /containers/…/json").object["State"]
            as? [String: Any]
        initPID = Int32(state?["Pid"] as? Int ?? 0)
        shimPID = Self.process(initPID)?.parent ?? 0
        report.steps.append(
            Localized(
                ko:
                    "클라이언트 → POST /containers/create (201, id \(id.prefix(12))) → POST /start (204): 데몬의 containerd가 OCI 번들과 overlay 스냅숏을 만들고 shim을 띄움",
                en:
                    "client → POST /containers/create (201, id \(id.prefix(12))) → POST /start (204): the daemon's containerd made an OCI bundle and an overlay snapshot and started a shim"
            ))
        report.steps.append(
            Localized(
                ko:
                    "shim(PID \(shimPID))이 런타임의 create와 start를 각각 자식 프로세스로 실행했고(ctutor runtime과 같은 코드), 그 자식은 runc처럼 일을 마치고 종료 — 컨테이너 init(PID \(initPID))의 부모는 shim",
                en:
                    "the shim (PID \(shimPID)) ran the runtime's create and start each as a child process (the code of ctutor runtime), which exited when done, as runc does — the container's init (PID \(initPID)) is the shim's"
            ))
        report.observations.append(tree([(daemon, "daemon"), (shimPID, "shim"), (initPID, "init")]))
        try whileAlive?(NamespaceChild(pid: initPID, others: [shimPID, daemon]))

        stopDaemon()
        let after = Self.process(initPID)
        report.steps.append(
            Localized(
                ko: "데몬에 SIGTERM: 데몬 종료, 소켓 제거(\(access(socket, F_OK) != 0 ? "없음" : "남음")) — 컨테이너는?",
                en:
                    "SIGTERM to the daemon: it exited and removed its socket (\(access(socket, F_OK) != 0 ? "gone" : "still there")) — and the container?"
            ))
        report.observations.append(
            Observation(
                id: "survives", label: Localized(ko: "데몬이 멈춘 뒤 컨테이너 init의 부모", en: "The container init's parent after the daemon stopped"),
                expect: .match,
                sides: [
                    ObservationSide(role: "shim", label: Localized(ko: "shim PID", en: "shim PID"), value: "\(shimPID)"),
                    ObservationSide(
                        role: "parent", label: Localized(ko: "init(\(initPID))의 PPID", en: "PPID of init (\(initPID))"),
                        value: after.map { "\($0.parent)" } ?? "exited"),
                ]))

        let again = try startDaemon()
        let found = daemonLog.split(separator: "\n").filter { $0.contains("found") }.map(String.init)
        let listed = try expect(try client.request("GET", "/containers/json"), [200], "GET /containers/json").json as? [[String: Any]] ?? []
        report.steps.append(
            Localized(
                ko: "데몬 재시작 (PID \(again)): shim.json과 shim.sock으로 컨테이너를 다시 찾음 — \(found.joined(separator: "; "))",
                en:
                    "daemon started again (PID \(again)): it finds containers again from shim.json and shim.sock — \(found.joined(separator: "; "))"
            ))
        report.observations.append(
            Observation(
                id: "found", label: Localized(ko: "새 데몬의 GET /containers/json", en: "The new daemon's GET /containers/json"),
                expect: .match,
                sides: [
                    ObservationSide(role: "container", label: Localized(ko: "실행한 컨테이너", en: "Container run"), value: String(id.prefix(12))),
                    ObservationSide(
                        role: "listed", label: Localized(ko: "목록에 있는 것", en: "Listed"),
                        value: listed.compactMap { ($0["Id"] as? String)?.prefix(12) }.joined(separator: ", ")),
                ]))
        report.observations.append(tree([(again, "daemon"), (shimPID, "shim"), (initPID, "init")]).renamed("tree-after"))
    }

    private func tree(_ processes: [(Int32, String)]) -> Observation {
        let roles = ["daemon": "dockerd+containerd", "shim": "containerd-shim", "init": "container init"]
        let lines = processes.map { pid, role in
            let process = Self.process(pid)
            return "PID \(pid)  PPID \(process.map { "\($0.parent)" } ?? "-")  \(roles[role] ?? role): \(process?.command ?? "(gone)")"
        }
        return Observation(
            id: "tree", label: Localized(ko: "프로세스 트리 (/proc/<pid>/stat, cmdline)", en: "Process tree (/proc/<pid>/stat, cmdline)"),
            expect: .show,
            sides: [ObservationSide(role: "proc", label: Localized(ko: "/proc", en: "/proc"), value: lines.joined(separator: "\n"))])
    }
}

extension Observation {
    fileprivate func renamed(_ id: String) -> Observation {
        var copy = self
        copy.id = id
        return copy
    }
}

extension Optional {
    fileprivate func unwrapped(_ problem: String) throws -> Wrapped {
        guard let self else { throw ContainerError.failed(problem) }
        return self
    }
}
