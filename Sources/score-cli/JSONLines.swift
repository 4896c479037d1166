import Foundation
import Revscoring

/// The shape every JSON-lines command shares: one output object per non-blank input line, in
/// order; a line whose handler throws becomes `{…, "error": "…"}` (with `"line": N` when the
/// handler had not identified the input yet), and the others go on.
///
/// - Returns: the number of input lines read and of lines that failed.
func mapJSONLines(_ handle: FileHandle, _ transform: (ArraySlice<UInt8>, inout [JSONValue.Member]) throws -> Void)
    -> (lines: Int, failures: Int)
{
    var out = OutputBuffer()
    var lineNumber = 0, failures = 0
    for line in LineReader(handle: handle) {
        lineNumber += 1
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
        var result: [JSONValue.Member] = []
        do {
            try transform(line, &result)
        } catch {
            failures += 1
            if result.isEmpty { result.append(.init("line", .int(lineNumber))) }
            result.append(.init("error", .string(String(describing: error))))
        }
        out.write(JSONValue.object(result).serialized(pythonSpacing: true))
    }
    out.flush()
    return (lineNumber, failures)
}
