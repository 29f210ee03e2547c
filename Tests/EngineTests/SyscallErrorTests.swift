import Engine
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("SyscallError and the EINTR wrapper")
struct SyscallErrorTests {
    @Test("describes the call, the C library's message and the errno name")
    func description() {
        #expect(SyscallError(call: "clone", errno: EPERM).description == "clone: Operation not permitted (EPERM)")
        #expect(
            SyscallError(call: "write /proc/42/uid_map", errno: EINVAL).description
                == "write /proc/42/uid_map: Invalid argument (EINVAL)")
        #expect(SyscallError(call: "clone", errno: ENOSPC).errnoName == "ENOSPC")
    }

    @Test("an errno the C library does not name shows its number")
    func unknownErrno() {
        #expect(SyscallError(call: "x", errno: 99_999).errnoName == "errno 99999")
    }

    @Test("EINTR is retried until the call succeeds")
    func retriesEINTR() throws {
        var calls = 0
        let result = try retryingEINTR("read") { () -> Int in
            calls += 1
            guard calls == 3 else {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(result == 7)
        #expect(calls == 3)
    }

    @Test("any other errno is thrown once, naming the call")
    func throwsOtherErrors() {
        var calls = 0
        #expect(throws: SyscallError(call: "open /nowhere", errno: ENOENT)) {
            try retryingEINTR("open /nowhere") { () -> Int32 in
                calls += 1
                errno = ENOENT
                return -1
            }
        }
        #expect(calls == 1)
    }

    @Test("a real failing call carries its errno")
    func realCall() {
        #expect(throws: SyscallError(call: "open /nonexistent/ctutor", errno: ENOENT)) {
            try retryingEINTR("open /nonexistent/ctutor") { open("/nonexistent/ctutor", O_RDONLY) }
        }
    }
}
