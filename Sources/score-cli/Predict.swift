import ArgumentParser
import Foundation
import Revscoring

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score rows of feature values with a model file.",
        discussion: """
            Reads JSON lines {"features": [...]} (raw feature values in model order; booleans as \
            true/false or 0/1; a "rev_id" is copied through) from INPUT or standard input and writes \
            one line per input, in order: {"prediction": ..., "probability": {...}}, or \
            {"line": N, "error": "..."} for a line that cannot be scored ({"rev_id": N, "error": "..."} \
            when the line names its revision).
            """)

    @Option(name: .customLong("model-file"), help: "A revscoring model file.")
    var modelFile: String

    @Argument(help: "JSON lines of feature rows (default: standard input).")
    var input: String?

    func run() throws {
        let model = try loadModel(modelFile)
        let (lines, failures) = mapJSONLines(try openInput(input)) { line, result in
            let json = try JSONValue.parse(line)
            if let revID = json["rev_id"] { result.append(.init("rev_id", revID)) }
            let score = try model.score(try json.featureValues())
            if case let .object(members) = score.json { result += members }
        }
        if failures > 0 {
            printError("score-cli: \(failures) of \(lines) lines could not be scored")
            throw ExitCode(1)
        }
    }
}

/// Reads a file handle line by line (bytes, without the newline), in bounded memory.
///
/// Reads take what is there (`read(2)`, up to 1 MiB), not a full block: a driver that writes
/// a line and waits for its answer gets it.
struct LineReader: Sequence, IteratorProtocol {
    let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var done = false
    /// The line feed ending the next line, when ``hasBufferedLine()`` has found it: `next`
    /// then does not scan the line again.
    private var nextLineFeed: Int?

    init(handle: FileHandle) { self.handle = handle }

    /// Whether a whole line is already buffered (reading it would not wait for input).
    mutating func hasBufferedLine() -> Bool {
        if nextLineFeed == nil { nextLineFeed = lineFeed() }
        return nextLineFeed != nil
    }

    /// The first line feed at or after `start` (memchr: `firstIndex(of:)` went byte by byte,
    /// about 1% of a corpus extraction).
    private func lineFeed() -> Int? {
        buffer.withUnsafeBufferPointer { b -> Int? in
            guard start < b.count, let base = b.baseAddress,
                  let found = memchr(base + start, 0x0A, b.count - start) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    mutating func next() -> ArraySlice<UInt8>? {
        while true {
            if let nl = nextLineFeed ?? lineFeed() {
                nextLineFeed = nil
                defer { start = nl + 1 }
                return buffer[start..<nl]
            }
            if done {
                guard start < buffer.count else { return nil }
                defer { start = buffer.count }
                return buffer[start...]
            }
            buffer.removeSubrange(0..<start)
            start = 0
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: 1 << 20))
            let n = buffer.withUnsafeMutableBufferPointer { b -> Int in
                guard let base = b.baseAddress else { return 0 }
                var got: Int
                repeat {
                    got = read(handle.fileDescriptor, base + old, 1 << 20)
                } while got < 0 && errno == EINTR
                return got
            }
            buffer.removeSubrange((old + Swift.max(n, 0))...)
            if n <= 0 { done = true }
        }
    }
}

/// Buffers output lines and writes them to standard output in large chunks.
struct OutputBuffer {
    private var pending: [UInt8] = []

    mutating func write(_ line: String) {
        pending.append(contentsOf: line.utf8)
        pending.append(0x0A)
        if pending.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !pending.isEmpty else { return }
        FileHandle.standardOutput.write(Data(pending))
        pending.removeAll(keepingCapacity: true)
    }
}
