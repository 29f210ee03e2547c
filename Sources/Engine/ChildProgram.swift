import Foundation

#if os(Linux)
import Glibc
#endif

/// Programs the engine starts as fresh, single-threaded processes of its own: the
/// tutor re-executes `/proc/self/exe __NAME ARGS…`, and `main` hands such a call here
/// before anything else runs (no argument parsing, no lessons, no terminal).
///
/// A multithreaded Swift process must not run Swift code in a forked child; a
/// re-executed one starts clean, so the work it does inside can be ordinary Swift.
public enum ChildProgram {
    /// Each hidden program by the name after `__`. Its result is the exit status.
    static let programs: [String: @Sendable ([String]) -> Int32] = {
        #if os(Linux)
        [
            "traceme": TraceMe.main, "threads": ThreadsChild.main,
            "netlink": NetlinkChild.main, "echo-server": EchoChild.server, "echo-client": EchoChild.client,
        ]
        #else
        [:]
        #endif
    }()

    /// The ctutor binary that carries these programs, by its real path: this very
    /// binary when it is ctutor, else — in the test runner — the `ctutor` built beside
    /// it, or `$CTUTOR_BIN`. A path, not `/proc/self/exe`: a program started through
    /// the launcher execs it from inside the launcher, whose own binary that link names.
    public static let selfExecutable: String = {
        guard let running = OwnBinary.path else { return "/proc/self/exe" }
        if running.hasSuffix("/ctutor") { return running }
        if let sibling = OwnBinary.sibling("ctutor") { return sibling }
        if let bin = ProcessInfo.processInfo.environment["CTUTOR_BIN"], access(bin, X_OK) == 0 { return bin }
        return running
    }()

    /// The argument vector that runs program `name` with `arguments`.
    public static func argv(_ name: String, _ arguments: [String] = []) -> [String] {
        precondition(programs[name] != nil, "no child program '\(name)'")
        return ["ctutor", "__" + name] + arguments
    }

    /// Runs the hidden program named by `arguments[1]` (`__NAME`) and returns its exit
    /// status; `nil` when this is not such a call.
    public static func runIfRequested(_ arguments: [String]) -> Int32? {
        guard arguments.count > 1, arguments[1].hasPrefix("__"),
            let program = programs[String(arguments[1].dropFirst(2))]
        else { return nil }
        return program(Array(arguments.dropFirst(2)))
    }
}
