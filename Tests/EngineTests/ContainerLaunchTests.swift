import Foundation
import Testing
import TutorCore

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// The launcher's container path on a plain busybox directory (runc's bind-mounted
/// rootfs), observed from outside: PID 1, pivot_root, Docker's capabilities,
/// no_new_privs, masked and read-only paths, escapes through symlinks.
@Suite(
    "Container launch", .serialized,
    .enabled(if: Witness.isLinux && FileManager.default.fileExists(atPath: "/bin/busybox"), "needs Linux and busybox-static"))
struct ContainerLaunchTests {
    /// A root filesystem of busybox and its applets; removed by `remove()`.
    struct BusyboxRoot {
        let path: String

        init() throws {
            path = NSTemporaryDirectory() + "ctutor-rootfs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try FileManager.default.createDirectory(atPath: path + "/bin", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: path + "/bin/busybox")
            for applet in ["sh", "cat", "echo", "wc", "ls", "hostname", "readlink", "sleep", "grep", "touch", "head"] {
                try FileManager.default.createSymbolicLink(atPath: path + "/bin/" + applet, withDestinationPath: "busybox")
            }
            try FileManager.default.createDirectory(atPath: path + "/etc", withIntermediateDirectories: true)
            chmod(path, 0o755)
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Runs `script` in a Docker-default container on `root`; returns what it printed
    /// and how it exited, having checked `whileRunning` from outside first.
    func run(
        _ script: String, root: BusyboxRoot, adjust: (inout OCISpec) -> Void = { _ in },
        whileRunning: (Int32) throws -> Void = { _ in }
    ) throws -> (output: String, exit: LaunchExit) {
        var config = OCISpec.docker(
            args: ["sh", "-c", script], env: ["PATH=/bin"], hostname: "box", rootless: !Witness.isRoot, rootPath: root.path)
        adjust(&config)
        let spec = try config.launchSpec(rootfs: root.path)
        var pipe: [Int32] = [0, 0]
        #expect(Glibc.pipe(&pipe) == 0)
        var gate: [Int32] = [0, 0]
        #expect(Glibc.pipe(&gate) == 0)
        let record = RunRecord.begin(demo: "container-test")
        defer { record.finish() }
        let process = try NamespaceLauncher.launch(spec, record: record, stdio: (gate[0], pipe[1], pipe[1]))
        close(pipe[1])
        close(gate[0])
        var output = Data()
        var failure: Error?
        do { try whileRunning(process.pid) } catch { failure = error }
        close(gate[1])
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(pipe[0], &buffer, buffer.count)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        close(pipe[0])
        let exit = process.wait(timeout: .seconds(10))
        if let failure { throw failure }
        return (String(decoding: output, as: UTF8.self), exit)
    }

    @Test("PID 1 in a new root: the host's files are not there, and the host is unchanged")
    func pidOneInNewRoot() throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let hostMounts = try Witness.text("/proc/self/mountinfo")
        let result = try run("echo pid=$$; hostname; ls /; cat /etc/hostname 2>&1; read x; true", root: root, whileRunning: { pid in
            let nspid = try Witness.status("NSpid", pid: pid)
            #expect(nspid.last == "1", "NSpid: \(nspid)")
            #expect(try Witness.link("/proc/\(pid)/ns/mnt") != (try Witness.link("/proc/self/ns/mnt")))
            let mounts = try Witness.text("/proc/\(pid)/mountinfo")
            // After pivot_root the old root is detached: the root mount is the busybox directory.
            let rootLine = try #require(mounts.split(separator: "\n").first { $0.split(separator: " ")[4] == "/" })
            #expect(rootLine.split(separator: " ")[3].hasSuffix((root.path as NSString).lastPathComponent))
            #expect(!mounts.contains(" /work "), "a host mount is visible inside")
        })
        #expect(result.output.contains("pid=1\n"))
        #expect(result.output.contains("box\n"))
        let listed = result.output
        #expect(!listed.contains("\nwork\n") && listed.contains("\nbin\n"), "ls / inside: \(listed)")
        #expect(result.output.contains("No such file"), "the host's /etc/hostname is not inside")
        #expect(result.exit.exitCode == 0)
        #expect(try Witness.text("/proc/self/mountinfo") == hostMounts)
    }

