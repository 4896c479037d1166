/// A numpy dtype as pickled: `numpy.dtype(typestr, align, copy)` plus its BUILD state.
struct NumpyDType: Equatable {
    enum Kind: Equatable {
        case bool, signed, unsigned, float, object, void
        /// Fixed-width UTF-32 strings (`<U6`): `itemSize` is 4 × characters.
        case unicode
        /// Fixed-width byte strings (`|S6`).
        case byteString
    }

    var kind: Kind
    /// Bytes per element.
    var itemSize: Int
    /// True for big-endian data.
    var bigEndian: Bool
    /// Named fields at byte offsets, for structured (`V`) dtypes, in declaration order.
    var fields: [(name: String, offset: Int, dtype: NumpyDType)]

    static func == (a: NumpyDType, b: NumpyDType) -> Bool {
        a.kind == b.kind && a.itemSize == b.itemSize && a.bigEndian == b.bigEndian
            && a.fields.map(\.name) == b.fields.map(\.name) && a.fields.map(\.offset) == b.fields.map(\.offset)
    }

    init(kind: Kind, itemSize: Int, bigEndian: Bool = false, fields: [(name: String, offset: Int, dtype: NumpyDType)] = []) {
        self.kind = kind
        self.itemSize = itemSize
        self.bigEndian = bigEndian
        self.fields = fields
    }

    /// Reads a pickled dtype (a REDUCE of `numpy.dtype`, with its state).
    init(_ value: PickleValue, depth: Int = 0) throws(ModelFileError) {
        guard depth < 8, case let .reduced(callable, args, state, _, _)? = value.object?.kind,
              callable.name == "dtype", callable.module.hasPrefix("numpy"),
              let code = args.first?.string, let kindChar = code.first
        else { throw .malformedArray("expected a numpy dtype") }
        let size = Int(code.dropFirst()) ?? 0
        switch kindChar {
        case "b": kind = .bool
        case "i": kind = .signed
        case "u": kind = .unsigned
        case "f": kind = .float
        case "O": kind = .object
        case "V": kind = .void
        case "U": kind = .unicode
        case "S": kind = .byteString
        default: throw .malformedArray("unsupported numpy dtype '\(code)'")
        }
        itemSize = kind == .bool ? 1 : kind == .object ? 8 : kind == .unicode ? 4 * size : size
        bigEndian = false
        fields = []
        // state: (version, byteorder, subarray, names, fields, elsize, alignment, flags)
        if let s = state?.sequence, s.count >= 5 {
            bigEndian = s[1].string == ">"
            if let names = s[3].sequence, case let .dict(entries)? = s[4].object?.kind {
                for name in names {
                    guard let n = name.string,
                          let entry = entries.first(where: { $0.key.string == n })?.value.sequence,
                          entry.count >= 2, let offset = entry[1].int
                    else { throw .malformedArray("structured dtype field without an offset") }
                    fields.append((n, offset, try NumpyDType(entry[0], depth: depth + 1)))
                }
                if s.count >= 6, let elsize = s[5].int, elsize > 0 { itemSize = elsize }
            }
        }
        guard (1...(kind == .unicode || kind == .byteString ? 4096 : 64)).contains(itemSize) else { throw .malformedArray("numpy dtype '\(code)' of \(itemSize) bytes") }
        switch kind {
        case .float: guard itemSize == 4 || itemSize == 8 else { throw .malformedArray("float\(itemSize * 8) is not supported") }
        case .signed, .unsigned: guard [1, 2, 4, 8].contains(itemSize) else { throw .malformedArray("int\(itemSize * 8) is not supported") }
        default: break
        }
        for f in fields where f.offset < 0 || f.offset + f.dtype.itemSize > itemSize {
            throw .malformedArray("field \(f.name) lies outside its \(itemSize)-byte record")
        }
    }

