/// A value read from a Python pickle: plain data, never executed.
///
/// Scalars are values; containers and objects are ``PickleObject`` references because a
/// pickle fills them after creating them (and shares them through its memo).
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer beyond 64 bits, as its little-endian two's-complement bytes.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case object(PickleObject)
}

/// A Python module-level name a pickle refers to (`GLOBAL` / `STACK_GLOBAL`).
struct PickleGlobal: Hashable, CustomStringConvertible {
    var module: String
    var name: String
    var description: String { "\(module).\(name)" }
}

/// A container or object of a pickle, with reference identity.
final class PickleObject {
    enum Kind {
        case tuple([PickleValue])
        case list([PickleValue])
        case dict([(key: PickleValue, value: PickleValue)])
        case set([PickleValue])
        case global(PickleGlobal)
        /// `callable(*args)` recorded, never called (REDUCE, NEWOBJ, INST, OBJ), with what
        /// BUILD, APPENDS and SETITEMS later gave it.
        case reduced(callable: PickleGlobal, args: [PickleValue], state: PickleValue?,
                     items: [PickleValue], entries: [(key: PickleValue, value: PickleValue)])
    }

    var kind: Kind

    init(_ kind: Kind) { self.kind = kind }
}

// MARK: - Reading values

extension PickleValue {
    var object: PickleObject? {
        if case let .object(o) = self { return o }
        return nil
    }

    /// The elements of a tuple or list.
    var sequence: [PickleValue]? {
        switch object?.kind {
        case let .tuple(v)?, let .list(v)?: return v
        default: return nil
        }
    }

    /// A str (or, for Python 2 pickles, a byte string).
    var string: String? {
        switch self {
        case let .string(s): return s
        case let .bytes(b): return String(decoding: b, as: UTF8.self)
        default: return nil
        }
    }

    /// An int, bool, or numpy integer scalar as `Int`.
    var int: Int? {
        switch self {
        case let .int(i): return i
        case let .bool(b): return b ? 1 : 0
        default: return (try? NumpyScalar(self))?.intValue
        }
    }

    /// A float, int, bool, or numpy scalar as `Double`.
    var double: Double? {
        switch self {
        case let .float(d): return d
        case let .int(i): return Double(i)
        case let .bool(b): return b ? 1 : 0
        default: return (try? NumpyScalar(self))?.doubleValue
        }
    }

    var bool: Bool? {
        switch self {
        case let .bool(b): return b
        case let .int(i) where i == 0 || i == 1: return i == 1
        default: return (try? NumpyScalar(self))?.boolValue
        }
    }

    var isNone: Bool { if case .none = self { return true } else { return false } }

    /// The global this value names, when it is a bare global reference.
    var global: PickleGlobal? {
        if case let .global(g)? = object?.kind { return g }
        return nil
    }

    /// For an object made by calling a global: that global.
    var reducedCallable: PickleGlobal? {
        if case let .reduced(callable, _, _, _, _)? = object?.kind { return callable }
        return nil
    }

    /// The attribute dictionary of an object (its BUILD state when that is a dict, or the
    /// dict half of a `(dict, slots)` state), or the entries of a dict.
    var attributes: [(key: PickleValue, value: PickleValue)]? {
        switch object?.kind {
        case let .dict(entries)?: return entries
        case let .reduced(_, _, state?, _, _)?:
            if case let .dict(entries)? = state.object?.kind { return entries }
            if let parts = state.sequence, parts.count == 2 {
                var merged: [(key: PickleValue, value: PickleValue)] = []
                for part in parts { if case let .dict(e)? = part.object?.kind { merged += e } }
                return merged
            }
            return nil
        default: return nil
        }
    }

    /// `obj.name` / `d[name]` for string keys.
    subscript(_ name: String) -> PickleValue? {
        guard let attributes else { return nil }
        for (k, v) in attributes where k.string == name { return v }
        return nil
    }
}
