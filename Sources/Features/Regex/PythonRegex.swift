/// Why a pattern could not be compiled.
public struct RegexSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pattern.
    public var pattern: String
    /// Code point offset of the problem.
    public var offset: Int
    /// What is wrong.
    public var reason: String
    public var description: String { "bad regular expression at \(offset) of \(pattern.debugDescription): \(reason)" }
}

/// A match: the whole match and its groups, as code point ranges.
public struct RegexMatch: Sendable, Equatable {
    /// The whole match (`match.span()`).
    public var range: Range<Int>
    /// Capturing groups 1…n (`match.span(k)`), `nil` where a group did not take part.
    public var groups: [Range<Int>?]
}

/// A regular expression with Python `re`'s semantics for `str` patterns (Unicode): the subset
/// revscoring's feature definitions use.
///
/// Backtracking in `re`'s order (alternatives left to right, greedy and lazy quantifiers,
/// lookahead), with Python's `\w \d \s \b` (from ``PythonUnicode``), `.` not matching `\n`,
/// `$` matching at the end or before a final `\n`, and `re.IGNORECASE` as sre implements it
/// (simple lowercase plus sre's extra equivalences such as s/ſ). Not supported (a
/// ``RegexSyntaxError`` names them): backreferences, lookbehind, conditionals, inline flags
/// other than a leading `(?i)`, verbose mode.
public struct PythonRegex: Sendable {
    /// The source pattern.
    public let pattern: String
    /// `re.IGNORECASE`.
    public let ignoreCase: Bool
    let root: RegexNode
    let groupCount: Int

    /// Compiles `pattern` (with `re.IGNORECASE` when `ignoreCase`).
    public init(_ pattern: String, ignoreCase: Bool = false) throws(RegexSyntaxError) {
        var parser = RegexParser(pattern: pattern, ignoreCase: ignoreCase)
        let node = try parser.parse()
        self.pattern = pattern
        self.ignoreCase = parser.ignoreCase
        self.root = node
        self.groupCount = parser.groupCount
    }

    /// `re.match`: a match starting exactly at `start`.
    public func match(_ text: [UInt32], at start: Int = 0) -> RegexMatch? {
        text.withUnsafeBufferPointer { t in
            let m = RegexMatcher(text: t, groupCount: groupCount)
            return m.match(root, at: start)
        }
    }

    /// `re.search`: the first match starting at or after `start`.
    public func firstMatch(in text: [UInt32], from start: Int = 0) -> RegexMatch? {
        text.withUnsafeBufferPointer { t in
            let m = RegexMatcher(text: t, groupCount: groupCount)
            var i = start
            while i <= t.count {
                if let r = m.match(root, at: i) { return r }
                i += 1
            }
            return nil
        }
    }

    /// `re.finditer`: non-overlapping matches from left to right.
    public func matches(in text: [UInt32]) -> [RegexMatch] {
        text.withUnsafeBufferPointer { t in
            let m = RegexMatcher(text: t, groupCount: groupCount)
            let first = root.firstCharacters
            var out: [RegexMatch] = []
            var i = 0
            // Python 3.7+: after an empty match at p, the search goes on at p but must not
            // match empty there again; an empty match right after a non-empty one is fine.
            var noEmptyAt = -1
            while i <= t.count {
                if let first, i < t.count, !first.admits(t[i]) {
                    i += 1
                    continue
                }
                if first != nil, i == t.count { break }
                if let r = m.match(root, at: i, nonEmpty: i == noEmptyAt) {
                    out.append(r)
                    if r.range.isEmpty { noEmptyAt = r.range.upperBound }
                    i = r.range.upperBound
                } else {
                    i += 1
                }
            }
            return out
        }
    }

    /// Convenience for `String`s: code points in, code point ranges out.
    public func matches(in text: String) -> [RegexMatch] { matches(in: text.unicodeScalars.map(\.value)) }

    /// Convenience for `String`s (`bool(re.match(...))`).
    public func matchesAtStart(_ text: String) -> Bool { match(text.unicodeScalars.map(\.value)) != nil }
}

// MARK: - Program

/// A set of code points as a class (`[...]`, `\w`, ...), already case-folded when compiled
/// under IGNORECASE.
struct CharClass: Sendable {
    enum Category: Sendable { case word, notWord, digit, notDigit, space, notSpace }
    var ranges: [ClosedRange<UInt32>] = []
    var categories: [Category] = []
    var negated = false
    /// Compiled under IGNORECASE: members are lowered, and so is the input before lookup.
    var ignoreCase = false

