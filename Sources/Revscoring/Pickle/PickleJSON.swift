extension PickleValue {
    /// A JSON view of pickled metadata (params, environment, statistics), as revscoring's
    /// `json.dumps` would show it: dict keys as strings (`True` → `"true"`), tuples as arrays,
    /// numpy scalars as numbers, objects as their recorded data (`_data` when they keep one).
    func json(depth: Int = 0, path: Set<ObjectIdentifier> = []) -> JSONValue {
        guard depth < 32 else { return .string("…") }
        switch self {
        case .none: return .null
        case let .bool(b): return .bool(b)
        case let .int(i): return .int(i)
        case .bigInt: return .string("<big int>")
        case let .float(d): return .double(d)
        case let .string(s): return .string(s)
        case let .bytes(b): return .string(String(decoding: b, as: UTF8.self))
        case let .object(o):
            let id = ObjectIdentifier(o)
            if path.contains(id) { return .string("<cycle>") }
            let inner = path.union([id])
            func sub(_ v: PickleValue) -> JSONValue { v.json(depth: depth + 1, path: inner) }
            switch o.kind {
            case let .tuple(items), let .list(items), let .set(items): return .array(items.map(sub))
            case let .dict(entries): return .object(entries.map { .init($0.key.jsonKey, sub($0.value)) })
            case let .global(g): return .string(g.description)
            case let .reduced(callable, args, _, items, entries):
                if let scalar = try? NumpyScalar(self) {
                    if let b = scalar.boolValue { return .bool(b) }
                    if let i = scalar.intValue { return .int(i) }
                    return .double(scalar.doubleValue)
                }
                if let array = try? NumpyArray(self) {
                    if array.dtype.kind == .object { return .array(((try? array.objectElements()) ?? []).map(sub)) }
                    if array.dtype.kind == .bool { return .array(((try? array.ints()) ?? []).map { .bool($0 != 0) }) }
                    if array.dtype.kind == .unicode || array.dtype.kind == .byteString {
                        return .array(((try? array.strings()) ?? []).map(JSONValue.string))
                    }
                    if array.dtype.kind == .float { return .array(((try? array.doubles()) ?? []).map(JSONValue.double)) }
                    return .array(((try? array.ints()) ?? []).map(JSONValue.int))
                }
                if let data = self["_data"] { return sub(data) }
                if !entries.isEmpty { return .object(entries.map { .init($0.key.jsonKey, sub($0.value)) }) }
                if !items.isEmpty { return .array(items.map(sub)) }
                if let attributes { return .object(attributes.map { .init($0.key.jsonKey, sub($0.value)) }) }
                if callable.description == "re._compile", let pattern = args.first?.string { return .string(pattern) }
                return .string("<\(callable.description)>")
            }
        }
    }

    /// A dict key as Python's `json.dumps` writes it.
    var jsonKey: String {
        switch self {
        case let .bool(b): return b ? "true" : "false"
        case let .int(i): return String(i)
        case let .float(d): return JSONValue.format(d)
        case let .string(s): return s
        case .none: return "null"
        default:
            if let name = self["name"]?.string { return name }
            // revscoring 1.x test statistics (`roc()`, `recall_at_fpr(max_fpr=0.1)`) are dict
            // keys: show them as revscoring printed them, the class with its keyword arguments.
            if let callable = reducedCallable, case let .dict(kwargs)? = self["kwargs"]?.object?.kind {
                let arguments = kwargs.map { "\($0.key.jsonKey)=\($0.value.json().serialized())" }
                return "\(callable.name)(\(arguments.joined(separator: ", ")))"
            }
            return json().serialized()
        }
    }
}
