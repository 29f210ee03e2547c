import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// What wakes a follower of a container's stream: real inotify events in a real
/// directory, and a real socket's hang-up.
@Suite("Directory changes", .enabled(if: Witness.isLinux, "needs Linux (inotify)"))
struct DirectoryChangesTests {
    @Test("an append, a file renamed into place and the directory's removal each wake it; nothing happening does not")
    func wakes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-changes-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        FileManager.default.createFile(atPath: directory + "/log", contents: nil)
        let changes = try #require(DirectoryChanges(directory: directory))
        var ends: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0, &ends) == 0)
        defer { ends.forEach { close($0) } }

        #expect(changes.wait(orHangUpOf: ends[0], milliseconds: 50) == .quiet)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/log"))
        log.seekToEndOfFile()
        log.write(Data("out\n".utf8))
        try log.close()
        #expect(changes.wait(orHangUpOf: ends[0], milliseconds: 5000) == .changed)
        #expect(changes.wait(orHangUpOf: ends[0], milliseconds: 50) == .quiet, "what was read is not reported again")
        try Data("{}".utf8).write(to: URL(fileURLWithPath: directory + "/container.json"), options: .atomic)
        #expect(changes.wait(orHangUpOf: ends[0], milliseconds: 5000) == .changed)
        try FileManager.default.removeItem(atPath: directory)
        #expect(changes.wait(orHangUpOf: ends[0], milliseconds: 5000) == .changed)
    }

    @Test("the peer closing its end is a hang-up; shutting only its writing half is not")
    func hangUp() throws {
        // A directory of its own (a shared one's events would wake it), and a socket
        // pair no child another test starts meanwhile inherits (or closing one end
        // would not hang up the other).
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ctutor-hangup-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let changes = try #require(DirectoryChanges(directory: directory))
        var ends: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0, &ends) == 0)
        defer { close(ends[0]) }
        #expect(shutdown(ends[1], Int32(SHUT_WR)) == 0)
        #expect(changes.wait(orHangUpOf: ends[0], milliseconds: 50) != .hungUp)
        close(ends[1])
        #expect(changes.wait(orHangUpOf: ends[0], milliseconds: 5000) == .hungUp)
    }
}
