import ArgumentParser
import Foundation
import Revscoring

/// The shape every JSON-lines command shares: one output object per non-blank input line, in
/// order; a line whose handler throws becomes `{…, "error": "…"}` (with `"line": N` when the
/// handler had not identified the input yet), and the others go on.
///
/// Lines are read in chunks and, with `workers` > 1, a chunk's lines are handled concurrently;
/// output order is input order either way, and memory stays bounded by the chunk size.
///
/// - Returns: the number of input lines read and of lines that failed.
func mapJSONLines(
    _ handle: FileHandle, workers: Int = 1, progress: Bool = false,
    _ transform: @escaping @Sendable (ArraySlice<UInt8>, inout [JSONValue.Member]) throws -> Void
) -> (lines: Int, failures: Int) {
    var out = OutputBuffer()
    var lineNumber = 0, failures = 0
    let workers = max(1, workers)
    let chunkSize = workers > 1 ? workers * 16 : 1
    var chunk: [(number: Int, line: ArraySlice<UInt8>)] = []
    let started = Date()
    let showProgress = progress && isatty(2) != 0

    func drain() {
        guard !chunk.isEmpty else { return }
        let work = chunk
        let slots = ResultSlots<(members: [JSONValue.Member], failed: Bool)>(count: work.count, initial: ([], false))
        let handleOne: @Sendable (Int) -> Void = { i in
            var result: [JSONValue.Member] = []
            var failed = false
            do {
                try transform(work[i].line, &result)
            } catch {
                failed = true
                if result.isEmpty { result.append(.init("line", .int(work[i].number))) }
                result.append(.init("error", .string(String(describing: error))))
            }
            slots[i] = (result, failed)
        }
        if workers > 1 && work.count > 1 {
            DispatchQueue.concurrentPerform(iterations: work.count, execute: handleOne)
        } else {
            for i in work.indices { handleOne(i) }
        }
        for r in slots.values {
            if r.failed { failures += 1 }
            out.write(JSONValue.object(r.members).serialized(pythonSpacing: true))
        }
        chunk.removeAll(keepingCapacity: true)
        // Each chunk's results go out at once: a pipe reader sees them without waiting for more.
        out.flush()
        if showProgress {
            let rate = Double(lineNumber) / max(Date().timeIntervalSince(started), 1e-9)
            FileHandle.standardError.write(Data("\r\(lineNumber) lines, \(failures) errors, \(Int(rate)) lines/s".utf8))
        }
    }

    var reader = LineReader(handle: handle)
    while let line = reader.next() {
        lineNumber += 1
        if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { chunk.append((lineNumber, line)) }
        // A full chunk, or no more input at hand: answer what has come so far.
        if chunk.count >= chunkSize || !reader.hasBufferedLine() { drain() }
    }
    drain()
    out.flush()
    if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
    return (lineNumber, failures)
}

/// `--workers`: how many revisions to handle at once (default: one per core).
struct WorkerOptions: ParsableArguments {
    @Option(help: "Revisions handled at once (default: one per core; 1 for a single thread).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
    }
}
