import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("The child's report line")
struct ChildReportTests {
    @Test("an OK line carries getpid, getuid, the UTS link and the hostname")
    func okLine() throws {
        let report = try ChildReport(line: "OK pid=1 uid=0 uts=uts:[4026532201] hostname=ctutor-demo")
        #expect(report == ChildReport(pid: 1, uid: 0, utsNamespace: "uts:[4026532201]", hostname: "ctutor-demo"))
    }

    @Test("an ERR line becomes the child's SyscallError")
    func errLine() {
        #expect(throws: ChildFailure.syscall(SyscallError(call: "sethostname", errno: EPERM))) {
            try ChildReport(line: "ERR sethostname \(EPERM)")
        }
    }

    @Test(
        "anything else is malformed",
        arguments: [
            "", "OK", "OK pid=1 uid=0 uts=uts:[1]", "OK pid=x uid=0 uts=uts:[1] hostname=a",
            "OK uid=0 pid=1 uts=uts:[1] hostname=a", "ERR sethostname", "ERR sethostname one",
        ])
    func malformed(_ line: String) {
        #expect(throws: ChildFailure.malformedReport(line)) { try ChildReport(line: line) }
    }
}
