#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A System V message queue as a line of `/proc/sysvipc/msg` shows it. The file
/// lists the queues of the reader's IPC namespace only.
public struct MessageQueue: Equatable, Sendable {
    /// The key it was made with; `0` is `IPC_PRIVATE`.
    public var key: Int32
    /// Its `msqid`, numbered within its IPC namespace.
    public var id: Int32

    public init(key: Int32, id: Int32) {
        self.key = key
        self.id = id
    }

    /// The queues in a `/proc/sysvipc/msg` text (its first line is a header).
    public static func parse(_ text: String) -> [MessageQueue] {
        text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count >= 2, let key = Int32(fields[0]), let id = Int32(fields[1]) else { return nil }
            return MessageQueue(key: key, id: id)
        }
    }

    /// A key as `ipcs -q` prints it: `0x6374a1b2`.
    public static func hex(_ key: Int32) -> String {
        let digits = String(UInt32(bitPattern: key), radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// `key msqid`, the first two columns of `ipcs -q`.
    public var summary: String { "\(Self.hex(key)) \(id)" }

    #if os(Linux)
    /// Makes a queue in this process's IPC namespace: `msgget(IPC_PRIVATE, IPC_CREAT|0600)`.
    static func makePrivate() throws(SyscallError) -> Int32 {
        try retryingEINTR("msgget(IPC_PRIVATE)") { msgget(IPC_PRIVATE, IPC_CREAT | 0o600) }
    }

    /// Whether queue `id` exists in this process's IPC namespace.
    static func exists(_ id: Int32) -> Bool {
        var info = msqid_ds()
        return msgctl(id, IPC_STAT, &info) == 0
    }

    /// `msgctl(id, IPC_RMID)`; whether the queue is gone.
    static func remove(_ id: Int32) -> Bool {
        msgctl(id, IPC_RMID, nil)
        return !exists(id)
    }
    #endif
}
