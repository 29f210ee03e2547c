import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The base image `busybox:latest`, made on this machine from Debian's
/// busybox-static, so that containers work offline.
///
/// One layer: `/bin/busybox`, a symlink to it for each applet where
/// `busybox --list-full` places it (`bin/sh`, `usr/bin/awk`, `sbin/ifconfig`, …),
/// `/etc/passwd` and `/etc/group` for root and nobody, and the directories a
/// container's root needs (`/proc`, `/sys`, `/dev` to mount on, `/tmp` 1777, `/root`,
/// `/home`). `/etc/hostname` is left to the runtime. Every entry has busybox's own
/// mtime and root's owner, in sorted order, so the same binary always makes the
/// same tar, digest and image id.
enum BaseImage {
    static let name = "busybox"
    static let tag = "latest"
    static let defaultBinary = "/bin/busybox"
    /// Docker's default PATH: it includes /usr/local/bin, where recipes put their commands.
    static let path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    static let passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
    static let group = "root:x:0:\nnogroup:x:65534:\n"
    static let directories: [(String, UInt32)] = [
        ("bin", 0o755), ("dev", 0o755), ("etc", 0o755), ("home", 0o755), ("proc", 0o555), ("root", 0o700),
        ("sbin", 0o755), ("sys", 0o555), ("tmp", 0o1777), ("usr", 0o755), ("usr/bin", 0o755), ("usr/sbin", 0o755),
    ]

    /// Builds the layer and configuration and adds them to `transaction`.
    static func make(busybox: String, in transaction: StoreTransaction) throws -> StoreIndex.Image {
        let (tar, mtime, applets) = try layer(busybox: busybox)
        let layer = try transaction.addLayer(tar: tar, subject: "base layer from \(busybox)")
        let created = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(mtime)))
        let config = OCIImageConfig(
            created: created, architecture: Platform.architecture, os: "linux",
            config: .init(env: [path], cmd: ["sh"]),
            rootfs: .init(type: "layers", diffIDs: [layer.diffID]),
            history: [.init(created: created, createdBy: "ctutor: \(busybox) from busybox-static and \(applets) applet links")])
        let bytes = config.encoded()
        let id = try transaction.addBlob(bytes)
        return StoreIndex.Image(name: name, tag: tag, id: id, layers: [layer], config: config.runtime, created: created)
    }

    /// The layer's tar, busybox's mtime, and how many applet links it holds.
    static func layer(busybox: String) throws -> (tar: [UInt8], mtime: Int64, applets: Int) {
        let binary = try readStaticBinary(busybox)
        let applets = try appletPaths(busybox).filter { $0 != "bin/busybox" }
        var directories = Dictionary(uniqueKeysWithValues: Self.directories)
        for applet in applets {
            var parent = (applet as NSString).deletingLastPathComponent
            while !parent.isEmpty, directories[parent] == nil {
                directories[parent] = 0o755
                parent = (parent as NSString).deletingLastPathComponent
            }
        }
        var entries: [(TarEntry, [UInt8])] = directories.map { (TarEntry(path: $0.key, kind: .directory, mode: $0.value), []) }
        entries.append((TarEntry(path: "bin/busybox", kind: .file, mode: 0o755), binary.bytes))
        entries.append((TarEntry(path: "etc/passwd", kind: .file, mode: 0o644), Array(passwd.utf8)))
        entries.append((TarEntry(path: "etc/group", kind: .file, mode: 0o644), Array(group.utf8)))
        for applet in applets {
            entries.append((TarEntry(path: applet, kind: .symlink, mode: 0o777, linkTarget: "/bin/busybox"), []))
        }
        var writer = TarWriter()
        for (entry, content) in entries.sorted(by: { $0.0.path < $1.0.path }) {
            var entry = entry
            entry.mtime = binary.mtime
            writer.append(entry, content: content)
        }
        return (writer.finished(), binary.mtime, applets.count)
    }

    /// The binary's bytes and mtime, refusing one that is missing or dynamically
    /// linked (Debian's `busybox` package also installs a /bin/busybox, which needs
    /// the host's libc and cannot run alone in a container).
    static func readStaticBinary(_ path: String) throws -> (bytes: [UInt8], mtime: Int64) {
        let install = "sudo apt-get install busybox-static"
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ImageError(.missingBusybox, path, "not found; the base image is made from Debian's busybox-static package", hint: install)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImageError(.missingBusybox, path, "cannot be read (\(SyscallError(call: "open", errno: errno)))")
        }
        let bytes = [UInt8](data)
        switch ELFFile.isStatic(bytes) {
        case .some(true): break
        case .some(false):
            throw ImageError(
                .missingBusybox, path, "is dynamically linked (Debian's busybox package); the base image needs busybox-static",
                hint: install)
        case .none:
            throw ImageError(.missingBusybox, path, "is not an ELF program", hint: install)
        }
        return (bytes, Int64(info.st_mtim.tv_sec))
    }

    /// `busybox --list-full`: each applet's path, relative (`usr/bin/awk`).
    static func appletPaths(_ busybox: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: busybox)
        process.arguments = ["--list-full"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ImageError(.missingBusybox, busybox, "cannot run it (\(error))")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw ImageError(.missingBusybox, busybox, "`busybox --list-full` failed with status \(process.terminationStatus)")
        }
        let paths = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        for path in paths {
            let components = path.split(separator: "/")
            guard !path.hasPrefix("/"), !components.isEmpty, !components.contains(".."), !components.contains(".") else {
                throw ImageError(.missingBusybox, busybox, "`busybox --list-full` printed '\(path)', which is not an applet path")
            }
        }
        guard paths.contains("bin/sh") else { throw ImageError(.missingBusybox, busybox, "this busybox has no sh applet") }
        return paths
    }
}

/// Just enough of ELF (the System V ABI's object format) to tell a static program
/// from a dynamic one: a dynamic one has a `PT_INTERP` program header naming its loader.
enum ELFFile {
    /// `true` static, `false` dynamic, `nil` not ELF (or too damaged to tell).
    static func isStatic(_ bytes: [UInt8]) -> Bool? {
        guard bytes.count >= 64, bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46]) else { return nil }
        let is64 = bytes[4] == 2
        let littleEndian = bytes[5] == 1
        func number(_ offset: Int, _ size: Int) -> Int? {
            guard offset >= 0, offset + size <= bytes.count else { return nil }
            let field = bytes[offset..<(offset + size)]
            return (littleEndian ? field.reversed() : Array(field)).reduce(0) { $0 << 8 | Int($1) }
        }
        guard let tableOffset = number(is64 ? 0x20 : 0x1c, is64 ? 8 : 4), let entrySize = number(is64 ? 0x36 : 0x2a, 2),
            let count = number(is64 ? 0x38 : 0x2c, 2), entrySize >= 4
        else { return nil }
        let interpreter = 3
        for index in 0..<count {
            guard let type = number(tableOffset + index * entrySize, 4) else { return nil }
            if type == interpreter { return false }
        }
        return true
    }
}
