#if os(Linux)
import Foundation
import Glibc
import TutorCore

/// The virtual machine's whole userspace: an initramfs of one static busybox and an
/// `/init` script that reports what the VM's own kernel says, waits for the tutor's
/// Enter on the serial console (so qemu's memory can be read while the VM still
/// runs), and powers the VM off.
enum VirtDemoInitramfs {
    /// What `/init` prints, on one line, once its kernel has started it.
    static let marker = "ctutor-vm:"

    /// The script: `busybox` by its full path, since the archive holds no applet links.
    static let initScript = """
        #!/bin/busybox sh
        /bin/busybox mount -t proc proc /proc
        release=$(/bin/busybox uname -r)
        boot_id=$(/bin/busybox cat /proc/sys/kernel/random/boot_id)
        memtotal=$(/bin/busybox awk '/^MemTotal:/ {print $2}' /proc/meminfo)
        set -- $(/bin/busybox cat /proc/uptime)
        echo "\(marker) release=$release boot_id=$boot_id memtotal_kb=$memtotal uptime=$1"
        read -r go
        /bin/busybox poweroff -f

        """

    /// The archive: `dev/console` (where the kernel opens `/init`'s standard streams),
    /// `proc`, `bin/busybox` and `init`.
    static func archive(busybox: [UInt8]) -> [UInt8] {
        var archive = CPIOArchive()
        archive.addDirectory("dev")
        archive.addCharacterDevice("dev/console", major: 5, minor: 1)
        archive.addDirectory("proc")
        archive.addDirectory("bin")
        archive.addFile("bin/busybox", contents: busybox, mode: 0o755)
        archive.addFile("init", contents: Array(initScript.utf8), mode: 0o755)
        return archive.finished()
    }

    /// A new name for the temporary directory of one boot.
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.path + "/ctutor-vm-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Makes `directory` (private) and writes the initramfs into it; returns its path.
    static func write(busybox: String, into directory: String, steps: inout [Localized]) throws -> String {
        let program = try Array(StateDirectory.readFile(URL(fileURLWithPath: busybox)))
        let bytes = archive(busybox: program)
        try retryingEINTR("mkdir \(directory)") { mkdir(directory, 0o700) }
        let initrd = directory + "/initrd.cpio"
        try StateDirectory.writeAtomically(Data(bytes), to: URL(fileURLWithPath: initrd))
        steps.append(
            Localized(
                ko: "initramfs 만들기 (cpio newc, 압축 없음): dev/console(문자 장치 5,1), proc/, bin/busybox(정적 링크, "
                    + "\(program.count)바이트), init(셸 스크립트) → \(initrd) (\(bytes.count)바이트)",
                en: "build the initramfs (cpio newc, uncompressed): dev/console (character device 5,1), proc/, bin/busybox "
                    + "(static, \(program.count) bytes), init (a shell script) → \(initrd) (\(bytes.count) bytes)"))
        return initrd
    }

    /// The marker line's `key=value` fields.
    static func fields(ofMarker line: Substring) -> [String: String] {
        var fields: [String: String] = [:]
        for word in line.split(separator: " ").dropFirst() {
            guard let equals = word.firstIndex(of: "=") else { continue }
            fields[String(word[..<equals])] = String(word[word.index(after: equals)...])
        }
        return fields
    }

    /// Where busybox is installed (Debian's busybox-static: `/bin/busybox`).
    static func findBusybox() -> String? {
        ["/bin/busybox", "/usr/bin/busybox"].first { access($0, R_OK) == 0 }
    }

    /// Whether the ELF file at `path` asks for no program interpreter (no `PT_INTERP`
    /// program header): a dynamically linked busybox would find no C library in the VM.
    static func isStaticELF(_ path: String) -> Bool {
        guard let file = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? file.close() }
        guard let header = try? file.read(upToCount: 64), header.count == 64, header.starts(with: [0x7F, 0x45, 0x4C, 0x46]),
            header[4] == 2, header[5] == 1
        else { return false }
        func integer(_ bytes: Data, _ offset: Int, _ size: Int) -> Int {
            (0..<size).reduce(0) { $0 | Int(bytes[bytes.startIndex + offset + $1]) << (8 * $1) }
        }
        // ELF64, little-endian: e_phoff at 32, e_phentsize at 54, e_phnum at 56.
        let (offset, size, count) = (integer(header, 32, 8), integer(header, 54, 2), integer(header, 56, 2))
        guard size >= 4, (try? file.seek(toOffset: UInt64(offset))) != nil,
            let table = try? file.read(upToCount: size * count), table.count == size * count
        else { return false }
        let interpreter = 3
        return !(0..<count).contains { integer(table, $0 * size, 4) == interpreter }
    }
}
#endif
