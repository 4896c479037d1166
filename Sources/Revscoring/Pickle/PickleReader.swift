/// What is wrong with a pickle.
public enum PickleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data ended inside an opcode or before `STOP`.
    case truncated(offset: Int)
    /// An opcode this reader does not know or deliberately does not support.
    case unsupportedOpcode(UInt8, offset: Int)
    /// A global outside the allow-list of classes model files contain.
    case globalNotAllowed(module: String, name: String)
    /// The stack or memo was used in a way no valid pickle does.
    case malformed(String, offset: Int)
    /// A protocol newer than 5.
    case unsupportedProtocol(Int)

    public var description: String {
        switch self {
        case let .truncated(offset): return "pickle is truncated at byte \(offset)"
        case let .unsupportedOpcode(op, offset):
            return "unsupported pickle opcode 0x\(String(op, radix: 16)) at byte \(offset)"
        case let .globalNotAllowed(module, name):
            return "pickle refers to \(module).\(name), which is not a class revscoring model files contain; refusing to load it"
        case let .malformed(message, offset): return "malformed pickle at byte \(offset): \(message)"
        case let .unsupportedProtocol(p): return "unsupported pickle protocol \(p)"
        }
    }
}

/// Reads pickles (protocols 0–5, binary opcodes) into a ``PickleValue`` graph.
///
/// It interprets opcodes as data and never executes code: `REDUCE`, `NEWOBJ`, `BUILD` and
/// friends only *record* a call and its arguments, and every global must pass
/// ``PickleAllowList``. Limits keep hostile input from exhausting memory: lengths are checked
/// against the bytes left before anything is allocated.
struct PickleReader {
    private let bytes: [UInt8]
    private var position = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    /// Every object created, so the graph can be torn down without deep recursion.
    private var arena: [PickleObject] = []
    private let allowList: PickleAllowList

    init(bytes: [UInt8], allowList: PickleAllowList = .revscoringModels) {
        self.bytes = bytes
        self.allowList = allowList
    }

    /// Reads one pickle and returns its value and the objects it made (pass those to
    /// ``tearDown(_:)`` when done, so a deeply nested graph is freed without recursion).
    static func read(_ bytes: [UInt8], allowList: PickleAllowList = .revscoringModels) throws(PickleError) -> (PickleValue, [PickleObject]) {
        var reader = PickleReader(bytes: bytes, allowList: allowList)
        do {
            let value = try reader.run()
            return (value, reader.arena)
        } catch {
            tearDown(reader.arena)
            throw error
        }
    }

    /// Cuts every reference between `objects`, so that freeing them never recurses.
    static func tearDown(_ objects: [PickleObject]) {
        for object in objects { object.kind = .tuple([]) }
    }

    // MARK: - Byte access