    func containsRaw(_ c: UInt32) -> Bool {
        for r in ranges where r.contains(c) { return true }
        for cat in categories {
            switch cat {
            case .word: if PythonUnicode.isWord(c) { return true }
            case .notWord: if !PythonUnicode.isWord(c) { return true }
            case .digit: if PythonUnicode.isDecimal(c) { return true }
            case .notDigit: if !PythonUnicode.isDecimal(c) { return true }
            case .space: if PythonUnicode.isSpace(c) { return true }
            case .notSpace: if !PythonUnicode.isSpace(c) { return true }
            }
        }
        return false
    }

    /// sre's IN / IN_UNI_IGNORE: under IGNORECASE the input is lowered and looked up in the set
    /// of lowered members (built by ``folded()``).
    @inline(__always) func contains(_ c: UInt32) -> Bool {
        containsRaw(ignoreCase ? PythonUnicode.simpleLowercase(c) : c) != negated
    }

    /// The set sre builds for IGNORECASE: every member lowered, plus sre's extra cases.
    func folded() -> CharClass {
        var lowered: [UInt32] = []
        var big: [ClosedRange<UInt32>] = []
        for r in ranges {
            if r.count > 0x3000 {
                big.append(r)  // sre keeps huge and astral ranges as ranges too
                continue
            }
            for c in r {
                let l = PythonUnicode.simpleLowercase(c)
                lowered.append(l)
                if let extra = PythonUnicode.extraCases(l) { lowered += extra }
            }
        }
        lowered.sort()
        var out = CharClass(ranges: big, categories: categories, negated: negated, ignoreCase: true)
        for c in lowered {
            if let last = out.ranges.last, last.upperBound &+ 1 == c || last.contains(c) {
                out.ranges[out.ranges.count - 1] = last.lowerBound...max(last.upperBound, c)
            } else {
                out.ranges.append(c...c)
            }
        }
        return out
    }
}

