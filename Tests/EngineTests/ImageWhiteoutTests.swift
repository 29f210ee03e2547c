import CShim
import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// Whiteouts and opaque directories as overlayfs reads them, checked by mounting the
/// layers with the kernel's own overlayfs in a throwaway mount namespace: as root
/// with `trusted.` xattrs, as an ordinary user in a user namespace with `userxattr`.
@Suite("Whiteouts, opaque directories and special files")
struct ImageWhiteoutTests {
    static func stackedImage(_ scratch: ScratchDirectory) throws -> StoredImage {
        var lower = TarWriter()
        lower.file("etc/old", Array("old\n".utf8))
        lower.file("etc/kept", Array("kept\n".utf8))
        lower.file("opq/a", Array("a\n".utf8))
        var upper = TarWriter()
        upper.file("etc/.wh.old", [])
        upper.file("opq/.wh..wh..opq", [])
        upper.file("opq/b", Array("b\n".utf8))
        let layers = [
            try ImageFixtures.plainLayer(lower.finished(), scratch: scratch),
            try ImageFixtures.plainLayer(upper.finished(), scratch: scratch),
        ]
        try ImageFixtures.writeOCILayout(scratch.sub("layout"), layers: layers, scratch: scratch)
        return try #require(try scratch.store.importImage(at: scratch.sub("layout")).first)
    }

    @Test("`.wh.NAME` becomes a character device 0:0; `.wh..wh..opq` the opaque xattr of its directory")
    func onDisk() throws {
        let scratch = try ScratchDirectory()
        let upper = try Self.stackedImage(scratch).layers[1].directory
        var info = stat()
        #expect(lstat(upper + "/etc/old", &info) == 0)
        #expect((info.st_mode & S_IFMT) == S_IFCHR && ctutor_device_major(info.st_rdev) == 0 && ctutor_device_minor(info.st_rdev) == 0)
        #expect(!FileManager.default.fileExists(atPath: upper + "/opq/.wh..wh..opq"))
        let attribute = Witness.isRoot ? "trusted.overlay.opaque" : "user.overlay.opaque"
        var value = [UInt8](repeating: 0, count: 8)
        let length = ctutor_lgetxattr(upper + "/opq", attribute, &value, value.count)
        #expect(length == 1 && value[0] == UInt8(ascii: "y"), "\(attribute) on opq/")
    }

    @Test(
        "overlayfs hides the whited-out file and the lower content of the opaque directory",
        .enabled(if: Witness.isInstalled("unshare"), "needs util-linux's unshare"))
    func mountedByOverlayfs() throws {
        let scratch = try ScratchDirectory()
        let image = try Self.stackedImage(scratch)
        let mountPoint = scratch.sub("merged")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        // Root mounts in a private mount namespace; anyone else in a user namespace,
        // where overlayfs reads the user.* xattrs (userxattr).
        let options = (Witness.isRoot ? "" : "userxattr,") + "lowerdir=" + image.lowerDirectories.joined(separator: ":")
        let script = "mount -t overlay overlay -o \(options) \(mountPoint) && cd \(mountPoint) && ls etc opq"
        let (status, output) = try Witness.run("unshare", (Witness.isRoot ? ["-m"] : ["-Urm"]) + ["sh", "-c", script])
        try #require(status == 0, "the overlay mount failed: \(output)")
        #expect(output.split(separator: "\n").map(String.init) == ["etc:", "kept", "opq:", "b"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint).isEmpty, "the mount went with its namespace")
    }

    @Test("device nodes are made as root and skipped with a note otherwise; fifos always")
    func specialFiles() throws {
        let scratch = try ScratchDirectory()
        var writer = TarWriter()
        writer.append(TarEntry(path: "dev/null", kind: .characterDevice, mode: 0o666, deviceMajor: 1, deviceMinor: 3))
        writer.append(TarEntry(path: "dev/loop9", kind: .blockDevice, mode: 0o660, deviceMajor: 7, deviceMinor: 9))
        writer.append(TarEntry(path: "run/pipe", kind: .fifo, mode: 0o600))
        let layer = try ImageFixtures.plainLayer(writer.finished(), scratch: scratch)
        try ImageFixtures.writeOCILayout(scratch.sub("dev"), layers: [layer], scratch: scratch)
        let image = try #require(try scratch.store.importImage(at: scratch.sub("dev")).first)
        let directory = image.layers[0].directory
        var info = stat()
        #expect(lstat(directory + "/run/pipe", &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO && info.st_mode & 0o777 == 0o600)
        if Witness.isRoot {
            #expect(lstat(directory + "/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
            #expect(ctutor_device_major(info.st_rdev) == 1 && ctutor_device_minor(info.st_rdev) == 3 && info.st_mode & 0o777 == 0o666)
            #expect(lstat(directory + "/dev/loop9", &info) == 0 && (info.st_mode & S_IFMT) == S_IFBLK)
            #expect(image.layers[0].notes.isEmpty)
        } else {
            #expect(!FileManager.default.fileExists(atPath: directory + "/dev/null"))
            #expect(image.layers[0].notes == ["2 device node(s) not made (only root can): dev/null, dev/loop9"])
        }
    }

    @Test("owners are kept as root; as anyone else every file is theirs")
    func owners() throws {
        let scratch = try ScratchDirectory()
        var writer = TarWriter()
        writer.append(TarEntry(path: "home/user/file", kind: .file, mode: 0o640, uid: 1234, gid: 5678), content: Array("x".utf8))
        writer.append(TarEntry(path: "bin/tool", kind: .file, mode: 0o4755), content: Array("#!/bin/sh\n".utf8))
        let layer = try ImageFixtures.plainLayer(writer.finished(), scratch: scratch)
        try ImageFixtures.writeOCILayout(scratch.sub("owners"), layers: [layer], scratch: scratch)
        let directory = try #require(try scratch.store.importImage(at: scratch.sub("owners")).first).layers[0].directory
        var info = stat()
        #expect(lstat(directory + "/home/user/file", &info) == 0 && info.st_mode & 0o7777 == 0o640)
        #expect(info.st_uid == (Witness.isRoot ? 1234 : geteuid()) && info.st_gid == (Witness.isRoot ? 5678 : getegid()))
        #expect(lstat(directory + "/bin/tool", &info) == 0 && info.st_mode & 0o7777 == 0o4755, "setuid survives the owner change")
        #expect(lstat(directory + "/home/user", &info) == 0 && info.st_mode & 0o7777 == 0o755, "directories made on the way are 0755")
    }
}
