import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// What `strace -c -f` counted for a command: calls by name, and its total line.
private struct StraceSummary {
    var calls: [String: Int]
    var total: Int

    /// Runs `strace -c -f` on `command` with its output sent to `/dev/null`, as the demo does.
    init(tracing command: [String]) throws {
        let table = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-strace-\(getpid()).txt")
        defer { try? FileManager.default.removeItem(at: table) }
        let script = "exec strace -c -f -o \(table.path) \(command.joined(separator: " ")) > /dev/null"
        let run = try Witness.run("sh", ["-c", script])
        try #require(run.status == 0, "strace -c -f \(command) exited with \(run.status)")
        var calls: [String: Int] = [:]
        var total: Int?
        // "% time seconds usecs/call calls [errors] syscall": calls is the fourth column.
        for line in try Witness.text(table.path).split(separator: "\n") {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count >= 5, Double(fields[0]) != nil, let count = Int(fields[3]) else { continue }
            if fields.last == "total" { total = count } else { calls[String(fields.last!)] = count }
        }
        self.calls = calls
        self.total = try #require(total, "no total line in strace's table")
    }
}

private let binary = Witness.ctutorBinary ?? ""

@Suite(
    "OS demo", .serialized, .enabled(if: Witness.isLinux, "reads /proc and traces with ptrace: Linux only"),
    .enabled(if: Witness.ctutorBinary != nil, Witness.noBinaryReason))
struct OSDemoTests {
    @Test("the machine facts are what the test reads itself (nproc, uname, getent, /proc/meminfo, os-release)")
    func machineFacts() throws {
        let report = OSDemo(childExecutable: binary).run()
        #expect(report.reason == nil, "\(report.reason?.en ?? "")")
        #expect(report.mode == .real || (geteuid() != 0 && report.mode == .rootless))

        let nproc = try Witness.run("nproc", [])
        #expect(report.observation("cpus")?.value("machine") == nproc.output.trimmingCharacters(in: .whitespacesAndNewlines))

        let memTotal = try #require(
            try Witness.text("/proc/meminfo").split(separator: "\n").first { $0.hasPrefix("MemTotal:") })
        let kilobytes = try #require(memTotal.split(whereSeparator: \.isWhitespace).dropFirst().first)
        #expect(report.observation("memory")?.value("machine")?.hasSuffix("(\(kilobytes) kB)") == true)

        let uname = try Witness.run("uname", ["-s", "-r", "-m"]).output.split(whereSeparator: \.isWhitespace)
        #expect(report.observation("kernel")?.value("machine") == "\(uname[0]) \(uname[1]) (\(uname[2]))")

