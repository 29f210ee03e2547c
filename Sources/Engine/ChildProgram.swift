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
        ["netlink": NetlinkChild.main, "echo-server": EchoChild.server, "echo-client": EchoChild.client]
        #else
        [:]
        #endif
    }()

    /// The path that re-executes this very binary, whatever its name on disk.
    public static let selfExecutable = "/proc/self/exe"

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
