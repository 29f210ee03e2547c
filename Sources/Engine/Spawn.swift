#if os(Linux)
import CShim
import Glibc

/// What a started program's standard descriptors become before it starts.
enum SpawnFileAction: Equatable {
    /// `open(path, flags)` as descriptor `fd` (`/dev/null` for standard output).
    case open(fd: Int32, path: String, flags: Int32)
    /// `dup2(source, target)`: a pipe end on a fixed descriptor number.
    case duplicate(Int32, to: Int32)
}

/// Pipes for the programs a demo starts (through ``DemoProcesses/spawn``).
enum Spawn {
    /// `pipe2(O_CLOEXEC)`: (read end, write end).
    static func pipe() throws(SyscallError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        try retryingEINTR("pipe2") { ctutor_pipe_cloexec(&ends) }
        return (ends[0], ends[1])
    }
}
#endif
