import CShim

/// Decompresses a gzip stream (one or more members) from `base`.
struct GunzipSource<Base: ByteSource>: ByteSource {
    private final class Stream {
        let pointer: OpaquePointer

        init(name: String) throws {
            guard let pointer = ctutor_gunzip_new() else { throw ImageError(.io, name, "zlib could not start (out of memory)") }
            self.pointer = pointer
        }

        deinit { ctutor_gunzip_free(pointer) }
    }

    private var base: Base
    private let stream: Stream
    private let name: String
    private var input = [UInt8](repeating: 0, count: 64 * 1024)
    private var inputStart = 0
    private var inputEnd = 0
    private var baseEnded = false

    init(_ base: Base, name: String) throws {
        self.base = base
        self.name = name
        stream = try Stream(name: name)
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !buffer.isEmpty else { return 0 }
        while true {
            if inputStart == inputEnd && !baseEnded {
                inputEnd = try input.withUnsafeMutableBytes { (bytes) throws -> Int in try base.read(into: bytes) }
                inputStart = 0
                baseEnded = inputEnd == 0
            }
            var consumed = 0
            var produced = 0
            let status = input.withUnsafeBufferPointer { bytes in
                ctutor_gunzip_step(
                    stream.pointer, bytes.baseAddress! + inputStart, inputEnd - inputStart, &consumed,
                    buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), buffer.count, &produced)
            }
            inputStart += consumed
            if status == Int32(CTUTOR_GUNZIP_ERROR) {
                let why = String(cString: ctutor_gunzip_message(stream.pointer))
                throw ImageError(.corrupt, name, "gzip data is corrupt (\(why))")
            }
            if produced > 0 { return produced }
            let atInputEnd = inputStart == inputEnd && baseEnded
            if status == Int32(CTUTOR_GUNZIP_END) && atInputEnd { return 0 }
            if atInputEnd { throw ImageError(.corrupt, name, "the gzip stream is truncated (it ends inside compressed data)") }
        }
    }
}