        if let line = try? Witness.text("/etc/os-release").split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") }) {
            let name = line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            #expect(report.observation("distribution")?.value("machine") == name)
        }

        let modelLine = try Witness.text("/proc/cpuinfo").split(separator: "\n").first { $0.hasPrefix("model name") }
        if let modelLine, let colon = modelLine.firstIndex(of: ":") {
            let model = modelLine[modelLine.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            #expect(report.observation("cpu-model")?.value("machine") == model)
        }

        let shell = try #require(report.observation("shell")?.value("machine")).split(separator: "\n").map(String.init)
        #expect(shell.first == "$SHELL  " + (ProcessInfo.processInfo.environment["SHELL"] ?? "-"))
        let entry = try Witness.run("getent", ["passwd", "\(geteuid())"])
        #expect(shell.last == "passwd  " + entry.output.trimmingCharacters(in: .newlines))
    }

    @Test("the program and libraries listed are what /proc/<pid>/maps and ldd show the test")
    func libraries() throws {
        var seen: (pid: Int32, files: [String])?
        let report = OSDemo(childExecutable: binary).run { child in
            let executable = try Witness.link("/proc/\(child.pid)/exe")
            var libraries: [String] = []
            for line in try Witness.text("/proc/\(child.pid)/maps").split(separator: "\n") {
                guard let slash = line.firstIndex(of: "/") else { continue }
                let path = String(line[slash...])
                let name = path.split(separator: "/").last ?? ""
                if (name.hasSuffix(".so") || name.contains(".so.")) && !libraries.contains(path) { libraries.append(path) }
            }
            seen = (child.pid, [executable] + libraries)
        }
        let sighting = try #require(seen, "the sleep process was never alive: \(report.reason?.en ?? "")")
        let listed = try #require(report.observation("libraries")?.value("process")).split(separator: "\n").map(String.init)
        #expect(listed == sighting.files)
        #expect(listed.count >= 2, "a dynamically linked sleep maps at least the C library")

        // ldd names the libraries the loader will map; maps shows each by its resolved path.
        let ldd = try Witness.run("ldd", ["/bin/sleep"]).output
        let needed = ldd.split(separator: "\n").compactMap { line -> String? in
            guard let slash = line.firstIndex(of: "/") else { return nil }
            let path = line[slash...].split(separator: " ").first.map(String.init) ?? ""
            return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        }
        #expect(!needed.isEmpty)
        for library in needed { #expect(listed.contains(library), "ldd names \(library), the report does not") }
        #expect(!Witness.exists(pid: sighting.pid))
    }

    @Test(
        "the count agrees with strace -c -f, kind by kind", .enabled(if: Witness.isInstalled("strace"), "strace is not installed"))
    func countAgreesWithStrace() throws {
        let command = ["/bin/ls", "/"]
        let strace = try StraceSummary(tracing: command)
        let report = OSDemo(tracedCommand: command, childExecutable: binary).run()
        #expect(report.reason == nil, "\(report.reason?.en ?? "")")
        // strace counts a call when it returns; exit_group never does.
        let exitGroup = strace.calls["exit_group"] == nil ? 1 : 0
        #expect(report.observation("syscalls")?.value("command") == "\(strace.total + exitGroup)")
        let kinds = try #require(report.observation("syscall-kinds")?.value("command")).split(separator: "\n")
        #expect(!kinds.isEmpty)
        for line in kinds {
            let fields = line.split(separator: " ")
            let name = String(fields[0])
            #expect(Int(fields.last ?? "") == strace.calls[name], "\(name): ours \(fields.last ?? ""), strace \(strace.calls[name] ?? 0)")
        }

        let processes = DemoProcesses(demo: "test")
        defer { processes.finish() }
        let count = try SyscallCounter(command: command, childExecutable: binary).run(processes: processes)
        for (name, calls) in strace.calls { #expect(count.count(name) == calls, "\(name)") }
        #expect(count.count("exit_group") == 1)
    }

    @Test("the counter alone: execve once, exit_group once, more than ten calls, the tracee reaped")
    func counterInvariants() throws {
        let processes = DemoProcesses(demo: "test")
        defer { processes.finish() }
        let count = try SyscallCounter(command: ["/bin/cat", "/etc/hostname"], childExecutable: binary).run(processes: processes)
        #expect(count.count("execve") == 1)
        #expect(count.count("exit_group") == 1)
        #expect(count.total > 10)
        #expect(count.total == count.byNumber.values.reduce(0, +))
        let exit = try #require(processes.exits.last)
        #expect(exit.gone)
        #expect(processes.live.isEmpty)
        #expect(!Witness.children().contains(exit.pid))
    }

    @Test("a command that cannot start is reported as the child's execv failure")
    func missingCommand() throws {
        let processes = DemoProcesses(demo: "test")
        defer { processes.finish() }
        #expect(throws: SyscallCounterFailure.child(SyscallError(call: "execv", errno: ENOENT))) {
            try SyscallCounter(command: ["/nonexistent/ctutor-test"], childExecutable: binary).run(processes: processes)
        }
        #expect(processes.live.isEmpty)
        #expect(processes.exits.allSatisfy { $0.gone })
    }

    @Test("a command that outlives the timeout is killed and reaped")
    func timeout() throws {
        let processes = DemoProcesses(demo: "test")
        defer { processes.finish() }
        #expect(throws: SyscallCounterFailure.timedOut(seconds: 1)) {
            try SyscallCounter(command: ["/bin/sleep", "30"], timeout: .seconds(1), childExecutable: binary).run(processes: processes)
        }
        let exit = try #require(processes.exits.last)
        #expect(exit.gone)
        #expect(processes.live.isEmpty)
    }

    @Test(
        "under another tracer, the count is refused: the report says why and what to do, and the rest stands",
        .enabled(if: Witness.isInstalled("strace"), "strace is not installed"))
    func refusedUnderAnotherTracer() throws {
        // strace -f traces ctutor's children too, so their PTRACE_TRACEME fails with EPERM.
        let run = try Witness.run("strace", ["-f", "-o", "/dev/null", binary, "demo", "os", "--json", "--lang", "en"])
        #expect(run.status == 0)
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "not JSON: \(run.output)")
        let reason = try #require(report["reason"] as? String)
        #expect(reason.contains("ptrace(PTRACE_TRACEME): EPERM"))
        #expect(reason.contains("TracerPid"))
        #expect(report["remedy"] as? String == "Run ctutor outside strace or gdb.")
        let ids = (report["observations"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids.contains("libraries") && ids.contains("kernel"))
        #expect(!ids.contains("syscalls"))
        #expect(report["cleanup"] as? String == "ok")
    }

    @Test("nothing is left behind, even when whileAlive throws: no child, no /proc entry, no run record")
    func nothingLeftBehind() throws {
        struct Interrupted: Error {}
        var pid: Int32?
        var recorded: [Int32] = []
        let report = OSDemo(childExecutable: binary).run { child in
            pid = child.pid
            #expect(Witness.children().contains(child.pid))
            recorded = try #require(Witness.runRecord(demo: "os"), "no run record while the demo runs")
            throw Interrupted()
        }
        let sleeper = try #require(pid)
        #expect(recorded == [sleeper], "the record lists the live sleep process, and the reaped tracee no more")
        #expect(report.reason?.en.contains("Interrupted") == true)
        #expect(report.observation("libraries") != nil, "observations made before the throw are kept")
        #expect(report.cleanupStatus == "ok")
        #expect(report.cleanup.count == 2, "the sleep and the traced command")
        #expect(!Witness.exists(pid: sleeper))
        #expect(!Witness.children().contains(sleeper))
        #expect(Witness.runRecord(demo: "os") == nil)
    }
}

