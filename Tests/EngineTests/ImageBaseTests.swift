import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

@Suite("The busybox base image")
struct ImageBaseTests {
    static let hasStaticBusybox = (try? BaseImage.readStaticBinary("/bin/busybox")) != nil

    @Test(
        "made from the real /bin/busybox: same digests in two stores, busybox byte for byte, applets, passwd, /tmp 1777",
        .enabled(if: hasStaticBusybox, "needs Debian's busybox-static (/bin/busybox)"))
    func base() throws {
        let scratch = try ScratchDirectory()
        let start = Date()
        let first = try ImageStore(root: scratch.url.appendingPathComponent("one")).ensureBase()
        print("ensureBase (debug build): \(String(format: "%.3f", Date().timeIntervalSince(start))) s")
        let second = try ImageStore(root: scratch.url.appendingPathComponent("two")).ensureBase()
        #expect(first.id == second.id)
        #expect(first.layers.map(\.diffID) == second.layers.map(\.diffID))
        #expect(first.name == "busybox" && first.tag == "latest" && first.layers.count == 1)
        #expect(first.config.cmd == ["sh"])
        #expect(first.config.env.contains { $0.hasPrefix("PATH=") && $0.contains("/usr/bin") && $0.contains("/bin") })

        // The id is the digest of the configuration blob, by an independent sha256sum.
        let blob = scratch.url.appendingPathComponent("one/blobs/sha256/" + first.id.dropFirst(7)).path
        #expect(try ImageFixtures.sha256sum(blob) == first.id)

        let layer = try #require(first.layers.first).directory
        #expect(FileManager.default.contentsEqual(atPath: layer + "/bin/busybox", andPath: "/bin/busybox"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: layer + "/bin/sh") == "/bin/busybox")
        let (status, listing) = try Witness.run("busybox", ["--list-full"])
        #expect(status == 0)
        for applet in ["bin/sh", "bin/echo", "bin/ls", "bin/cat", "bin/ps", "bin/hostname"] {
            #expect(listing.split(separator: "\n").contains(Substring(applet)), "busybox lists \(applet)")
            #expect(FileManager.default.fileExists(atPath: layer + "/" + applet), "\(applet) is in the layer")
        }
        #expect(try Witness.text(layer + "/etc/passwd").hasPrefix("root:x:0:0:root:/root:/bin/sh"))
        #expect(FileManager.default.fileExists(atPath: layer + "/etc/group"))
        #expect(!FileManager.default.fileExists(atPath: layer + "/etc/hostname"), "the runtime sets the hostname")
        var info = stat()
        #expect(lstat(layer + "/tmp", &info) == 0 && info.st_mode & 0o7777 == 0o1777)
        for directory in ["proc", "sys", "dev", "root", "home"] {
            #expect(lstat(layer + "/" + directory, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR, "/\(directory)")
        }
    }

    @Test(
        "the base layer's busybox runs: `sh -c` in the layer, chrooted (in a user namespace when not root)",
        .enabled(if: hasStaticBusybox && Witness.isInstalled("unshare"), "needs busybox-static and util-linux's unshare"))
    func runsInChroot() throws {
        let scratch = try ScratchDirectory()
        let layer = try #require(try scratch.store.ensureBase().layers.first).directory
        let chroot = try #require(["/usr/sbin/chroot", "/usr/bin/chroot"].first { FileManager.default.isExecutableFile(atPath: $0) })
        let command = [chroot, layer, "/bin/sh", "-c", "echo hello from $(basename $(readlink /bin/sh))"]
        let (status, output) = try Witness.run("unshare", Witness.isRoot ? command : ["-Ur"] + command)
        #expect(status == 0)
        #expect(output == "hello from busybox\n")
    }

    @Test(
        "resolving busybox makes the base first; a second resolve reuses it",
        .enabled(if: hasStaticBusybox, "needs Debian's busybox-static (/bin/busybox)"))
    func resolveMakesBase() throws {
        let scratch = try ScratchDirectory()
        #expect(try scratch.store.list().isEmpty)
        let made = try scratch.store.resolve("busybox")
        #expect(try scratch.store.list() == [made])
        #expect(try scratch.store.resolve("busybox:latest") == made)
        #expect(try scratch.store.resolve("docker.io/library/busybox") == made)
    }

    @Test("a missing busybox, or a dynamically linked one, is refused naming busybox-static")
    func missingBusybox() throws {
        let scratch = try ScratchDirectory()
        let missing = try #require(throws: ImageError.self) { try scratch.store.ensureBase(busybox: scratch.sub("no-busybox")) }
        #expect(missing.kind == .missingBusybox && missing.description.contains("busybox-static"))
        // /bin/ls is an ELF program linked against libc: exactly what cannot run alone in a container.
        let dynamic = try #require(throws: ImageError.self) { try scratch.store.ensureBase(busybox: "/bin/ls") }
        #expect(dynamic.kind == .missingBusybox && dynamic.reason.contains("dynamically linked"))
        #expect(dynamic.description.contains("busybox-static"))
        #expect(try scratch.store.list().isEmpty)
    }
}
