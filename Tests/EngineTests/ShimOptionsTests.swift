import Testing

@testable import Engine

/// The serving shim's command line, parsed by hand (it starts once per container):
/// exactly what ``ShimOptions/serveArguments`` makes, and nothing else.
@Suite("Shim options")
struct ShimOptionsTests {
    @Test("the serving arguments read back as the options they came from", arguments: [false, true])
    func roundTrip(multiplexed: Bool) {
        let options = ShimOptions(
            id: "abc", bundle: "/b/bundle", log: "/b/container.log", runtimeRoot: RuntimeRoot(path: "/r/rt"), multiplexedLog: multiplexed)
        #expect(ShimOptions(serveArguments: options.serveArguments) == options)
    }

    @Test("any other form is left to the full parser")
    func otherForms() {
        let good = ["shim", "--serve", "--id", "abc", "--bundle", "/b", "--log", "/l", "--runtime-root", "/r"]
        #expect(ShimOptions(serveArguments: good) != nil)
        #expect(ShimOptions(serveArguments: ["shim", "--id", "abc", "--bundle", "/b"]) == nil)
        #expect(ShimOptions(serveArguments: good.map { $0 == "/b" ? "relative" : $0 }) == nil, "relative paths")
        #expect(ShimOptions(serveArguments: good + ["--log-format", "raw"]) == nil)
        #expect(ShimOptions(serveArguments: good + ["--log-format"]) == nil)
        #expect(ShimOptions(serveArguments: good.map { $0 == "--log" ? "--help" : $0 }) == nil)
    }
}