indirect enum RegexNode: Sendable {
    case empty
    /// A literal. Under IGNORECASE (`fold`) the code point is stored lowered, the input is
    /// lowered before comparing, and `extras` are sre's other lowercase forms that match.
    case literal(UInt32, fold: Bool, extras: [UInt32])
    case set(CharClass)
    case any
    case lineStart, lineEnd, stringStart, stringEnd
    case boundary(Bool)
    case group(Int?, RegexNode)
    case concat([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, min: Int, max: Int, greedy: Bool)
    case lookahead(RegexNode, negated: Bool)

    /// True for nodes that consume exactly one code point (quantifier fast path).
    var isSingle: Bool {
        switch self {
        case .literal, .set, .any: return true
        case let .group(nil, inner): return inner.isSingle
        default: return false
        }
    }

    /// What the first consumed code point can be, when that is known and no empty match is
    /// possible; used to skip start positions quickly.
    var firstCharacters: FirstCharacters? {
        switch self {
        case let .literal(c, fold, extras): return FirstCharacters(literals: [c] + extras, fold: fold, classes: [])
        case let .set(s): return FirstCharacters(literals: [], fold: false, classes: [s])
        case let .group(_, inner): return inner.firstCharacters
        case let .concat(nodes):
            for n in nodes {
                switch n {
                case .boundary, .lineStart, .stringStart, .empty: continue  // zero-width
                case let .group(_, inner) where inner.isZeroWidth: continue
                default: return n.firstCharacters
                }
            }
            return nil
        case let .alternation(alts):
            var all = FirstCharacters(literals: [], fold: false, classes: [])
            for a in alts {
                guard let f = a.firstCharacters else { return nil }
                if f.fold { all.foldedLiterals += f.literals } else { all.literals += f.literals }
                all.foldedLiterals += f.foldedLiterals
                all.classes += f.classes
            }
            return all
        case let .repetition(inner, min, _, _): return min > 0 ? inner.firstCharacters : nil
        default: return nil
        }
    }

    var isZeroWidth: Bool {
        switch self {
        case .boundary, .lineStart, .stringStart, .lineEnd, .stringEnd, .empty, .lookahead: return true
        case let .group(_, inner): return inner.isZeroWidth
        case let .concat(nodes): return nodes.allSatisfy(\.isZeroWidth)
        default: return false
        }
    }
}

/// Possible first code points of a match.
struct FirstCharacters: Sendable {
    /// Compared as they are.
    var literals: [UInt32]
    /// Compared with the lowered input.
    var foldedLiterals: [UInt32] = []
    var classes: [CharClass]

    init(literals: [UInt32], fold: Bool, classes: [CharClass]) {
        if fold { self.literals = []; self.foldedLiterals = literals } else { self.literals = literals }
        self.classes = classes
    }

    var fold: Bool { !foldedLiterals.isEmpty && literals.isEmpty }

    func admits(_ c: UInt32) -> Bool {
        if literals.contains(c) { return true }
        if !foldedLiterals.isEmpty, foldedLiterals.contains(PythonUnicode.simpleLowercase(c)) { return true }
        return classes.contains { $0.contains(c) }
    }
}

// MARK: - Matching

/// Backtracking over one text: continuation-passing, in sre's order of choices.
final class RegexMatcher {
    let t: UnsafeBufferPointer<UInt32>
    var captures: [Range<Int>?]

    init(text: UnsafeBufferPointer<UInt32>, groupCount: Int) {
        t = text
        captures = Array(repeating: nil, count: groupCount + 1)
    }

    /// A match at `start`; with `nonEmpty`, only a match that consumes something (finditer's
    /// rule right after an empty match at the same place).
    func match(_ root: RegexNode, at start: Int, nonEmpty: Bool = false) -> RegexMatch? {
        for k in captures.indices { captures[k] = nil }
        var end = -1
        if m(root, start, { e in
            if nonEmpty && e == start { return false }
            end = e
            return true
        }) {
            return RegexMatch(range: start..<end, groups: Array(captures.dropFirst()))
        }
        return nil
    }

    @inline(__always) func single(_ node: RegexNode, _ i: Int) -> Bool {
        guard i < t.count else { return false }
        let c = t[i]
        switch node {
        case let .literal(l, fold, extras):
            if !fold { return c == l }
            let x = PythonUnicode.simpleLowercase(c)
            return x == l || (!extras.isEmpty && extras.contains(x))
        case let .set(s): return s.contains(c)
        case .any: return c != 0x0A
        case let .group(nil, inner): return single(inner, i)
        default: return false
        }
    }

    func isWordAt(_ p: Int) -> Bool { p >= 0 && p < t.count && PythonUnicode.isWord(t[p]) }

    func m(_ node: RegexNode, _ i: Int, _ k: (Int) -> Bool) -> Bool {
        switch node {
        case .empty: return k(i)
        case .literal, .set, .any: return single(node, i) && k(i + 1)
        case .lineStart, .stringStart: return i == 0 && k(i)
        case .lineEnd: return (i == t.count || (i == t.count - 1 && t[i] == 0x0A)) && k(i)
        case .stringEnd: return i == t.count && k(i)
        case let .boundary(wanted): return ((isWordAt(i - 1) != isWordAt(i)) == wanted) && k(i)
        case let .group(index, inner):
            guard let index else { return m(inner, i, k) }
            return m(inner, i) { j in
                let old = captures[index]
                captures[index] = i..<j
                if k(j) { return true }
                captures[index] = old
                return false
            }
        case let .concat(nodes): return concat(nodes, 0, i, k)
        case let .alternation(alts):
            for a in alts where m(a, i, k) { return true }
            return false
        case let .repetition(inner, min, max, greedy):
            if inner.isSingle {
                var count = 0
                while count < max, single(inner, i + count) { count += 1 }
                guard count >= min else { return false }
                if greedy {
                    var c = count
                    while c >= min {
                        if k(i + c) { return true }
                        c -= 1
                    }
                } else {
                    for c in min...count where k(i + c) { return true }
                }
                return false
            }
            return repeatMatch(inner, min, max, greedy, 0, i, k)
        case let .lookahead(inner, negated):
            let saved = captures
            let found = m(inner, i) { _ in true }
            if negated { captures = saved }
            return found != negated && k(i)
        }
    }

    func concat(_ nodes: [RegexNode], _ index: Int, _ i: Int, _ k: (Int) -> Bool) -> Bool {
        if index == nodes.count { return k(i) }
        return m(nodes[index], i) { j in concat(nodes, index + 1, j, k) }
    }

    /// A general quantifier; like sre, an iteration that matched nothing ends the loop.
    func repeatMatch(_ inner: RegexNode, _ min: Int, _ max: Int, _ greedy: Bool, _ count: Int, _ i: Int,
                     _ k: (Int) -> Bool) -> Bool {
        if count < min {
            return m(inner, i) { j in
                (j == i && count + 1 >= min) ? k(j) : repeatMatch(inner, min, max, greedy, count + 1, j, k)
            }
        }
        // sre's MAX_UNTIL/MIN_UNTIL: an iteration may match empty (its captures stand), but
        // then no further iteration is tried at that position.
        if greedy {
            if count < max, m(inner, i, { j in j == i ? k(j) : repeatMatch(inner, min, max, greedy, count + 1, j, k) }) {
                return true
            }
            return k(i)
        }
        if k(i) { return true }
        return count < max && m(inner, i) { j in j == i ? k(j) : repeatMatch(inner, min, max, greedy, count + 1, j, k) }
    }
}
