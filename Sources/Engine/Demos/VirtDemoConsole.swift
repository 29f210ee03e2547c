#if os(Linux)
import CShim
import Foundation
import Glibc

/// qemu's standard streams: with `-nographic` its standard output is the VM's serial
/// console (ttyS0) and its standard input is the console's keyboard. Read through
/// pipes, always with a deadline.
final class VirtDemoConsole {
    /// The ends qemu gets as descriptors 0, 1 and 2; closed here once it has them.
    private(set) var qemuEnds: [Int32]
    private var keyboard: Int32
    /// The read ends of standard output and error; -1 once at end of file.
    private var readEnds: [Int32]
    private var collected: [[UInt8]] = [[], []]

    init() throws(SyscallError) {
        // The keyboard is a socket, not a pipe: `send(MSG_NOSIGNAL)` to a qemu that has
        // just exited fails with EPIPE instead of raising SIGPIPE in the tutor.
        var keys: [Int32] = [-1, -1]
        try retryingEINTR("socketpair") { socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0, &keys) }
        var made: [(read: Int32, write: Int32)] = []
        do {
            for _ in 0..<2 { made.append(try Spawn.pipe()) }
        } catch {
            for fd in keys + made.flatMap({ [$0.read, $0.write] }) { close(fd) }
            throw error
        }
        qemuEnds = [keys[1], made[0].write, made[1].write]
        keyboard = keys[0]
        readEnds = [made[0].read, made[1].read]
    }

    deinit {
        for fd in qemuEnds + readEnds + [keyboard] where fd >= 0 { close(fd) }
    }

    /// qemu holds its ends now: only its exit ends the output.
    func qemuStarted() {
        for fd in qemuEnds { close(fd) }
        qemuEnds = []
    }

    /// The serial console so far, as text: terminal control sequences and carriage
    /// returns dropped, one entry a line.
    var lines: [Substring] {
        Self.plainText(collected[0]).split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// What qemu wrote to its standard error.
    var errors: String { String(decoding: collected[1], as: UTF8.self) }

    /// Reads until a whole console line holds `marker`; that line from the marker on
    /// (the firmware's last words may share its line: a screen clear is no newline).
    /// `nil` when qemu ends or the deadline passes first.
    func line(from marker: String, until deadline: ContinuousClock.Instant) -> Substring? {
        while true {
            // Only whole lines: the last piece may still be on its way.
            for line in lines.dropLast() {
                if let found = line.range(of: marker) { return line[found.lowerBound...] }
            }
            guard readMore(until: deadline) else { return nil }
        }
    }

    /// Types a line on the console (the VM's `/init` waits in `read`).
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(keyboard, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads both streams to their end (qemu exited) or the deadline; whether they ended.
    func readToEnd(until deadline: ContinuousClock.Instant) -> Bool {
        while readMore(until: deadline) {}
        return readEnds.allSatisfy { $0 < 0 }
    }

    /// One round of `poll` and `read`; `false` when both streams ended or time is up.
    private func readMore(until deadline: ContinuousClock.Instant) -> Bool {
        let open = readEnds.indices.filter { readEnds[$0] >= 0 }
        let left = ContinuousClock.now.duration(to: deadline)
        guard !open.isEmpty, left > .zero else { return false }
        var waiting = open.map { pollfd(fd: readEnds[$0], events: Int16(POLLIN), revents: 0) }
        let ready = poll(&waiting, nfds_t(waiting.count), Int32((left / .milliseconds(1)).rounded(.up)))
        if ready < 0 { return errno == EINTR }
        if ready == 0 { return false }
        var chunk = [UInt8](repeating: 0, count: 4096)
        for (slot, index) in open.enumerated() where waiting[slot].revents != 0 {
            let count = chunk.withUnsafeMutableBytes { read(readEnds[index], $0.baseAddress, $0.count) }
            if count > 0 {
                collected[index] += chunk[..<count]
            } else if count == 0 || errno != EINTR {
                close(readEnds[index])
                readEnds[index] = -1
            }
        }
        return true
    }

    /// Console bytes without what only a terminal needs: `ESC [ … letter` and `ESC c`
    /// sequences (SeaBIOS and the kernel clear and set up the screen), carriage
    /// returns (the serial line ends lines with CR LF) and other control characters
    /// but tab. A screen clear (`ESC c`, `ESC [ … J`) ends the line it interrupts.
    static func plainText(_ bytes: [UInt8]) -> String {
        var kept: [UInt8] = []
        var index = 0
        let newline = UInt8(ascii: "\n")
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            guard byte == 0x1B else {
                if (byte >= 0x20 && byte != 0x7F) || byte == newline || byte == UInt8(ascii: "\t") { kept.append(byte) }
                continue
            }
            var final = index < bytes.count ? bytes[index] : 0
            if final == UInt8(ascii: "[") {
                index += 1
                while index < bytes.count && !(0x40...0x7E).contains(bytes[index]) { index += 1 }
                final = index < bytes.count ? bytes[index] : 0
            }
            index += 1
            if (final == UInt8(ascii: "c") || final == UInt8(ascii: "J")) && kept.last.map({ $0 != newline }) == true {
                kept.append(newline)
            }
        }
        return String(decoding: kept, as: UTF8.self)
    }
}
#endif
