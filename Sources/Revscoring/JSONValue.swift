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
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out, pythonSpacing: pythonSpacing)
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes the JSON text as UTF-8 bytes. Bytes, not `String` appends: a scoring response of
    /// ~200 bytes took ~70,000 instructions through `String` (callgrind), 4% of a small request.
    private func write(to out: inout [UInt8], pythonSpacing: Bool) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case let .int(i): out.append(contentsOf: String(i).utf8)
        case let .double(d): out.append(contentsOf: JSONValue.format(d).utf8)
        case let .string(s): JSONValue.quote(s, into: &out)
        case let .array(items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { Self.separator(UInt8(ascii: ","), pythonSpacing, &out) }
                item.write(to: &out, pythonSpacing: pythonSpacing)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            out.append(UInt8(ascii: "{"))
            for (i, m) in members.enumerated() {
                if i > 0 { Self.separator(UInt8(ascii: ","), pythonSpacing, &out) }
                JSONValue.quote(m.key, into: &out)
                Self.separator(UInt8(ascii: ":"), pythonSpacing, &out)
                m.value.write(to: &out, pythonSpacing: pythonSpacing)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func separator(_ byte: UInt8, _ pythonSpacing: Bool, _ out: inout [UInt8]) {
        out.append(byte)
        if pythonSpacing { out.append(UInt8(ascii: " ")) }
    }

    /// A float as Python's `repr` writes it (shortest round-trip); non-finite values as `null`.
    public static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        return d.description
    }

    /// Appends `s` as a JSON string, escaped as Python's `json.dumps(ensure_ascii=False)`
    /// escapes: `"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t` by name, other control characters as
    /// `\u00xx`; everything else (non-ASCII too) as its UTF-8 bytes.
    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                runStart = i + 1
                out.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
