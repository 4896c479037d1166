/// A class label of a model: revscoring labels are Python bools, ints or strings.
public enum Label: Sendable, Hashable, CustomStringConvertible {
    case bool(Bool)
    case int(Int)
    case string(String)

    /// The label as a JSON object key, as Lift Wing / ORES responses write it
    /// (`true`/`false` for booleans).
    public var description: String {
        switch self {
        case let .bool(b): return b ? "true" : "false"
        case let .int(i): return String(i)
        case let .string(s): return s
        }
    }

    /// The label as a JSON value.
    public var json: JSONValue {
        switch self {
        case let .bool(b): return .bool(b)
        case let .int(i): return .int(i)
        case let .string(s): return .string(s)
        }
    }
}
