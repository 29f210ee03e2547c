/// How the launcher or its isolated process failed us.
enum ChildFailure: Error, Equatable {
    /// A call in the launcher or the child failed; it said which, and the errno.
    case syscall(SyscallError)
    /// It closed the sync socket without a word: it died.
    case vanished
    /// No answer within the time allowed.
    case silent(seconds: Int)
    /// A record the parent cannot read.
    case malformedReport(String)
}
