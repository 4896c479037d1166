/// Why a match could not be completed.
public enum RegexMatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Backtracking needed more than ``RegexMatcher/maxEntries`` entries (a pathological
    /// text; sre would grind on, using memory without bound).
    case tooDeep(pattern: String)

    public var description: String {
        switch self {
        case let .tooDeep(pattern):
            return "the text is too repetitive for regex \(pattern.prefix(60).debugDescription)…: backtracking needed more than \(RegexMatcher.maxEntries) entries"
        }
    }
}
