import Foundation

#if os(Linux)
import Glibc
#endif

/// The host state a launch could touch by mistake, recorded before and compared
/// after: the hostname, the NIS domain name, and what is mounted at the targets
/// the spec mounts on inside. Anything that differs is reported as a failure.
struct HostState: Equatable {
    var hostname: String
    var domainname: String
    /// Host mountinfo lines whose mount point is one of the spec's targets.
    var mountsAtTargets: [String]
    let targets: [String]

    static func capture(mountTargets: [String]) -> HostState {
        var domain = [CChar](repeating: 0, count: 256)
        getdomainname(&domain, domain.count)
        return HostState(
            hostname: (try? Uname.current())?.node ?? "",
            domainname: String(decoding: domain.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
            mountsAtTargets: mounts(at: mountTargets), targets: mountTargets)
    }

    /// What differs now from when this was captured, in words.
    func changes() -> [String] {
        let now = HostState.capture(mountTargets: targets)
        var changes: [String] = []
        if now.hostname != hostname { changes.append("host hostname changed: \"\(hostname)\" → \"\(now.hostname)\"") }
        if now.domainname != domainname {
            changes.append("host domain name changed: \"\(domainname)\" → \"\(now.domainname)\"")
        }
        if now.mountsAtTargets.count != mountsAtTargets.count {
            changes.append("host mounts at \(targets.joined(separator: ", ")) changed")
        }
        return changes
    }

    private static func mounts(at targets: [String]) -> [String] {
        guard !targets.isEmpty, let text = try? ProcFS.readFile("/proc/self/mountinfo") else { return [] }
        return MountInfoEntry.parse(text).filter { targets.contains($0.mountPoint) }.map(\.summary)
    }
}
