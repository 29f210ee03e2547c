import Engine
import Testing

@Suite("What a launch spec may ask for")
struct LaunchSpecValidationTests {
    @Test("a message queue needs a new IPC namespace, or it would be made on the host")
    func queueNeedsIPC() {
        var spec = LaunchSpec(namespaces: [.uts])
        spec.messageQueueKey = 0x6374_0001
        #expect(spec.validate()?.contains("IPC namespace") == true)
        spec.namespaces.insert(.ipc)
        #expect(spec.validate() == nil)
    }

    @Test("a uid or gid map must map 0, whom the launcher becomes inside")
    func mapsMapRoot() {
        var spec = LaunchSpec(namespaces: [.user])
        spec.uidMap = [LaunchSpec.IDMapping(inside: 1, outside: 100_000, count: 10)]
        #expect(spec.validate()?.contains("must map 0") == true)
        spec.uidMap = [LaunchSpec.IDMapping(inside: 0, outside: 100_000, count: 10)]
        spec.gidMap = spec.uidMap
        #expect(spec.validate() == nil)
    }
}
