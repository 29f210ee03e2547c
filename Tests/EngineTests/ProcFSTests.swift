import Engine
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("ProcFS parsing")
struct ProcFSParsingTests {
    @Test("a namespace link reads as kind and inode, and prints back the same")
    func namespaceLink() throws {
        let id = try #require(NamespaceID(link: "uts:[4026531838]"))
        #expect(id.kind == "uts")
        #expect(id.inode == 4_026_531_838)
        #expect(id.description == "uts:[4026531838]")
        #expect(NamespaceID(link: "pid_for_children:[4026532201]")?.kind == "pid_for_children")
    }

    @Test("text that is not kind:[inode] is refused", arguments: ["uts:4026531838", "uts:[]", ":[1]", "uts:[12x]", "uts[1]", ""])
    func badNamespaceLink(_ link: String) {
        #expect(NamespaceID(link: link) == nil)
    }

    static let status = """
        Name:\tcat
        Umask:\t0022
        State:\tS (sleeping)
        Tgid:\t12345
        NSpid:\t12345\t17\t1
        PPid:\t1200
        Uid:\t1000\t1001\t1002\t1003
        Gid:\t100\t100\t100\t100

        """

    @Test("PPid and a zombie State are read from status")
    func parentAndZombie() {
        let zombie = ProcessStatus(parsing: "Name:\tctutor-demo\nState:\tZ (zombie)\nPPid:\t1\n")
        #expect(zombie.parentPID == 1)
        #expect(zombie.isZombie)
        let running = ProcessStatus(parsing: "State:\tS (sleeping)\nPPid:\t4242\n")
        #expect(running.parentPID == 4242)
        #expect(!running.isZombie)
        #expect(ProcessStatus(parsing: "Name:\tx\n").parentPID == nil)
    }

    @Test("NSpid lists the PID in every namespace, outermost first")
    func namespacePIDs() {
        let status = ProcessStatus(parsing: Self.status)
        #expect(status.namespacePIDs == [12345, 17, 1])
        #expect(status.uids == [1000, 1001, 1002, 1003])
        #expect(status.fields["State"] == "S (sleeping)")
    }

    @Test("a missing or garbled line reads as nil, not as a guess")
    func missingFields() {
        #expect(ProcessStatus(parsing: "Name:\tcat\n").namespacePIDs == nil)
        #expect(ProcessStatus(parsing: "NSpid:\t12 x\n").namespacePIDs == nil)
        #expect(ProcessStatus(parsing: "Uid:\t\n").uids == nil)
    }
}

@Suite("ProcFS on this machine", .enabled(if: Witness.isLinux, "reads /proc, which only Linux has"))
struct ProcFSLiveTests {
    @Test("our namespace links match what Foundation reads")
    func ownNamespaces() throws {
        for kind in [NamespaceKind.uts, .pid, .user, .mnt] {
            let link = try Witness.link("/proc/self/ns/\(kind.rawValue)")
            #expect(try ProcFS.namespace(kind).description == link)
            #expect(try ProcFS.namespace(kind, pid: getpid()).description == link)
        }
    }

    @Test("our own status has our PID as the last NSpid and our UID")
    func ownStatus() throws {
        let status = try ProcFS.status(pid: getpid())
        #expect(status.namespacePIDs?.last == getpid())
        #expect(status.uids?.first == getuid())
        #expect(ProcFS.exists(pid: getpid()))
    }

    @Test("a missing file throws ENOENT naming the path")
    func missingFile() {
        #expect(throws: SyscallError(call: "open /proc/self/no-such-file", errno: ENOENT)) {
            try ProcFS.readFile("/proc/self/no-such-file")
        }
    }

    @Test("writeFile and readFile round-trip")
    func roundTrip() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-procfs-\(getpid())").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ProcFS.writeFile("0 1000 1\n", to: path)
        #expect(try ProcFS.readFile(path) == "0 1000 1\n")
    }
}
