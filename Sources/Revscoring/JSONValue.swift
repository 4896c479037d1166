/// A JSON value with object keys kept in order, for model metadata and outputs that should
/// read like revscoring's.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One key and value of an object.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value of `key` in an object.
    public subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members.first { $0.key == key }?.value }
        return nil
    }

    /// The string, if this is one.
    public var stringValue: String? { if case let .string(s) = self { return s } else { return nil } }
    /// The integer, if this is one.
    public var intValue: Int? { if case let .int(i) = self { return i } else { return nil } }
    /// The number, if this is one (integers widened).
    public var doubleValue: Double? {
        switch self {
        case let .double(d): return d
        case let .int(i): return Double(i)
        default: return nil
        }
    }
    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a } else { return nil } }
    /// The members, if this is an object.
    public var members: [Member]? { if case let .object(m) = self { return m } else { return nil } }

    /// Compact JSON text (Python `json.dumps` spacing: `", "` and `": "` when `pythonSpacing`).
    public func serialized(pythonSpacing: Bool = false) -> String {
        var out = ""
        write(to: &out, comma: pythonSpacing ? ", " : ",", colon: pythonSpacing ? ": " : ":")
        return out
    }

    private func write(to out: inout String, comma: String, colon: String) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d): out += JSONValue.format(d)
        case let .string(s): JSONValue.quote(s, into: &out)
        case let .array(items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += comma }
                item.write(to: &out, comma: comma, colon: colon)
            }
            out += "]"
        case let .object(members):
            out += "{"
            for (i, m) in members.enumerated() {
                if i > 0 { out += comma }
                JSONValue.quote(m.key, into: &out)
                out += colon
                m.value.write(to: &out, comma: comma, colon: colon)
            }
            out += "}"
        }
    }

    /// A float as Python's `repr` writes it (shortest round-trip); non-finite values as `null`.
    public static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        return d.description
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