@Suite("Memory maps")
struct MemoryMapsTests {
    @Test("file-backed paths once each, in address order; libraries by .so in the name; [vdso] noticed")
    func parsing() {
        let maps = MemoryMaps(
            parsing: """
                55d0c3e00000-55d0c3e02000 r--p 00000000 fe:01 254651                     /usr/bin/sleep
                55d0c3e02000-55d0c3e06000 r-xp 00002000 fe:01 254651                     /usr/bin/sleep
                7f1a2c000000-7f1a2c028000 r--p 00000000 fe:01 263110                     /usr/lib/x86_64-linux-gnu/libc.so.6
                7f1a2c200000-7f1a2c201000 rw-p 00000000 00:00 0
                7f1a2c300000-7f1a2c301000 r--p 00000000 fe:01 300001                     /opt/my app/libplug.so
                7f1a2c400000-7f1a2c401000 r--p 00000000 fe:01 300002                     /usr/lib/locale/C.utf8/LC_CTYPE
                7ffd5a1fe000-7ffd5a200000 r-xp 00000000 00:00 0                          [vdso]
                7f1a2c500000-7f1a2c501000 r--p 00000000 fe:01 263111                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
                """)
        #expect(
            maps.files == [
                "/usr/bin/sleep", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/opt/my app/libplug.so",
                "/usr/lib/locale/C.utf8/LC_CTYPE", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
            ])
        #expect(
            maps.sharedLibraries == [
                "/usr/lib/x86_64-linux-gnu/libc.so.6", "/opt/my app/libplug.so", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
            ])
        #expect(maps.hasVDSO)
        #expect(!MemoryMaps(parsing: "").hasVDSO)
    }
}
