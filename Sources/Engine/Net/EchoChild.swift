#if os(Linux)
import Glibc
#endif

/// `ctutor __echo-server ADDRESS PORT TIMEOUT_MS` and
/// `ctutor __echo-client ADDRESS PORT TIMEOUT_MS MESSAGE`: one TCP echo, the server
/// in one network namespace and the client in another (the launcher puts each there
/// before it execs). The server takes one connection and sends back every byte until
/// the client shuts its side down; the client sends the message and reads the echo.
///
/// Both report on standard output (``ChildLine``): `listening`, `accepted`, `received`
/// and `echoed` from the server; `connected`, `sent` and `received` from the client;
/// `error ERRNO CALL` from either. Bytes travel as hex, so any message survives.
public enum EchoChild {
    /// What one side reported.
    public struct Transcript: Equatable, Sendable {
        /// The endpoint a listening server is bound to: `10.200.0.2:7`.
        public var listening: String?
        /// This side's address and the other's: `(10.200.0.1:40312, 10.200.0.2:7)`.
        public var local: String?
        public var remote: String?
        public var sent: [UInt8]?
        public var received: [UInt8]?
        public var failure: SyscallError?

        public init(parsing text: String) {
            for fields in ChildLine.records(text) {
                switch (fields.first, fields.count) {
                case ("listening", 2): listening = fields[1]
                case ("accepted", 3), ("connected", 3):
                    local = fields[1]
                    remote = fields[2]
                case ("sent", 2), ("echoed", 2): sent = Hex.decode(fields[1])
                case ("received", 2): received = Hex.decode(fields[1])
                case ("error", 3): failure = Int32(fields[1]).map { SyscallError(call: fields[2], errno: $0) }
                default: continue
                }
            }
        }
    }

    /// The most an echo carries.
    static let limit = 4096

    #if os(Linux)
    @Sendable static func server(_ arguments: [String]) -> Int32 {
        guard arguments.count == 3, let address = IPv4Address(arguments[0]), let port = UInt16(arguments[1]),
            let timeout = Int32(arguments[2])
        else { return usage(arguments) }
        return reporting { () throws(SyscallError) in
            let listener = try TCPSocket(timeoutMilliseconds: timeout)
            try listener.bind(address, port: port)
            try listener.listen()
            ChildLine.write(["listening", try listener.localEndpoint()])
            let connection = try listener.accept()
            ChildLine.write(["accepted", try connection.localEndpoint(), try connection.remoteEndpoint()])
            let bytes = try connection.receiveAll()
            ChildLine.write(["received", Hex.encode(bytes)])
            try connection.send(bytes)
            ChildLine.write(["echoed", Hex.encode(bytes)])
        }
    }

    @Sendable static func client(_ arguments: [String]) -> Int32 {
        guard arguments.count == 4, let address = IPv4Address(arguments[0]), let port = UInt16(arguments[1]),
            let timeout = Int32(arguments[2]), arguments[3].utf8.count <= limit
        else { return usage(arguments) }
        return reporting { () throws(SyscallError) in
            let socket = try TCPSocket(timeoutMilliseconds: timeout)
            try socket.connect(address, port: port)
            ChildLine.write(["connected", try socket.localEndpoint(), try socket.remoteEndpoint()])
            let message = Array(arguments[3].utf8)
            try socket.send(message)
            try socket.shutdownSending()
            ChildLine.write(["sent", Hex.encode(message)])
            ChildLine.write(["received", Hex.encode(try socket.receiveAll())])
        }
    }

    private static func reporting(_ body: () throws(SyscallError) -> Void) -> Int32 {
        do {
            try body()
            return 0
        } catch {
            ChildLine.write(["error", "\(error.errno)", error.call])
            return 1
        }
    }

    private static func usage(_ arguments: [String]) -> Int32 {
        ChildLine.write(["error", "\(EINVAL)", "arguments: \(arguments.joined(separator: " "))"])
        return 2
    }
    #endif
}

/// Bytes as lowercase hex and back.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }

    static func decode(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: characters.count, by: 2) {
            guard let high = UInt8(String(UnicodeScalar(characters[index])), radix: 16),
                let low = UInt8(String(UnicodeScalar(characters[index + 1])), radix: 16)
            else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }
}
