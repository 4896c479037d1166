/// Parses Python `re` syntax (the subset ``PythonRegex`` supports) into a ``RegexNode`` tree.
struct RegexParser {
    let pattern: String
    let p: [UInt32]
    var i = 0
    var ignoreCase: Bool
    var groupCount = 0

    init(pattern: String, ignoreCase: Bool) {
        self.pattern = pattern
        self.p = pattern.unicodeScalars.map(\.value)
        self.ignoreCase = ignoreCase
    }

    func error(_ reason: String) -> RegexSyntaxError {
        RegexSyntaxError(pattern: pattern, offset: i, reason: reason)
    }

    mutating func parse() throws(RegexSyntaxError) -> RegexNode {
        // A leading global flag group, the only inline flag supported.
        if p.starts(with: Array("(?i)".unicodeScalars.map(\.value))) {
            ignoreCase = true
            i = 4
        }
        let node = try alternation(depth: 0)
        guard i == p.count else { throw error(p[i] == 0x29 ? "unbalanced parenthesis" : "unexpected character") }
        return node
    }

    var atEnd: Bool { i >= p.count }
    func peek(_ offset: Int = 0) -> UInt32? { i + offset < p.count ? p[i + offset] : nil }

    mutating func alternation(depth: Int) throws(RegexSyntaxError) -> RegexNode {
        guard depth < 200 else { throw error("pattern nests too deeply") }
        var branches = [try sequence(depth: depth)]
        while peek() == 0x7C {  // |
            i += 1
            branches.append(try sequence(depth: depth))
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    mutating func sequence(depth: Int) throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek(), c != 0x7C, c != 0x29 {
            var atom = try self.atom(depth: depth)
            atom = try quantified(atom)
            items.append(atom)
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .concat(items)
    }

    mutating func quantified(_ atom: RegexNode) throws(RegexSyntaxError) -> RegexNode {
        guard let c = peek() else { return atom }
        var min = 0, max = Int.max
        switch c {
        case 0x2A: i += 1  // *
        case 0x2B: min = 1; i += 1  // +
        case 0x3F: max = 1; i += 1  // ?
        case 0x7B:  // {m,n} — or a literal '{' when it is not a valid repeat
            guard let (lo, hi, length) = repeatBounds() else { return atom }
            min = lo
            max = hi
            i += length
        default: return atom
        }
        switch atom {
        case .lineStart, .lineEnd, .stringStart, .stringEnd, .boundary, .repetition:
            throw error("nothing to repeat")
        default: break
        }
        var greedy = true
        if peek() == 0x3F { greedy = false; i += 1 }
        if peek() == 0x2B { throw error("possessive quantifiers are not supported") }
        return .repetition(atom, min: min, max: max, greedy: greedy)
    }

    /// `{m}`, `{m,}`, `{,n}`, `{m,n}` at `i`: bounds and length, or nil (then `{` is literal).
    func repeatBounds() -> (Int, Int, Int)? {
        var j = i + 1
        func number() -> Int? {
            var v = 0, any = false
            while j < p.count, (0x30...0x39).contains(p[j]) {
                v = min(v * 10 + Int(p[j] - 0x30), 1 << 30)
                any = true
                j += 1
            }
            return any ? v : nil
        }
        let lo = number()
        if j < p.count, p[j] == 0x7D { return lo.map { ($0, $0, j - i + 1) } }
        guard j < p.count, p[j] == 0x2C else { return nil }
        j += 1
        let hi = number()
        guard j < p.count, p[j] == 0x7D else { return nil }
        let a = lo ?? 0, b = hi ?? Int.max
        guard a <= b else { return nil }
        return (a, b, j - i + 1)
    }

    func literal(_ c: UInt32) -> RegexNode {
        guard ignoreCase else { return .literal(c, fold: false, extras: []) }
        let l = PythonUnicode.simpleLowercase(c)
        return .literal(l, fold: true, extras: PythonUnicode.extraCases(l) ?? [])
    }

    mutating func atom(depth: Int) throws(RegexSyntaxError) -> RegexNode {
        let c = p[i]
        switch c {
        case 0x28: return try group(depth: depth)
        case 0x5B: return try characterClass()
        case 0x2E: i += 1; return .any
        case 0x5E: i += 1; return .lineStart
        case 0x24: i += 1; return .lineEnd
        case 0x5C: return try escape()
        case 0x2A, 0x2B, 0x3F: throw error("nothing to repeat")
        default:
            i += 1
            return literal(c)
        }
    }

    mutating func group(depth: Int) throws(RegexSyntaxError) -> RegexNode {
        i += 1  // (
        var index: Int? = nil
        var look: Bool? = nil  // negated?
        if peek() == 0x3F {  // (?
            switch peek(1) {
            case 0x3A: i += 2  // (?:
            case 0x3D: i += 2; look = false  // (?=
            case 0x21: i += 2; look = true  // (?!
            case 0x50:  // (?P<name>
                guard peek(2) == 0x3C else { throw error("(?P=name) backreferences are not supported") }
                i += 3
                while let c = peek(), c != 0x3E { i += 1 }
                guard peek() == 0x3E else { throw error("unterminated group name") }
                i += 1
                groupCount += 1
                index = groupCount
            case 0x23:  // (?# comment )
                while let c = peek(), c != 0x29 { i += 1 }
                guard peek() == 0x29 else { throw error("missing ), unterminated comment") }
                i += 1
                return .empty
            default: throw error("unsupported group syntax")
            }
        } else {
            groupCount += 1
            index = groupCount
        }
        let inner = try alternation(depth: depth + 1)
        guard peek() == 0x29 else { throw error("missing ), unterminated subpattern") }
        i += 1
        if let look { return .lookahead(inner, negated: look) }
        return .group(index, inner)
    }

    /// One escape outside a class.
    mutating func escape() throws(RegexSyntaxError) -> RegexNode {
        guard let e = peek(1) else { throw error("bad escape (end of pattern)") }
        i += 2
        switch e {
        case 0x64: return .set(CharClass(categories: [.digit]))  // \d
        case 0x44: return .set(CharClass(categories: [.notDigit]))
        case 0x77: return .set(CharClass(categories: [.word]))  // \w
        case 0x57: return .set(CharClass(categories: [.notWord]))
        case 0x73: return .set(CharClass(categories: [.space]))  // \s
        case 0x53: return .set(CharClass(categories: [.notSpace]))
        case 0x62: return .boundary(true)  // \b
        case 0x42: return .boundary(false)
        case 0x41: return .stringStart  // \A
        case 0x5A: return .stringEnd  // \Z
        default:
            i -= 2
            return literal(try escapedCodePoint())
        }
    }

    /// The code point of an escape that stands for one character (`\n`, `\x41`, `\.`, ...).
    mutating func escapedCodePoint() throws(RegexSyntaxError) -> UInt32 {
        let e = p[i + 1]
        i += 2
        switch e {
        case 0x6E: return 0x0A  // \n
        case 0x74: return 0x09
        case 0x72: return 0x0D
        case 0x66: return 0x0C
        case 0x76: return 0x0B
        case 0x61: return 0x07
        case 0x30: return 0  // \0 (no further octal digits supported)
        case 0x78: return try hex(2)  // \xhh
        case 0x75: return try hex(4)  // \uhhhh
        case 0x55: return try hex(8)  // \Uhhhhhhhh
        default:
            let isASCIIAlnum = (0x30...0x39).contains(e) || (0x41...0x5A).contains(e) || (0x61...0x7A).contains(e)
            if isASCIIAlnum { throw error("bad escape \\\(Unicode.Scalar(e).map(String.init) ?? "?")") }
            return e
        }
    }

    mutating func hex(_ n: Int) throws(RegexSyntaxError) -> UInt32 {
        guard i + n <= p.count else { throw error("incomplete escape") }
        var v: UInt32 = 0
        for k in 0..<n {
            guard let s = Unicode.Scalar(p[i + k]), let d = UInt32(String(s), radix: 16) else {
                throw error("bad hexadecimal escape")
            }
            v = v << 4 | d
        }
        i += n
        guard v <= 0x10FFFF else { throw error("bad escape: code point beyond U+10FFFF") }
        return v
    }

    mutating func characterClass() throws(RegexSyntaxError) -> RegexNode {
        i += 1  // [
        var cls = CharClass()
        if peek() == 0x5E { cls.negated = true; i += 1 }
        var first = true
        while true {
            guard let c = peek() else { throw error("unterminated character set") }
            if c == 0x5D, !first { i += 1; break }
            first = false
            var lo: UInt32
            if c == 0x5C {
                guard let e = peek(1) else { throw error("bad escape (end of pattern)") }
                switch e {
                case 0x64: cls.categories.append(.digit); i += 2; continue
                case 0x44: cls.categories.append(.notDigit); i += 2; continue
                case 0x77: cls.categories.append(.word); i += 2; continue
                case 0x57: cls.categories.append(.notWord); i += 2; continue
                case 0x73: cls.categories.append(.space); i += 2; continue
                case 0x53: cls.categories.append(.notSpace); i += 2; continue
                case 0x62: lo = 0x08; i += 2  // \b is backspace in a class
                default: lo = try escapedCodePoint()
                }
            } else {
                lo = c
                i += 1
            }
            // A range lo-hi (a '-' before ']' is a literal).
            if peek() == 0x2D, let next = peek(1), next != 0x5D {
                i += 1
                var hi: UInt32
                if next == 0x5C {
                    guard let e = peek(1), ![0x64, 0x44, 0x77, 0x57, 0x73, 0x53].contains(e) else {
                        throw error("bad character range")
                    }
                    hi = try escapedCodePoint()
                } else {
                    hi = next
                    i += 1
                }
                guard lo <= hi else { throw error("bad character range") }
                cls.ranges.append(lo...hi)
            } else {
                cls.ranges.append(lo...lo)
            }
        }
        return .set(ignoreCase ? cls.folded() : cls)
    }
}
