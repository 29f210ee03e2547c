import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// The values the runtime writes and reads: a container's record, written by hand
/// and read back by JSONDecoder; config.json's mount options and capability names.
@Suite("Container records and config.json")
struct ContainerRecordTests {
    @Test("a record written by hand reads back the same, odd characters included")
    func recordRoundTrip() throws {
        var record = ContainerRecord(
            id: String(repeating: "ab", count: 32), name: "quote\"and\\slash", image: "busybox:latest", imageID: "sha256:00",
            command: ["sh", "-c", "echo \"hi\"\n\ttab\u{1}", "한국어 ✓"], created: "2026-11-29T21:06:21Z", hostname: "box",
            memoryBytes: 33_554_432, pidsMax: 64, cpus: 0.5, network: "bridge", address: "10.88.0.2/24", autoRemove: false)
        record.status = .exited
        record.pid = 4211
        record.pidStart = 123_456
        record.exitCode = 137
        record.oomKilled = true
        record.startedAt = "2026-11-29T21:06:22Z"
        let decoded = try JSONDecoder().decode(ContainerRecord.self, from: Data(record.json.utf8))
        #expect(decoded == record)
        var bare = record
        (bare.imageID, bare.memoryBytes, bare.pidsMax, bare.cpus, bare.address) = (nil, nil, nil, nil, nil)
        (bare.pid, bare.pidStart, bare.exitCode, bare.oomKilled, bare.startedAt) = (nil, nil, nil, nil, nil)
        #expect(try JSONDecoder().decode(ContainerRecord.self, from: Data(bare.json.utf8)) == bare)
    }

    @Test("mount options become MS_ flags and filesystem data; a relative bind source is refused")
    func mountOptions() throws {
        let pts = try OCISpec.launchMount(
            OCISpec.Mount(destination: "/dev/pts", type: "devpts", source: "devpts", options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666"]))
        #expect(pts.flags == UInt64(MS_NOSUID | MS_NOEXEC))
        #expect(pts.data == "newinstance,ptmxmode=0666")
        let volume = try OCISpec.launchMount(OCISpec.Mount(destination: "/data", type: "bind", source: "/srv/data", options: ["rbind", "ro"]))
        #expect(volume.flags == UInt64(MS_BIND | MS_REC | MS_RDONLY) && volume.type.isEmpty)
        #expect(throws: OCISpecError.self) {
            try OCISpec.launchMount(OCISpec.Mount(destination: "/data", type: "bind", source: "data", options: ["bind"]))
        }
    }

    @Test("Docker's 14 capabilities as a mask; an unknown name is refused")
    func capabilities() throws {
        let mask = try OCISpec.capabilityMask(OCISpec.dockerCapabilities)
        #expect(mask == 0x0000_0000_a804_25fb)
        #expect(throws: OCISpecError.self) { try OCISpec.capabilityMask(["CAP_EVERYTHING"]) }
    }

    @Test("the environment: the image's, then the request's, a later NAME= winning; PATH and HOSTNAME always there")
    func environment() {
        let env = Container.environment(image: ["PATH=/bin", "C_HOME=/opt/c"], request: ["C_HOME=/srv", "X=1"], hostname: "box")
        #expect(env == ["PATH=/bin", "HOSTNAME=box", "C_HOME=/srv", "X=1"])
    }
}
