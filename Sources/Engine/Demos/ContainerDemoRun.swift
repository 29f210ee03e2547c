import Foundation
import TutorCore

#if os(Linux)
import CShim
import Glibc
#endif

/// The life every container demo shares: pick the mode, start real containers
/// (their output captured), let the demo observe them from outside, let a holder
/// look (`whileAlive`), then release every container and record the cleanup.
struct ContainerDemoRun {
    let info: DemoInfo
    let preference: ModePreference

    func run(
        observe: (ContainerDemoContext, inout DemoReport) throws -> Void, whileAlive: ((NamespaceChild) throws -> Void)?
    ) -> DemoReport {
        let probe = MachineProbe.current()
        guard probe.isLinux else { return probe.notLinuxReport(info) }
        let rootless = preference.isRootless(on: probe)
        var report = DemoReport(demo: info.id, title: info.title, mode: rootless ? .rootless : .real)
        let context = ContainerDemoContext(rootless: rootless)
        do {
            try observe(context, &report)
            if let whileAlive, let first = context.containers.first {
                try whileAlive(NamespaceChild(pid: first.pid, others: context.containers.dropFirst().map(\.pid)))
            }
        } catch ContainerError.refused(let reason, let remedy) {
            report.record(DemoFailure(unavailable: true, reason: reason, remedy: remedy))
        } catch {
            report.record(DemoFailure(error, rootless: rootless, probe: probe))
        }
        // Their input closed, the containers' `read` returns and they exit on their own.
        for container in context.containers { context.closeInput(of: container) }
        for container in context.containers.reversed() {
            let exit = container.wait(timeout: .seconds(2))
            report.steps.append(exit.launch.step)
            report.cleanup += container.release()
            report.recordHostChanges(exit.launch.hostChanges)
        }
        context.closeOutputs()
        return report
    }
}

/// What a container demo's `observe` uses: start containers whose output it can
/// read; they are all released when the demo ends.
final class ContainerDemoContext {
    let rootless: Bool
    private(set) var containers: [Container] = []
    private var outputs: [Int32] = []

    init(rootless: Bool) {
        self.rootless = rootless
    }

    /// Starts a container of `request` (removed when it ends); its standard output and
    /// error go to a pipe read by ``output(of:until:timeout:)``; its input to another, kept open.
    func start(_ request: ContainerRequest) throws -> Container {
        var request = request
        request.autoRemove = true
        request.rootless = request.rootless || rootless
        var pipe: [Int32] = [-1, -1]
        var input: [Int32] = [-1, -1]
        try retryingEINTR("pipe2") { ctutor_pipe_cloexec(&pipe) }
        try retryingEINTR("pipe2") { ctutor_pipe_cloexec(&input) }
        defer {
            close(pipe[1])
            close(input[0])
        }
        let container = try Container.start(request, stdio: (input[0], pipe[1], pipe[1]))
        containers.append(container)
        outputs.append(pipe[0])
        inputs.append(input[1])
        return container
    }

    private var inputs: [Int32] = []

    /// Closes a container's input: a `read` waiting in it returns.
    fileprivate func closeInput(of container: Container) {
        guard let index = containers.firstIndex(where: { $0 === container }), inputs[index] >= 0 else { return }
        close(inputs[index])
        inputs[index] = -1
    }

    /// What the container has printed since the last call, up to a line starting with `prefix`.
    func output(of container: Container, untilLineStarting prefix: String, timeout: Duration = .seconds(10)) throws -> String {
        try output(of: container, until: nil, timeout: timeout) { $0.split(separator: "\n").contains { $0.hasPrefix(prefix) } }
    }

    /// What the container has printed so far, reading until a line equal to `marker`
    /// (or end of output, or `timeout`).
    func output(
        of container: Container, until marker: String?, timeout: Duration = .seconds(10), done: ((String) -> Bool)? = nil
    ) throws -> String {
        guard let index = containers.firstIndex(where: { $0 === container }) else { return "" }
        let fd = outputs[index]
        let deadline = ContinuousClock.now + timeout
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let marker, text.split(separator: "\n").contains(Substring(marker)) { return text }
            if let done, done(text) { return text }
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { throw ChildFailure.silent(seconds: Int(timeout.components.seconds)) }
            var pending = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pending, 1, Int32((left / .milliseconds(1)).rounded(.up)))
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { continue }
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 {
                if marker == nil && done == nil { return text }
                throw ChildFailure.malformedReport(text)
            }
            text += String(decoding: buffer[0..<count], as: UTF8.self)
        }
    }

    func closeOutputs() {
        (outputs + inputs).filter { $0 >= 0 }.forEach { close($0) }
        outputs = []
        inputs = []
    }
}

extension String {
    /// The value of a `key=value` line of a container's output.
    func value(of key: String) -> String? {
        split(separator: "\n").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }
}
