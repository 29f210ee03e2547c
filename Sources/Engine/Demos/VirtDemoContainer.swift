#if os(Linux)
import Foundation
import TutorCore

/// What the container beside the VM showed: its kernel's word, read from inside, and
/// the process as the host sees it.
struct ContainerSighting {
    var pid: Int32
    /// `/proc/sys/kernel/osrelease` and `/proc/sys/kernel/random/boot_id`, read inside.
    var release: String
    var bootID: String
    /// `MemTotal` of `/proc/meminfo`, read inside, in kB.
    var memTotalKB: Int
    /// From the launch to the process ready in its namespaces.
    var startDuration: Duration
    /// Its `VmRSS` in kB, from `/proc/<pid>/status`.
    var residentKB: Int
}

/// The kernel the tutor itself runs on, read the same ways.
struct HostKernel {
    var release: String
    var bootID: String
    var memTotalKB: Int

    static func read() throws -> HostKernel {
        HostKernel(
            release: try Uname.current().release, bootID: try bootID(), memTotalKB: try memTotal(ProcFS.readFile("/proc/meminfo")))
    }

    /// A random UUID the kernel makes once per boot: the same for every process on one kernel.
    static func bootID() throws -> String {
        try ProcFS.readFile(bootIDPath).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let bootIDPath = "/proc/sys/kernel/random/boot_id"
    static let releasePath = "/proc/sys/kernel/osrelease"

    static func memTotal(_ meminfo: String) throws -> Int {
        let value = MachineDescription.fields(of: meminfo)["MemTotal"]
        guard let value, let kilobytes = Int(value.split(separator: " ").first ?? "") else {
            throw ProcFormatError(path: "/proc/meminfo", problem: "no MemTotal line in kB")
        }
        return kilobytes
    }
}

extension VirtDemo {
    /// Starts the container of the comparison. For now a stand-in: one process in new
    /// UTS, PID and mount namespaces (and a user namespace when rootless), made by the
    /// namespace launcher, reading its kernel's release from inside — the isolation
    /// every container starts from. When ctutor's container runtime exists, this starts
    /// a real container instead; the comparison stays. The process holds until it is
    /// released; the duration is from the launch to the process ready inside.
    static func startContainer(rootless: Bool, record: RunRecord) throws -> (LaunchedProcess, Duration) {
        var spec = LaunchSpec(namespaces: namespaces)
        if rootless { spec.namespaces.insert(.user) }
        spec.readFiles = containerFiles
        let clock = ContinuousClock()
        let started = clock.now
        let process = try NamespaceLauncher.launch(spec, record: record)
        return (process, started.duration(to: clock.now))
    }

    static let containerFiles = [HostKernel.releasePath, HostKernel.bootIDPath, "/proc/meminfo"]

    /// What the container's process read inside, checked against the host's kernel,
    /// and its memory from outside.
    static func observeContainer(
        _ process: LaunchedProcess, startDuration: Duration, host: HostKernel, steps: inout [Localized]
    ) throws -> ContainerSighting {
        let files = process.inside.files
        guard let release = files[HostKernel.releasePath], let bootID = files[HostKernel.bootIDPath],
            let meminfo = files["/proc/meminfo"]
        else {
            let unread = containerFiles.filter { files[$0] == nil }.joined(separator: ", ")
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "네임스페이스 안의 프로세스가 \(unread) 파일을 읽지 못했습니다",
                    en: "the process in the namespaces could not read \(unread)"))
        }
        let sighting = ContainerSighting(
            pid: process.pid, release: release.trimmingCharacters(in: .whitespacesAndNewlines),
            bootID: bootID.trimmingCharacters(in: .whitespacesAndNewlines), memTotalKB: try HostKernel.memTotal(meminfo),
            startDuration: startDuration, residentKB: try VirtDemoBoot.statusKilobytes(process.pid, "VmRSS"))
        // One kernel, one boot ID: a process that saw another would not be on the host's kernel.
        guard sighting.bootID == host.bootID, sighting.release == host.release else {
            throw EvidenceMismatch(
                detail: Localized(
                    ko: "네임스페이스 안에서 본 커널(\(sighting.release), \(sighting.bootID))이 호스트의 것과 다릅니다",
                    en: "the kernel seen inside the namespaces (\(sighting.release), \(sighting.bootID)) is not the host's"))
        }
        steps.append(
            Localized(
                ko: "자식이 안에서 \(HostKernel.releasePath), \(HostKernel.bootIDPath), /proc/meminfo를 읽어 보고; "
                    + "런처 시작부터 준비까지 \(VirtDemoBoot.milliseconds(startDuration)); /proc/\(process.pid)/status의 "
                    + "VmRSS \(sighting.residentKB) kB",
                en: "the child reads \(HostKernel.releasePath), \(HostKernel.bootIDPath) and /proc/meminfo inside and reports "
                    + "them; \(VirtDemoBoot.milliseconds(startDuration)) from the launch to ready; VmRSS in "
                    + "/proc/\(process.pid)/status: \(sighting.residentKB) kB"))
        return sighting
    }
}
#endif
