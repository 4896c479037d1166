/// Why a row of feature values given as JSON cannot be scored.
public enum FeatureInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The row is not a JSON array (or an object without a `features` array).
    case notAnArray
    /// Value `index` is not a number or boolean.
    case notANumber(index: Int)

    public var description: String {
        switch self {
        case .notAnArray: return "expected \"features\": an array of numbers and booleans"
        case let .notANumber(index): return "features[\(index)] is not a number or boolean"
        }
    }
}

extension JSONValue {
    /// Feature values as the model takes them: numbers as float64, booleans as 0/1.
    ///
    /// Accepts an array, or an object with a `features` array (the form of revscoring's
    /// feature dumps and of `score-cli extract`).
    public func featureValues() throws(FeatureInputError) -> [Double] {
        let array: [JSONValue]
        switch self {
        case let .array(a): array = a
        case .object:
            guard case let .array(a)? = self["features"] else { throw .notAnArray }
            array = a
        default: throw .notAnArray
        }
        var values: [Double] = []
        values.reserveCapacity(array.count)
        for (i, v) in array.enumerated() {
            switch v {
            case let .bool(b): values.append(b ? 1 : 0)
            case let .int(n): values.append(Double(n))
            case let .double(d): values.append(d)
            default: throw .notANumber(index: i)
            }
        }
        return values
    }
}

extension FeatureValue {
    /// The value as revscoring writes it in JSON: `true`/`false`, an integer, or a float.
    public var json: JSONValue {
        switch self {
        case let .bool(b): return .bool(b)
        case let .int(i): return .int(i)
        case let .float(d): return .double(d)
        }
    }

    /// Exactly the reference's value and type: equal bools and ints, bit-identical floats.
    public func sameAsReference(_ reference: JSONValue) -> Bool {
        switch (self, reference) {
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.float(a), .double(b)): return a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
        default: return false
        }
    }
}
