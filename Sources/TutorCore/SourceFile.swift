import Foundation

/// Reads a lesson folder's text files (lessons, quizzes) the way a teacher's editor
/// wrote them: a UTF-8 byte order mark is dropped and CRLF or CR line ends become
/// LF, so a file saved on Windows reads like any other, at the same line numbers.
///
/// Only a regular file is read: a directory, a FIFO or a device under a lesson's
/// name is a mistake to report, and reading one could block or never end.
enum SourceFile {
    enum Problem: Error, Equatable {
        case missing
        /// Something that is not a regular file: "a directory", "a device"...
        case notAFile(String)
        /// open or read failed: the reason, as `strerror` gives it.
        case unreadable(String)
        case tooLarge(bytes: Int)

        /// What is wrong with `name`, for a diagnostic.
        func message(_ name: String) -> String {
            switch self {
            case .missing: return "\(name) does not exist"
            case .notAFile(let kind): return "\(name) is \(kind), not a file"
            case .unreadable(let reason): return "cannot read \(name): \(reason)"
            case .tooLarge(let bytes):
                return "\(name) is \(bytes >> 20) MB; a lesson folder's files must be under \(SourceFile.maxBytes >> 20) MB"
            }
        }
    }

    /// Larger files are refused rather than read into memory.
    static let maxBytes = 64 << 20

    /// The file's text. With `enough`, it is read 8 KB at a time and reading stops
    /// once `enough` says the bytes so far suffice (start-up needs only a lesson's
    /// front matter).
    static func read(_ path: String, enough: (([UInt8]) -> Bool)? = nil) -> Result<String, Problem> {
        // Non-blocking, so that opening a FIFO does not wait for a writer.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            return .failure(errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno))))
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(.notAFile("a directory"))
        case S_IFCHR, S_IFBLK: return .failure(.notAFile("a device"))
        case S_IFIFO: return .failure(.notAFile("a FIFO"))
        default: return .failure(.notAFile("a socket"))
        }
        guard status.st_size <= maxBytes else { return .failure(.tooLarge(bytes: Int(status.st_size))) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(enough == nil ? Int(status.st_size) : 8192)
        var chunk = [UInt8](repeating: 0, count: enough == nil ? 65536 : 8192)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, enough == nil ? $0.count : 8192) }
            if count > 0 {
                bytes += chunk[..<count]
                if let enough, enough(bytes) { break }
                if bytes.count > maxBytes { return .failure(.tooLarge(bytes: bytes.count)) }
            } else if count == 0 {
                break
            } else if errno != EINTR {
                return .failure(.unreadable(String(cString: strerror(errno))))
            }
        }
        return .success(text(bytes))
    }

    /// Bytes as text: invalid UTF-8 becomes U+FFFD, the byte order mark goes, and
    /// every line ends in LF.
    static func text(_ bytes: [UInt8]) -> String {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        let carriageReturn = UInt8(ascii: "\r")
        guard bytes[start...].contains(carriageReturn) else { return String(decoding: bytes[start...], as: UTF8.self) }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count - start)
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == carriageReturn {
                result.append(UInt8(ascii: "\n"))
                if index < bytes.count, bytes[index] == UInt8(ascii: "\n") { index += 1 }
            } else {
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The same for text already decoded (a file given as a string, as in tests).
    static func text(_ source: String) -> String {
        guard source.utf8.first == 0xEF || source.utf8.contains(UInt8(ascii: "\r")) else { return source }
        return text(Array(source.utf8))
    }
}
