internal import CStackBounds

/// The lowest stack address the regex matcher may use on the current thread.
///
/// The matcher backtracks by recursion (as sre's semantics are easiest to keep that way), so a
/// pathological text (a 2 MB page of "hahaha…" under `(h[aeiou]*)*`) nests deeply. Instead of
/// overflowing the stack it stops when it reaches this floor and reports
/// ``RegexMatchError/tooDeep``.
enum StackGuard {
    /// Stack kept free below the floor for the error path and the caller.
    static let margin = 256 * 1024

    static func floor() -> UInt {
        let low = UInt(revscoring_stack_low())
        return low == 0 ? fallback() : low + UInt(margin)
    }

    /// Without thread information: allow 256 KiB below the current position.
    static func fallback() -> UInt {
        var probe: UInt8 = 0
        return withUnsafePointer(to: &probe) { UInt(bitPattern: $0) } - UInt(margin)
    }

    /// An address in the current frame.
    @inline(__always) static func current() -> UInt {
        var probe: UInt8 = 0
        return withUnsafePointer(to: &probe) { UInt(bitPattern: $0) }
    }
}

/// Why a match could not be completed.
public enum RegexMatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Backtracking nested deeper than the thread's stack allows.
    case tooDeep(pattern: String)

    public var description: String {
        switch self {
        case let .tooDeep(pattern):
            return "the text is too repetitive for regex \(pattern.prefix(60).debugDescription)…: backtracking exceeded the stack"
        }
    }
}
