#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `uname(2)` says about this machine, as strings.
struct Uname: Equatable {
    /// `uname -s`: `Linux`.
    var system: String
    /// `uname -n`: the hostname, as this process's UTS namespace sees it.
    var node: String
    /// `uname -r`: `6.8.0-45-generic`.
    var release: String
    /// `uname -m`: `x86_64`, `aarch64`.
    var machine: String

    static func current() throws(SyscallError) -> Uname {
        var names = utsname()
        try retryingEINTR("uname") { uname(&names) }
        return Uname(
            system: string(of: &names.sysname), node: string(of: &names.nodename), release: string(of: &names.release),
            machine: string(of: &names.machine))
    }

    /// A fixed-size C character field, up to its first NUL.
    private static func string<Field>(of field: inout Field) -> String {
        withUnsafeBytes(of: &field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
