/// What the cloned child says about itself, from inside its namespaces: one line
/// on the report pipe, `OK pid=1 uid=0 uts=uts:[4026532201] hostname=ctutor-demo`.
struct ChildReport: Equatable {
    /// `getpid()` inside: 1 in a new PID namespace.
    var pid: Int32
    /// `getuid()` inside: 0 once a user namespace maps root to us.
    var uid: UInt32
    /// `readlink("/proc/self/ns/uts")` inside.
    var utsNamespace: String
    /// `gethostname()` inside, after `sethostname`.
    var hostname: String

    /// Parses the child's line (without its newline).
    /// - Throws: ``ChildFailure/syscall(_:)`` for `ERR <call> <errno>`,
    ///   ``ChildFailure/malformedReport(_:)`` for anything else it cannot read.
    init(line: String) throws(ChildFailure) {
        let words = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
        if words.count == 3, words[0] == "ERR", let code = Int32(words[2]) {
            throw .syscall(SyscallError(call: String(words[1]), errno: code))
        }
        // The hostname comes last: it runs to the end of the line.
        guard words.count == 5, words[0] == "OK",
            let pid = Self.value("pid", in: words[1]).flatMap({ Int32($0) }),
            let uid = Self.value("uid", in: words[2]).flatMap({ UInt32($0) }),
            let uts = Self.value("uts", in: words[3]),
            let hostname = Self.value("hostname", in: words[4])
        else { throw .malformedReport(line) }
        self.init(pid: pid, uid: uid, utsNamespace: String(uts), hostname: String(hostname))
    }

    init(pid: Int32, uid: UInt32, utsNamespace: String, hostname: String) {
        self.pid = pid
        self.uid = uid
        self.utsNamespace = utsNamespace
        self.hostname = hostname
    }

    private static func value(_ key: String, in word: Substring) -> Substring? {
        let prefix = key + "="
        return word.hasPrefix(prefix) ? word.dropFirst(prefix.count) : nil
    }
}

/// How the cloned child failed us.
enum ChildFailure: Error, Equatable {
    /// A call inside the child failed; it said which, and the errno.
    case syscall(SyscallError)
    /// The child closed its report pipe without a word: it died.
    case vanished
    /// No report within the time allowed.
    case silent(seconds: Int)
    /// A line the parent cannot read.
    case malformedReport(String)
}