    private mutating func byte() throws(PickleError) -> UInt8 {
        guard position < bytes.count else { throw .truncated(offset: position) }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func take(_ count: Int) throws(PickleError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else { throw .truncated(offset: position) }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    private mutating func unsignedLE(_ width: Int) throws(PickleError) -> UInt64 {
        var value: UInt64 = 0
        for (i, b) in try take(width).enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
        return value
    }

    private mutating func length(_ width: Int) throws(PickleError) -> Int {
        let n = try unsignedLE(width)
        guard n <= UInt64(bytes.count - position) else { throw .truncated(offset: position) }
        return Int(n)
    }

    private mutating func line() throws(PickleError) -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { throw .truncated(offset: position) }
        let text = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end + 1
        return text
    }

    // MARK: - Stack

    private mutating func pop() throws(PickleError) -> PickleValue {
        guard let v = stack.popLast(), stack.count >= (marks.last ?? 0) else {
            throw .malformed("stack underflow", offset: position)
        }
        return v
    }

    private mutating func popMark() throws(PickleError) -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else {
            throw .malformed("no MARK on the stack", offset: position)
        }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func top() throws(PickleError) -> PickleObject {
        guard let v = stack.last else { throw .malformed("empty stack", offset: position) }
        guard case let .object(o) = v else { throw .malformed("expected a container on the stack", offset: position) }
        return o
    }

    private mutating func make(_ kind: PickleObject.Kind) -> PickleValue {
        let o = PickleObject(kind)
        arena.append(o)
        return .object(o)
    }

    private mutating func push(_ v: PickleValue) { stack.append(v) }

    // MARK: - Globals and calls

    private mutating func global(module: String, name: String) throws(PickleError) -> PickleValue {
        let g = PickleGlobal(module: module, name: name)
        guard allowList.allows(g) else { throw .globalNotAllowed(module: module, name: name) }
        return make(.global(g))
    }

    /// Records `callable(*args)`; builds native containers for the few callables that are
    /// plain constructors of data (set, frozenset, OrderedDict, dict, list, tuple).
    private mutating func call(_ callable: PickleValue, _ args: PickleValue) throws(PickleError) -> PickleValue {
        guard let g = callable.global else {
            throw .malformed("call of something that is not a global", offset: position)
        }
        guard let argv = args.sequence else { throw .malformed("call arguments are not a tuple", offset: position) }
        switch (g.module, g.name) {
        case ("builtins", "set"), ("builtins", "frozenset"), ("__builtin__", "set"), ("__builtin__", "frozenset"):
            return make(.set(argv.first?.sequence ?? []))
        case ("collections", "OrderedDict"), ("builtins", "dict"), ("__builtin__", "dict"):
            return make(.dict([]))
        case ("_codecs", "encode") where argv.count == 2:
            // Python 3's protocol-2 form of bytes: encode(str, "latin1").
            guard case let .string(text) = argv[0], let codec = argv[1].string,
                  ["latin1", "latin-1", "iso-8859-1"].contains(codec.lowercased()),
                  text.unicodeScalars.allSatisfy({ $0.value < 256 })
            else { throw .malformed("unsupported _codecs.encode call", offset: position) }
            return .bytes(text.unicodeScalars.map { UInt8($0.value) })
        case ("builtins", "list"), ("__builtin__", "list"):
            return make(.list(argv.first?.sequence ?? []))
        default:
            return make(.reduced(callable: g, args: argv, state: nil, items: [], entries: []))
        }
    }

    private mutating func appendItems(_ items: [PickleValue], to target: PickleObject) throws(PickleError) {
        switch target.kind {
        case var .list(values):
            target.kind = .tuple([])  // release the old array before appending (no copy)
            values.append(contentsOf: items)
            target.kind = .list(values)
        case let .reduced(c, a, s, existing, e):
            target.kind = .reduced(callable: c, args: a, state: s, items: existing + items, entries: e)
        default: throw .malformed("APPEND to something that is not a list", offset: position)
        }
    }

    private mutating func setItems(_ flat: [PickleValue], on target: PickleObject) throws(PickleError) {
        guard flat.count % 2 == 0 else { throw .malformed("odd number of SETITEMS values", offset: position) }
        var pairs: [(key: PickleValue, value: PickleValue)] = []
        pairs.reserveCapacity(flat.count / 2)
        for i in stride(from: 0, to: flat.count, by: 2) { pairs.append((flat[i], flat[i + 1])) }
        switch target.kind {
        case var .dict(entries):
            target.kind = .tuple([])
            entries.append(contentsOf: pairs)
            target.kind = .dict(entries)
        case let .reduced(c, a, s, items, existing):
            target.kind = .reduced(callable: c, args: a, state: s, items: items, entries: existing + pairs)
        default: throw .malformed("SETITEM on something that is not a dict", offset: position)
        }
    }

    // MARK: - The machine

    private mutating func run() throws(PickleError) -> PickleValue {
        while true {
            let at = position
            let op = try byte()
            switch op {
            case 0x80:  // PROTO
                let p = Int(try byte())
                guard p <= 5 else { throw .unsupportedProtocol(p) }
            case 0x95:  // FRAME
                _ = try unsignedLE(8)
            case 0x2E:  // STOP
                guard stack.count == 1, marks.isEmpty else { throw .malformed("STOP with \(stack.count) values on the stack", offset: at) }
                return stack[0]
            case 0x28: marks.append(stack.count)  // MARK
            case 0x30: _ = try pop()  // POP
            case 0x31: _ = try popMark()  // POP_MARK
            case 0x32:  // DUP
                guard let v = stack.last else { throw .malformed("DUP on an empty stack", offset: at) }
                push(v)
            case 0x4E: push(.none)  // NONE
            case 0x88: push(.bool(true))  // NEWTRUE
            case 0x89: push(.bool(false))  // NEWFALSE
            case 0x4A: push(.int(Int(Int32(truncatingIfNeeded: UInt32(try unsignedLE(4))))))  // BININT
            case 0x4B: push(.int(Int(try byte())))  // BININT1
            case 0x4D: push(.int(Int(try unsignedLE(2))))  // BININT2
            case 0x8A, 0x8B:  // LONG1, LONG4
                let n = try length(op == 0x8A ? 1 : 4)
                push(Self.long(Array(try take(n))))
            case 0x49:  // INT (text)
                let text = try line()
                switch text {
                case "00": push(.bool(false))
                case "01": push(.bool(true))
                default:
                    guard let i = Int(text) else { throw .malformed("bad INT \(text)", offset: at) }
                    push(.int(i))
                }
            case 0x4C:  // LONG (text)
                let text = try line()
                guard let i = Int(text.hasSuffix("L") ? String(text.dropLast()) : text) else {
                    throw .malformed("LONG beyond 64 bits in text form", offset: at)
                }
                push(.int(i))
            case 0x47:  // BINFLOAT (big-endian)
                var bits: UInt64 = 0
                for b in try take(8) { bits = bits << 8 | UInt64(b) }
                push(.float(Double(bitPattern: bits)))
            case 0x46:  // FLOAT (text)
                let text = try line()
                guard let d = Double(text) else { throw .malformed("bad FLOAT \(text)", offset: at) }
                push(.float(d))
            case 0x58, 0x8C, 0x8D:  // BINUNICODE, SHORT_BINUNICODE, BINUNICODE8
                let n = try length(op == 0x58 ? 4 : op == 0x8C ? 1 : 8)
                let raw = try take(n)
                guard let s = String(validating: raw, as: UTF8.self) else {
                    throw .malformed("string is not valid UTF-8", offset: at)
                }
                push(.string(s))
            case 0x56:  // UNICODE (text, raw-unicode-escape)
                push(.string(Self.rawUnicodeEscape(try line())))
            case 0x54, 0x55:  // BINSTRING, SHORT_BINSTRING (Python 2 str: bytes)
                let n = try length(op == 0x54 ? 4 : 1)
                push(.bytes(Array(try take(n))))
            case 0x42, 0x43, 0x8E, 0x96:  // BINBYTES, SHORT_BINBYTES, BINBYTES8, BYTEARRAY8
                let n = try length(op == 0x42 ? 4 : op == 0x43 ? 1 : 8)
                push(.bytes(Array(try take(n))))
            case 0x29: push(make(.tuple([])))  // EMPTY_TUPLE
            case 0x74: push(make(.tuple(try popMark())))  // TUPLE
            case 0x85: push(make(.tuple([try pop()])))  // TUPLE1
            case 0x86:  // TUPLE2
                let b = try pop(), a = try pop()
                push(make(.tuple([a, b])))
            case 0x87:  // TUPLE3
                let c = try pop(), b = try pop(), a = try pop()
                push(make(.tuple([a, b, c])))
            case 0x5D: push(make(.list([])))  // EMPTY_LIST
            case 0x6C: push(make(.list(try popMark())))  // LIST
            case 0x61:  // APPEND
                let v = try pop()
                try appendItems([v], to: try top())
            case 0x65:  // APPENDS
                let items = try popMark()
                try appendItems(items, to: try top())
            case 0x7D: push(make(.dict([])))  // EMPTY_DICT
            case 0x64:  // DICT
                let flat = try popMark()
                let d = make(.dict([]))
                if let o = d.object { try setItems(flat, on: o) }
                push(d)
            case 0x73:  // SETITEM
                let v = try pop(), k = try pop()
                try setItems([k, v], on: try top())
            case 0x75:  // SETITEMS
                let flat = try popMark()
                try setItems(flat, on: try top())
            case 0x8F: push(make(.set([])))  // EMPTY_SET
            case 0x90:  // ADDITEMS
                let items = try popMark()
                let target = try top()
                guard case let .set(existing) = target.kind else { throw .malformed("ADDITEMS to a non-set", offset: at) }
                target.kind = .set(existing + items)
            case 0x91: push(make(.set(try popMark())))  // FROZENSET
            case 0x63:  // GLOBAL
                let module = try line(), name = try line()
                push(try global(module: module, name: name))
            case 0x93:  // STACK_GLOBAL
                let name = try pop(), module = try pop()
                guard case let .string(n) = name, case let .string(m) = module else {
                    throw .malformed("STACK_GLOBAL needs two strings", offset: at)
                }
                push(try global(module: m, name: n))
            case 0x52:  // REDUCE
                let args = try pop(), callable = try pop()
                push(try call(callable, args))
            case 0x81:  // NEWOBJ: cls.__new__(cls, *args)
                let args = try pop(), cls = try pop()
                push(try call(cls, args))
            case 0x92:  // NEWOBJ_EX
                _ = try pop()  // kwargs: recorded nowhere; revscoring models do not use them
                let args = try pop(), cls = try pop()
                push(try call(cls, args))
            case 0x69:  // INST (text module/name, args from MARK)
                let module = try line(), name = try line()
                let args = try popMark()
                let cls = try global(module: module, name: name)
                push(try call(cls, make(.tuple(args))))
            case 0x6F:  // OBJ
                var items = try popMark()
                guard !items.isEmpty else { throw .malformed("OBJ without a class", offset: at) }
                let cls = items.removeFirst()
                push(try call(cls, make(.tuple(items))))
            case 0x62:  // BUILD
                let state = try pop()
                let target = try top()
                switch target.kind {
                case let .reduced(c, a, _, items, entries):
                    target.kind = .reduced(callable: c, args: a, state: state, items: items, entries: entries)
                case .dict: break  // a dict subclass with empty state; nothing to keep
                default: throw .malformed("BUILD on something that is not an object", offset: at)
                }
            case 0x71: memo[Int(try byte())] = try peek(at)  // BINPUT
            case 0x72: memo[Int(try unsignedLE(4))] = try peek(at)  // LONG_BINPUT
            case 0x70:  // PUT (text)
                guard let i = Int(try line()) else { throw .malformed("bad PUT index", offset: at) }
                memo[i] = try peek(at)
            case 0x94: memo[memo.count] = try peek(at)  // MEMOIZE
            case 0x68: push(try memoGet(Int(try byte()), at))  // BINGET
            case 0x6A: push(try memoGet(Int(try unsignedLE(4)), at))  // LONG_BINGET
            case 0x67:  // GET (text)
                guard let i = Int(try line()) else { throw .malformed("bad GET index", offset: at) }
                push(try memoGet(i, at))
            default:
                // PERSID/BINPERSID, EXT1/2/4, NEXT_BUFFER/READONLY_BUFFER (out-of-band data),
                // text STRING/UNICODE: nothing a model file written by revscoring contains.
                throw .unsupportedOpcode(op, offset: at)
            }
        }
    }

    private func peek(_ at: Int) throws(PickleError) -> PickleValue {
        guard let v = stack.last else { throw .malformed("memo store from an empty stack", offset: at) }
        return v
    }

    private func memoGet(_ index: Int, _ at: Int) throws(PickleError) -> PickleValue {
        guard let v = memo[index] else { throw .malformed("memo entry \(index) was never stored", offset: at) }
        return v
    }

    /// Decodes protocol 0's raw-unicode-escape: `\uXXXX` / `\UXXXXXXXX` escapes, other
    /// characters as they are.
    static func rawUnicodeEscape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if c == "\\", let kind = scalars.first, kind == "u" || kind == "U" {
                let width = kind == "u" ? 4 : 8
                let digits = String(String.UnicodeScalarView(scalars.dropFirst().prefix(width)))
                if digits.count == width, let v = UInt32(digits, radix: 16), let u = Unicode.Scalar(v) {
                    out.append(u)
                    scalars = scalars.dropFirst(1 + width)
                    continue
                }
            }
            out.append(c)
        }
        return String(out)
    }

    /// A little-endian two's-complement integer of `LONG1` / `LONG4`.
    static func long(_ b: [UInt8]) -> PickleValue {
        if b.isEmpty { return .int(0) }
        if b.count <= 8 {
            var v: UInt64 = 0
            for (i, x) in b.enumerated() { v |= UInt64(x) << (8 * UInt64(i)) }
            if b.count < 8, b[b.count - 1] & 0x80 != 0 { v |= ~0 << (8 * UInt64(b.count)) }
            return .int(Int(Int64(bitPattern: v)))
        }
        return .bigInt(b)
    }
}
