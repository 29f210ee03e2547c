import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The tests' own eyes on the system: plain Foundation reads of `/proc` and
/// util-linux tools, independent of the engine's `ProcFS`.
enum Witness {
    static let isLinux: Bool = {
        #if os(Linux)
        true
        #else
        false
        #endif
    }()

    static let isRoot: Bool = isLinux && geteuid() == 0

    /// The built `ctutor` whose hidden child programs (`ctutor __threads`, `__traceme`)
    /// the demos start: the test runner's own binary has none. The one beside the test
    /// runner, else `CTUTOR_BIN`; `nil` when neither is built.
    static let ctutorBinary: String? = {
        let runner = URL(fileURLWithPath: (try? link("/proc/self/exe")) ?? "")
        let candidates =
            [runner.deletingLastPathComponent().appendingPathComponent("ctutor").path]
            + [ProcessInfo.processInfo.environment["CTUTOR_BIN"]].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let noBinaryReason: Comment = "needs the built ctutor beside the test runner (swift build) or CTUTOR_BIN"

    /// Our own children, by PID: what a demo that failed to reap would leave.
    static func children() -> [Int32] {
        let me = getpid()
        return processes().filter { $0.parent == me }.map(\.pid)
    }

    /// The run record this test process keeps for a run of `demo`, read as the plain
    /// text it is (`demo ID`, `process PID START` lines) from the state directories a
    /// run may use: the PIDs of the processes it lists.
    /// `nil` when there is none (the run finished, or never began).
    static func runRecord(demo: String) -> [Int32]? {
        let directories =
            ["/run/ctutor/runs", "/tmp/ctutor-\(geteuid())/runs"]
            + [ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"].map { $0 + "/ctutor/runs" }].compactMap { $0 }
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names where name.hasPrefix("run-\(getpid())-") {
                guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) else { continue }
                let lines = text.split(separator: "\n")
                guard lines.contains("demo \(demo)") else { continue }
                return lines.filter { $0.hasPrefix("process ") }.compactMap { Int32($0.split(separator: " ")[1]) }
            }
        }
        return nil
    }

    /// Whether a tool is installed in the usual system directories.
    static func isInstalled(_ tool: String) -> Bool {
        ["/usr/bin", "/bin", "/usr/sbin", "/sbin"].contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    static func link(_ path: String) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    static func exists(pid: Int32) -> Bool {
        FileManager.default.fileExists(atPath: "/proc/\(pid)")
    }

    /// The whitespace-separated values of one `/proc/<pid>/status` line.
    static func status(_ key: String, pid: Int32) throws -> [String] {
        let line = try text("/proc/\(pid)/status").split(separator: "\n").first { $0.hasPrefix(key + ":") }
        return line.map { $0.dropFirst(key.count + 1).split(whereSeparator: \.isWhitespace).map(String.init) } ?? []
    }

    static func hostname() -> String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs a tool found in the usual system directories; its exit status and standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let path = try #require(
            ["/usr/bin", "/bin", "/usr/sbin", "/sbin"].map { "\($0)/\(tool)" }
                .first { FileManager.default.isExecutableFile(atPath: $0) },
            "\(tool) is not installed")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Every process as `/proc` lists it: PID, parent PID, and its UTS namespace link
    /// (`nil` when it exited while we looked).
    static func processes() -> [(pid: Int32, parent: Int32, uts: String?)] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = Int32(entry), let stat = try? text("/proc/\(entry)/stat"),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // After "pid (comm)" come state and parent PID; comm may hold spaces and parentheses.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = Int32(fields[1]) else { return nil }
            return (pid, parent, try? link("/proc/\(entry)/ns/uts"))
        }
    }

    /// Our own children that live in a UTS namespace other than ours: what a demo
    /// that failed to clean up would leave.
    static func isolatedChildren() throws -> [Int32] {
        let ours = try link("/proc/self/ns/uts")
        let me = getpid()
        return processes().filter { $0.parent == me && $0.uts != nil && $0.uts != ours }.map(\.pid)
    }
}