    @Test("Docker's capabilities, no_new_privs, masked and read-only paths")
    func hardening() throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        // Masked files read as empty, masked directories list nothing; only those this kernel has.
        let files = ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug"].filter { FileManager.default.fileExists(atPath: $0) }
        let directories = ["/proc/acpi", "/proc/scsi", "/sys/firmware"].filter { FileManager.default.fileExists(atPath: $0) }
        let reads = files.map { "echo \($0)=$(head -c 16 \($0) | wc -c)" } + directories.map { "echo \($0)=$(ls \($0) | wc -l)" }
        let script = reads.joined(separator: "\n") + """

            echo x > /proc/sys/kernel/domainname 2>/dev/null && echo sys=writable || echo sys=readonly
            echo x > /proc/sysrq-trigger 2>/dev/null && echo sysrq=writable || echo sysrq=readonly
            touch /sys/x 2>/dev/null && echo sysfs=writable || echo sysfs=readonly
            echo fds=$(ls /proc/self/fd); read x; true
            """
        let expected = try OCISpec.capabilityMask(OCISpec.dockerCapabilities)
        let result = try run(script, root: root, whileRunning: { pid in
            let capEff = try #require(UInt64(try Witness.status("CapEff", pid: pid).first ?? "", radix: 16))
            let capBnd = try #require(UInt64(try Witness.status("CapBnd", pid: pid).first ?? "", radix: 16))
            #expect(capEff == expected)
            #expect(capBnd == expected)
            #expect(try Witness.status("NoNewPrivs", pid: pid) == ["1"])
        })
        #expect(!files.isEmpty && !directories.isEmpty)
        for path in files + directories { #expect(result.output.contains("\(path)=0\n"), "\(path) is not masked: \(result.output)") }
        #expect(result.output.contains("sys=readonly\n"))
        #expect(result.output.contains("sysrq=readonly\n"))
        #expect(result.output.contains("sysfs=readonly\n"))
        // ls's own descriptors: 0, 1, 2 and the directory it reads; none inherited.
        #expect(result.output.contains("fds=0 1 2 3\n"), "inherited descriptors: \(result.output)")
    }

    @Test("the runtime's binary is out of reach: /proc/<pid>/exe is the container's program, and writing it fails")
    func runtimeBinaryUnreachable() throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let launcher = NamespaceLauncher.executable.hasPrefix("/proc/") ? OwnBinary.path ?? "" : NamespaceLauncher.executable
        let before = try FileManager.default.attributesOfItem(atPath: launcher)
        var exe = ""
        let result = try run(
            "echo x 2>/dev/null >> /proc/self/exe && echo written || echo refused; echo x 2>/dev/null >> /proc/1/exe || echo refused; read x; true",
            root: root, whileRunning: { pid in exe = try Witness.link("/proc/\(pid)/exe") })
        #expect(exe == "/bin/busybox", "the init runs \(exe)")
        #expect(result.output == "refused\nrefused\n", "\(result.output)")
        let after = try FileManager.default.attributesOfItem(atPath: launcher)
        #expect(before[.size] as? Int == after[.size] as? Int && before[.modificationDate] as? Date == after[.modificationDate] as? Date)
    }

    @Test("symlinks in the image never carry a mount outside the root")
    func symlinkEscape() throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let canary = NSTemporaryDirectory() + "ctutor-canary-\(getpid())"
        try FileManager.default.createDirectory(atPath: canary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: canary) }
        try FileManager.default.createDirectory(atPath: root.path + "/real", withIntermediateDirectories: true)
        // Absolute and climbing links resolve as if the root were "/": both land in /real.
        try FileManager.default.createSymbolicLink(atPath: root.path + "/absolute", withDestinationPath: "/real")
        try FileManager.default.createSymbolicLink(atPath: root.path + "/up", withDestinationPath: "../../../../../../real")
        let result = try run("ls /real; read x; true", root: root, adjust: { config in
            config.mounts.append(OCISpec.Mount(destination: "/absolute/one", type: "tmpfs", source: "tmpfs", options: []))
            config.mounts.append(OCISpec.Mount(destination: "/up/two", type: "tmpfs", source: "tmpfs", options: []))
        })
        #expect(result.output == "one\ntwo\n")
        // A link to a host path names nothing inside the root: refused, nothing made outside.
        try FileManager.default.createSymbolicLink(atPath: root.path + "/evil", withDestinationPath: canary)
        #expect(throws: ChildFailure.self) {
            try run("true", root: root, adjust: { config in
                config.mounts.append(OCISpec.Mount(destination: "/evil/inside", type: "tmpfs", source: "tmpfs", options: []))
            })
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: canary).isEmpty, "a directory appeared outside the root")
    }

    @Test("a program not in PATH fails with its name, and the exit code of a signal is 128+N")
    func execFailureAndSignals() throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        var config = OCISpec.docker(args: ["no-such-program"], env: ["PATH=/bin"], hostname: "box", rootless: !Witness.isRoot, rootPath: root.path)
        config.process.args = ["no-such-program"]
        let spec = try config.launchSpec(rootfs: root.path)
        #expect {
            try NamespaceLauncher.launch(spec, record: nil)
        } throws: { error in
            "\(error)".contains("no-such-program") && "\(error)".contains("ENOENT")
        }
        let killed = try run("read x", root: root, whileRunning: { pid in kill(pid, SIGKILL) })
        #expect(killed.exit.exitCode == 137)
    }
}
