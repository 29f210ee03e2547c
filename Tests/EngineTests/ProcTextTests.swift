import Testing

@testable import Engine

@Suite("Parsing mountinfo and /proc/sysvipc/msg")
struct ProcTextTests {
    static let mountinfo = """
        27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
        612 27 0:58 / /mnt/my\\040disk rw,nosuid,nodev,relatime master:3 propagate_from:2 - tmpfs ctutor-demo rw,size=1024k
        613 27 0:59 / /tmp rw - tmpfs tmpfs rw
        not a mountinfo line
        """

    @Test("fields, optional fields and escaped spaces, as proc(5) documents them")
    func mountinfoLines() throws {
        let entries = MountInfoEntry.parse(Self.mountinfo)
        #expect(entries.map(\.mountID) == [27, 612, 613])
        let root = try #require(entries.first)
        #expect(root.mountPoint == "/")
        #expect(root.optionalFields == ["shared:1"])
        #expect(root.propagation == "shared:1")
        let tmpfs = entries[1]
        #expect(tmpfs.parentID == 27)
        #expect(tmpfs.mountPoint == "/mnt/my disk")
        #expect(tmpfs.optionalFields == ["master:3", "propagate_from:2"])
        #expect(tmpfs.fsType == "tmpfs")
        #expect(tmpfs.source == "ctutor-demo")
        #expect(tmpfs.summary == "/mnt/my disk tmpfs ctutor-demo rw,nosuid,nodev,relatime")
        #expect(entries[2].propagation == "private")
        #expect(tmpfs.superOptions == "rw,size=1024k")
    }

    @Test("an overlay's super options, key by key")
    func overlaySuperOptions() throws {
        let line = "700 650 0:70 / / rw,relatime - overlay overlay rw,lowerdir=/l2:/l1,upperdir=/c/upper,workdir=/c/work,userxattr"
        let overlay = try #require(MountInfoEntry(line: Substring(line)))
        #expect(overlay.fsType == "overlay")
        #expect(overlay.superOptionValues == ["lowerdir": "/l2:/l1", "upperdir": "/c/upper", "workdir": "/c/work"])
    }

    @Test("message queues by key and msqid; keys print as ipcs prints them")
    func messageQueues() {
        let text = """
                   key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime
                     0      32768   600           0          0     0     0     0     0     0     0          0          0 1764450000
            1668588988          0   600           0          0     0     0  1001  1001  1001  1001          0          0 1764450001
                    -1          5   600           0          0     0     0     0     0     0     0          0          0 1764450002
            """
        let queues = MessageQueue.parse(text)
        #expect(queues == [MessageQueue(key: 0, id: 32768), MessageQueue(key: 1_668_588_988, id: 0), MessageQueue(key: -1, id: 5)])
        #expect(queues.map(\.summary) == ["0x00000000 32768", "0x6374a5bc 0", "0xffffffff 5"])
    }
}
