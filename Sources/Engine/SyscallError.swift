import CShim

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A system call that failed: which call, and the `errno` it left.
///
/// Its description is what a learner can look up in `man 2`:
/// `clone: Operation not permitted (EPERM)`.
public struct SyscallError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The call, optionally with its object: `clone`, `write /proc/42/uid_map`.
    public var call: String
    /// The `errno` value the call set.
    public var errno: Int32

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// The symbolic name, `EPERM`; `errno 1234` for a value the C library does not name.
    public var errnoName: String {
        guard let name = ctutor_errno_name(errno) else { return "errno \(errno)" }
        return String(cString: name)
    }

    /// The C library's text for the error, `Operation not permitted`.
    public var message: String {
        String(cString: strerror(errno))
    }

    public var description: String { "\(call): \(message) (\(errnoName))" }
}

/// Runs a system call until it stops failing with `EINTR`.
///
/// `body` returns the call's result; `-1` means failure with the reason in `errno`,
/// which becomes a ``SyscallError`` naming `call`.
@discardableResult
public func retryingEINTR<Result: FixedWidthInteger & SignedInteger>(
    _ call: @autoclosure () -> String, _ body: () -> Result
) throws(SyscallError) -> Result {
    while true {
        let result = body()
        guard result == -1 else { return result }
        let code = errno
        if code != EINTR { throw SyscallError(call: call(), errno: code) }
    }
}
