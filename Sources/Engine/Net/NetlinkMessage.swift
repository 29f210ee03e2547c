/// The rtnetlink wire format (`man 7 netlink`, `man 7 rtnetlink`): a 16-byte
/// `nlmsghdr`, a fixed family header (`ifinfomsg`, `ifaddrmsg`, `rtmsg`), then
/// attributes, each a 4-byte `rtattr` and a payload padded to 4 bytes. All integers
/// are in the host's byte order; IPv4 addresses in network order.
///
/// Pure values, no I/O: what ``Netlink`` sends and reads, and what the unit
/// tests compare byte for byte with what iproute2 sends.
public struct NetlinkMessage: Equatable, Sendable {
    public var type: UInt16
    public var flags: UInt16
    public var sequence: UInt32
    /// The family header and the attributes, already encoded.
    public var payload: [UInt8]

    public init(type: UInt16, flags: UInt16, sequence: UInt32 = 0, payload: [UInt8]) {
        self.type = type
        self.flags = flags
        self.sequence = sequence
        self.payload = payload
    }

    /// The header and payload, padded to a multiple of 4 as the kernel expects.
    public var encoded: [UInt8] {
        var bytes = NetlinkBytes()
        bytes.append(UInt32(16 + payload.count))
        bytes.append(type)
        bytes.append(flags)
        bytes.append(sequence)
        bytes.append(UInt32(0))  // nlmsg_pid: 0 addresses the kernel
        bytes.bytes += payload
        bytes.pad()
        return bytes.bytes
    }

    /// Splits a buffer from `recv` into messages; `nil` when a length does not fit.
    public static func decode(_ buffer: [UInt8]) -> [NetlinkMessage]? {
        var messages: [NetlinkMessage] = []
        var at = 0
        while buffer.count - at >= 16 {
            let length = Int(buffer.load(UInt32.self, at: at))
            guard length >= 16, length <= buffer.count - at else { return nil }
            messages.append(
                NetlinkMessage(
                    type: buffer.load(UInt16.self, at: at + 4), flags: buffer.load(UInt16.self, at: at + 6),
                    sequence: buffer.load(UInt32.self, at: at + 8), payload: Array(buffer[(at + 16)..<(at + length)])))
            at += RTNetlink.aligned(length)
        }
        return messages
    }

    /// The error an `NLMSG_ERROR` message carries: `0` for an acknowledgement, else a
    /// positive `errno`; `nil` for any other message.
    public var errorCode: Int32? {
        guard type == RTNetlink.messageError, payload.count >= 4 else { return nil }
        return -payload.load(Int32.self, at: 0)
    }
}

/// One `rtattr`: a type and a payload, or attributes nested inside it.
public struct NetlinkAttribute: Equatable, Sendable {
    public var type: UInt16
    public var payload: [UInt8]

    public init(_ type: UInt16, _ payload: [UInt8]) {
        self.type = type
        self.payload = payload
    }

    /// A NUL-terminated string, as interface names are sent.
    public static func string(_ type: UInt16, _ text: String) -> NetlinkAttribute {
        NetlinkAttribute(type, Array(text.utf8) + [0])
    }

    public static func uint32(_ type: UInt16, _ value: UInt32) -> NetlinkAttribute {
        NetlinkAttribute(type, withUnsafeBytes(of: value) { Array($0) })
    }

    /// Attributes inside an attribute (`IFLA_LINKINFO`), each padded.
    public static func nested(_ type: UInt16, _ children: [NetlinkAttribute]) -> NetlinkAttribute {
        NetlinkAttribute(type, encode(children))
    }

    /// `rta_len` counts the header and the payload, not the padding after it.
    public var encoded: [UInt8] {
        var bytes = NetlinkBytes()
        bytes.append(UInt16(4 + payload.count))
        bytes.append(type)
        bytes.bytes += payload
        bytes.pad()
        return bytes.bytes
    }

    public static func encode(_ attributes: [NetlinkAttribute]) -> [UInt8] {
        attributes.flatMap(\.encoded)
    }

    /// The attributes in `bytes` (after a family header); `nil` when one overruns.
    public static func decode(_ bytes: some Collection<UInt8>) -> [NetlinkAttribute]? {
        let buffer = Array(bytes)
        var attributes: [NetlinkAttribute] = []
        var at = 0
        while buffer.count - at >= 4 {
            let length = Int(buffer.load(UInt16.self, at: at))
            guard length >= 4, length <= buffer.count - at else { return nil }
            // The top bits flag nested and byte-order attributes; the type is the rest.
            let type = buffer.load(UInt16.self, at: at + 2) & 0x3FFF
            attributes.append(NetlinkAttribute(type, Array(buffer[(at + 4)..<(at + length)])))
            at += RTNetlink.aligned(length)
        }
        return attributes
    }

    /// The payload as a string, without its NUL.
    public var string: String {
        String(decoding: payload.prefix { $0 != 0 }, as: UTF8.self)
    }

    public var uint32: UInt32? {
        payload.count >= 4 ? payload.load(UInt32.self, at: 0) : nil
    }
}

/// Bytes appended in host byte order, and padded to the netlink alignment.
struct NetlinkBytes {
    var bytes: [UInt8] = []

    mutating func append<Integer: FixedWidthInteger>(_ value: Integer) {
        withUnsafeBytes(of: value) { bytes += $0 }
    }

    mutating func pad() {
        bytes += [UInt8](repeating: 0, count: RTNetlink.aligned(bytes.count) - bytes.count)
    }
}

extension Array where Element == UInt8 {
    /// A host-order integer at a byte offset that need not be aligned.
    func load<Integer: FixedWidthInteger>(_: Integer.Type, at offset: Int) -> Integer {
        withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Integer.self) }
    }
}
