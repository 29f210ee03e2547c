#if os(Linux)
import CShim
import Glibc

/// A program the launcher runs inside namespaces (`LaunchSpec.program`), with its
/// standard output and error read by the tutor through pipes, always with a deadline.
/// `finish` reads what is left, then reaps it (killing it if it outstays the deadline).
final class LaunchedProgram {
    let process: LaunchedProcess
    private var pipes: [Int32]
    private var collected: [[UInt8]] = [[], []]

    /// What a finished program left.
    struct Result {
        var exit: LaunchExit
        var output: String
        var errors: String
    }

    private init(process: LaunchedProcess, pipes: [Int32]) {
        self.process = process
        self.pipes = pipes
    }

    deinit {
        for fd in pipes where fd >= 0 { close(fd) }
    }

    /// Launches `spec`, which must name a program, with standard input from `/dev/null`.
    static func start(_ spec: LaunchSpec, record: RunRecord?) throws -> LaunchedProgram {
        precondition(spec.program != nil, "a launched program needs LaunchSpec.program")
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        try retryingEINTR("pipe2") { ctutor_pipe_cloexec(&output) }
        do {
            try retryingEINTR("pipe2") { ctutor_pipe_cloexec(&errors) }
        } catch {
            output.forEach { close($0) }
            throw error
        }
        let process: LaunchedProcess
        do {
            process = try NamespaceLauncher.launch(spec, record: record, stdio: (-1, output[1], errors[1]))
        } catch {
            (output + errors).forEach { close($0) }
            throw error
        }
        // Only the program holds the write ends now: end of file means it exited.
        close(output[1])
        close(errors[1])
        return LaunchedProgram(process: process, pipes: [output[0], errors[0]])
    }

    /// Standard output so far.
    var output: String { String(decoding: collected[0], as: UTF8.self) }

    /// Reads until standard output has a line for which `ready` holds; `false` when
    /// the program ends or the deadline passes first.
    func read(until deadline: ContinuousClock.Instant, ready: (Substring) -> Bool) -> Bool {
        while true {
            // Only whole lines: the last piece may still be on its way.
            if output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().contains(where: ready) { return true }
            guard readMore(until: deadline) else { return false }
        }
    }

    /// Reads both pipes to their end (or the deadline), then waits for the program
    /// until the deadline and reaps it.
    func finish(until deadline: ContinuousClock.Instant) -> Result {
        while readMore(until: deadline) {}
        let left = ContinuousClock.now.duration(to: deadline)
        let exit = process.wait(timeout: max(left, .milliseconds(100)))
        return Result(exit: exit, output: output, errors: String(decoding: collected[1], as: UTF8.self))
    }

    /// One round of `poll` and `read`; `false` when both pipes ended or time is up.
    private func readMore(until deadline: ContinuousClock.Instant) -> Bool {
        let open = pipes.indices.filter { pipes[$0] >= 0 }
        let left = ContinuousClock.now.duration(to: deadline)
        guard !open.isEmpty, left > .zero else { return false }
        var waiting = open.map { pollfd(fd: pipes[$0], events: Int16(POLLIN), revents: 0) }
        let ready = poll(&waiting, nfds_t(waiting.count), Int32((left / .milliseconds(1)).rounded(.up)))
        if ready < 0 { return errno == EINTR }
        if ready == 0 { return false }
        var chunk = [UInt8](repeating: 0, count: 4096)
        for (slot, index) in open.enumerated() where waiting[slot].revents != 0 {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(pipes[index], $0.baseAddress, $0.count) }
            if count > 0 {
                collected[index] += chunk[..<count]
            } else if count == 0 || errno != EINTR {
                close(pipes[index])
                pipes[index] = -1
            }
        }
        return true
    }
}
#endif
