#if os(Linux)
import CShim
import Glibc

/// The hidden child program `threads`: `ctutor __threads ADDRESS VALUE`, the lesson's
/// word processor as one real process.
///
/// Its main thread (named `word-processor`) maps one page at `ADDRESS` and starts
/// three named threads: `render` lays a short text out, `input` writes `VALUE` into the
/// page, `spell-check` reads it back — one address space, shared. When all three are
/// done it writes one line to standard output:
///
///     OK pid=4211 main=4211 buffer=0x1000000000 render=4212 lines=3 input=4213 wrote=0x5eed1234
///        spell-check=4214 read=0x5eed1234
///
/// (one line; `lines` is how many lines `render` laid ``document`` out in)
///
/// or `ERR <call> <errno>` and exits. Then every thread blocks reading standard input;
/// end-of-file there (the parent closed the pipe) lets them finish, and it exits 0.
enum ThreadsChild {
    /// The main thread's name, and the three threads' in the order they start.
    static let mainName = "word-processor"
    static let threadNames = ["render", "input", "spell-check"]
    /// The text `render` lays out.
    static let document = "the quick brown fox jumps over the lazy dog"

    static func main(_ arguments: [String]) -> Int32 {
        guard arguments.count == 2, let address = parseHex(arguments[0]), let value = parseHex(arguments[1]) else {
            return fail("argv", EINVAL)
        }
        _ = ctutor_thread_set_name(mainName)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        // A hint, not MAP_FIXED: the kernel never replaces a mapping for it. A page put
        // anywhere else is refused, so both copies of this program hold it at one address.
        guard
            let mapped = mmap(
                UnsafeMutableRawPointer(bitPattern: address), page, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED
        else { return fail("mmap", errno) }
        guard UInt(bitPattern: mapped) == address else { return fail("mmap(0x\(String(address, radix: 16)))", EEXIST) }

        let processor = WordProcessor(buffer: mapped.assumingMemoryBound(to: UInt64.self), value: UInt64(value))
        var threads: [pthread_t] = []
        for index in threadNames.indices {
            var thread = pthread_t()
            let start = Unmanaged.passRetained(ThreadStart(processor: processor, index: index)).toOpaque()
            let result = pthread_create(
                &thread, nil,
                { argument in
                    let start = Unmanaged<ThreadStart>.fromOpaque(argument!).takeRetainedValue()
                    start.processor.work(start.index)
                    return nil
                }, start)
            guard result == 0 else { return fail("pthread_create", result) }
            threads.append(thread)
        }
        for _ in threads { sem_wait(processor.done) }

        let tids = (0..<threadNames.count).map { processor.tids[$0] }
        let line =
            "OK pid=\(getpid()) main=\(ctutor_thread_id()) buffer=0x\(String(address, radix: 16)) "
            + "render=\(tids[0]) lines=\(processor.renderedLines.pointee) input=\(tids[1]) wrote=0x\(String(value, radix: 16)) "
            + "spell-check=\(tids[2]) read=0x\(String(processor.read.pointee, radix: 16))\n"
        writeAll(line)
        waitForEndOfInput()
        for thread in threads { pthread_join(thread, nil) }
        return 0
    }

    /// `0x…` to a number.
    static func parseHex(_ text: String) -> UInt? {
        guard text.hasPrefix("0x") else { return nil }
        return UInt(text.dropFirst(2), radix: 16)
    }

    /// Blocks until standard input reaches end-of-file: every thread waits here.
    fileprivate static func waitForEndOfInput() {
        var byte: UInt8 = 0
        while true {
            let count = read(STDIN_FILENO, &byte, 1)
            if count == 0 || (count < 0 && errno != EINTR) { return }
        }
    }

    private static func writeAll(_ text: String) {
        var rest = Array(text.utf8)[...]
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            rest = rest.dropFirst(written)
        }
    }

    private static func fail(_ call: String, _ code: Int32) -> Int32 {
        writeAll("ERR \(call) \(code)\n")
        return 1
    }
}

/// What the threads share: the page, and their hand-offs. Each thread writes only its
/// own slot of `tids`; the semaphores order the rest.
private final class WordProcessor: @unchecked Sendable {
    let buffer: UnsafeMutablePointer<UInt64>
    let value: UInt64
    let tids = UnsafeMutablePointer<Int32>.allocate(capacity: ThreadsChild.threadNames.count)
    let read = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    let renderedLines = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    /// Posted by `input` once the value is in the page.
    let written = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    /// Posted by each thread when its work is done.
    let done = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)

    init(buffer: UnsafeMutablePointer<UInt64>, value: UInt64) {
        self.buffer = buffer
        self.value = value
        sem_init(written, 0, 0)
        sem_init(done, 0, 0)
    }

    func work(_ index: Int) {
        _ = ctutor_thread_set_name(ThreadsChild.threadNames[index])
        tids[index] = ctutor_thread_id()
        switch ThreadsChild.threadNames[index] {
        case "input":
            buffer.pointee = value
            sem_post(written)
        case "spell-check":
            sem_wait(written)
            read.pointee = buffer.pointee
        default:
            // render: lays the document out in 20 columns, as small real work.
            var column = 0
            var lines = 1
            for word in ThreadsChild.document.split(separator: " ") {
                if column > 0 && column + 1 + word.count > 20 {
                    lines += 1
                    column = word.count
                } else {
                    column += (column > 0 ? 1 : 0) + word.count
                }
            }
            renderedLines.pointee = lines
        }
        sem_post(done)
        ThreadsChild.waitForEndOfInput()
    }
}

private final class ThreadStart {
    let processor: WordProcessor
    let index: Int

    init(processor: WordProcessor, index: Int) {
        self.processor = processor
        self.index = index
    }
}
#endif

#if os(Linux)
/// The `threads` child's line, as the parent reads it.
struct ThreadsChildReport: Equatable {
    var pid: Int32
    var mainTID: Int32
    var buffer: UInt
    /// Each named thread's TID, by name.
    var threads: [String: Int32]
    var renderedLines: Int
    var wrote: UInt64
    var read: UInt64

    /// - Throws: ``ChildFailure/syscall(_:)`` for `ERR <call> <errno>`,
    ///   ``ChildFailure/malformedReport(_:)`` for anything else it cannot read.
    init(line: String) throws(ChildFailure) {
        let words = line.split(separator: " ")
        if words.count == 3, words[0] == "ERR", let code = Int32(words[2]) {
            throw .syscall(SyscallError(call: String(words[1]), errno: code))
        }
        var values: [String: String] = [:]
        for word in words.dropFirst() {
            let pair = word.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { values[String(pair[0])] = String(pair[1]) }
        }
        let tids = ThreadsChild.threadNames.compactMap { name in values[name].flatMap { Int32($0) }.map { (name, $0) } }
        guard words.first == "OK", let pid = values["pid"].flatMap({ Int32($0) }),
            let main = values["main"].flatMap({ Int32($0) }),
            let buffer = values["buffer"].flatMap(ThreadsChild.parseHex),
            let lines = values["lines"].flatMap({ Int($0) }),
            let wrote = values["wrote"].flatMap(ThreadsChild.parseHex),
            let read = values["read"].flatMap(ThreadsChild.parseHex),
            tids.count == ThreadsChild.threadNames.count
        else { throw .malformedReport(line) }
        self.pid = pid
        self.mainTID = main
        self.buffer = buffer
        self.threads = Dictionary(uniqueKeysWithValues: tids)
        self.renderedLines = lines
        self.wrote = UInt64(wrote)
        self.read = UInt64(read)
    }
}
#endif