    /// Reads one element of this (non-structured) dtype at `offset` in `bytes`.
    func double(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Double {
        let raw = loadUnsigned(bytes, at: offset)
        switch kind {
        case .float: return itemSize == 8 ? Double(bitPattern: raw) : Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
        case .signed:
            let shift = UInt64(64 - 8 * itemSize)
            return Double(Int64(bitPattern: raw << shift) >> Int64(shift))
        case .unsigned, .bool: return Double(raw)
        case .object, .void, .unicode, .byteString: return .nan
        }
    }

    /// Reads one integer element at `offset` (floats are truncated).
    func int(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int {
        let raw = loadUnsigned(bytes, at: offset)
        switch kind {
        case .signed:
            let shift = UInt64(64 - 8 * itemSize)
            return Int(Int64(bitPattern: raw << shift) >> Int64(shift))
        case .unsigned, .bool: return Int(truncatingIfNeeded: raw)
        case .float:
            let d = double(bytes, at: offset)
            return d.isFinite && abs(d) < 9e18 ? Int(d) : 0
        case .object, .void, .unicode, .byteString: return 0
        }
    }

    private func loadUnsigned(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<min(itemSize, 8) {
            let b = UInt64(bytes[offset + (bigEndian ? itemSize - 1 - i : i)])
            v |= b << (8 * UInt64(i))
        }
        return v
    }

    func field(_ name: String) -> (offset: Int, dtype: NumpyDType)? {
        fields.first { $0.name == name }.map { ($0.offset, $0.dtype) }
    }
}

/// A numpy array as pickled: `_reconstruct(ndarray, (0,), b'b')` + BUILD
/// `(version, shape, dtype, is_fortran, data)`, or protocol 5's `_frombuffer(buf, dtype, shape, order)`.
struct NumpyArray {
    var shape: [Int]
    var dtype: NumpyDType
    var fortranOrder: Bool
    /// Raw element bytes (numeric and structured dtypes).
    var data: [UInt8]
    /// Elements of an object array, in memory order.
    var objects: [PickleValue]

    var count: Int { shape.reduce(1, *) }

    init(_ value: PickleValue) throws(ModelFileError) {
        guard case let .reduced(callable, args, state, _, _)? = value.object?.kind else {
            throw .malformedArray("expected a numpy array")
        }
        switch callable.name {
        case "_reconstruct":
            guard let s = state?.sequence, s.count == 4 || s.count == 5 else {
                throw .malformedArray("numpy array without its state")
            }
            let p = s.count == 5 ? Array(s.dropFirst()) : s
            guard let dims = p[0].sequence else { throw .malformedArray("numpy array shape is not a tuple") }
            shape = try Self.shape(dims)
            dtype = try NumpyDType(p[1])
            fortranOrder = p[2].bool ?? false
            (data, objects) = try Self.payload(p[3], dtype: dtype, count: shape.reduce(1, *))
        case "_frombuffer":
            guard args.count == 4, let dims = args[2].sequence else { throw .malformedArray("bad _frombuffer arguments") }
            shape = try Self.shape(dims)
            dtype = try NumpyDType(args[1])
            fortranOrder = args[3].string == "F"
            (data, objects) = try Self.payload(args[0], dtype: dtype, count: shape.reduce(1, *))
        default:
            throw .malformedArray("expected a numpy array, found a call of \(callable)")
        }
    }

    private static func shape(_ dims: [PickleValue]) throws(ModelFileError) -> [Int] {
        var total = 1
        var shape: [Int] = []
        for d in dims {
            guard let n = d.int, n >= 0 else { throw .malformedArray("numpy array dimension is not a count") }
            let (product, overflow) = total.multipliedReportingOverflow(by: n)
            guard !overflow, product < 1 << 40 else { throw .malformedArray("numpy array is too large") }
            total = product
            shape.append(n)
        }
        return shape
    }

    private static func payload(_ v: PickleValue, dtype: NumpyDType, count: Int) throws(ModelFileError) -> ([UInt8], [PickleValue]) {
        if dtype.kind == .object {
            guard let items = v.sequence, items.count == count else {
                throw .malformedArray("object array holds a different number of elements than its shape")
            }
            return ([], items)
        }
        let bytes: [UInt8]
        switch v {
        case let .bytes(b): bytes = b
        case let .string(s): bytes = Array(s.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })  // Python 2 latin-1
        default: throw .malformedArray("numpy array data is not bytes")
        }
        guard bytes.count == count * dtype.itemSize else {
            throw .malformedArray("numpy array has \(bytes.count) bytes for \(count) elements of \(dtype.itemSize)")
        }
        return (bytes, [])
    }

    /// Memory index of C-order element `i` (transposes Fortran-order 2-D arrays).
    private func memoryIndex(_ i: Int) -> Int {
        guard fortranOrder, shape.count == 2 else { return i }
        let (r, c) = (i / shape[1], i % shape[1])
        return c * shape[0] + r
    }

    /// All elements as float64, in C order.
    func doubles() throws(ModelFileError) -> [Double] {
        guard dtype.fields.isEmpty, dtype.kind != .object, dtype.kind != .void else {
            throw .malformedArray("expected a numeric array")
        }
        return data.withUnsafeBytes { raw in (0..<count).map { dtype.double(raw, at: memoryIndex($0) * dtype.itemSize) } }
    }

    /// All elements as integers, in C order.
    func ints() throws(ModelFileError) -> [Int] {
        guard dtype.fields.isEmpty, dtype.kind != .object, dtype.kind != .void else {
            throw .malformedArray("expected an integer array")
        }
        return data.withUnsafeBytes { raw in (0..<count).map { dtype.int(raw, at: memoryIndex($0) * dtype.itemSize) } }
    }

    /// Elements of a string array (`U` or `S` dtype), in C order, without their NUL padding.
    func strings() throws(ModelFileError) -> [String] {
        let unicode = dtype.kind == .unicode
        guard unicode || dtype.kind == .byteString else { throw .malformedArray("expected a string array") }
        return (0..<count).map { i in
            let start = memoryIndex(i) * dtype.itemSize
            let item = data[start..<(start + dtype.itemSize)]
            if !unicode { return String(decoding: item.prefix { $0 != 0 }, as: UTF8.self) }
            var scalars = String.UnicodeScalarView()
            for c in stride(from: item.startIndex, to: item.endIndex, by: 4) {
                var v: UInt32 = 0
                for b in 0..<4 {
                    v |= UInt32(item[c + (dtype.bigEndian ? 3 - b : b)]) << (8 * UInt32(b))
                }
                if v == 0 { break }
                scalars.append(Unicode.Scalar(v) ?? "\u{FFFD}")
            }
            return String(scalars)
        }
    }

    /// Elements of an object array, in C order.
    func objectElements() throws(ModelFileError) -> [PickleValue] {
        guard dtype.kind == .object else { throw .malformedArray("expected an object array") }
        return (0..<count).map { objects[memoryIndex($0)] }
    }

    /// One field of a 1-D structured array as float64.
    func fieldDoubles(_ name: String) throws(ModelFileError) -> [Double] {
        guard let (offset, fieldType) = dtype.field(name) else { throw .malformedArray("structured array has no field \(name)") }
        return data.withUnsafeBytes { raw in (0..<count).map { fieldType.double(raw, at: $0 * dtype.itemSize + offset) } }
    }

    /// One field of a 1-D structured array as integers.
    func fieldInts(_ name: String) throws(ModelFileError) -> [Int] {
        guard let (offset, fieldType) = dtype.field(name) else { throw .malformedArray("structured array has no field \(name)") }
        return data.withUnsafeBytes { raw in (0..<count).map { fieldType.int(raw, at: $0 * dtype.itemSize + offset) } }
    }
}

/// A numpy scalar as pickled: `numpy.core.multiarray.scalar(dtype, bytes)`.
struct NumpyScalar {
    var dtype: NumpyDType
    var bytes: [UInt8]

    init(_ value: PickleValue) throws(ModelFileError) {
        guard case let .reduced(callable, args, _, _, _)? = value.object?.kind, callable.name == "scalar",
              callable.module.hasPrefix("numpy"), args.count == 2
        else { throw .malformedArray("expected a numpy scalar") }
        dtype = try NumpyDType(args[0])
        switch args[1] {
        case let .bytes(b): bytes = b
        case let .string(s): bytes = Array(s.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        default: throw .malformedArray("numpy scalar data is not bytes")
        }
        guard bytes.count == dtype.itemSize, [.bool, .signed, .unsigned, .float].contains(dtype.kind) else {
            throw .malformedArray("numpy scalar has \(bytes.count) bytes for a \(dtype.itemSize)-byte dtype")
        }
    }

    var doubleValue: Double { bytes.withUnsafeBytes { dtype.double($0, at: 0) } }
    var intValue: Int? { dtype.kind == .float ? nil : bytes.withUnsafeBytes { dtype.int($0, at: 0) } }
    var boolValue: Bool? { dtype.kind == .bool ? bytes[0] != 0 : nil }
}
