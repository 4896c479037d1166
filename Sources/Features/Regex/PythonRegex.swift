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
    let program: RegexProgram
    /// Which leading code points a match can start with (patterns that begin with `\b`, the
    /// word lists, which `matches(in:)` runs over whole page texts).
    let startFilter: StartFilter?
    /// Matches can only start where a word starts (see ``wordStartMatches(in:)``).
    let startsAtWordStarts: Bool
    /// No match can contain or look past a line feed, and there are no anchors: the matches
    /// in a text are then the matches in each of its lines, so lines can be matched (and
    /// their results reused) one at a time.
    public let isLineLocal: Bool

    /// Compiles `pattern` (with `re.IGNORECASE` when `ignoreCase`).
    public init(_ pattern: String, ignoreCase: Bool = false) throws(RegexSyntaxError) {
        var parser = RegexParser(pattern: pattern, ignoreCase: ignoreCase)
        let node = try parser.parse()
        self.pattern = pattern
        self.ignoreCase = parser.ignoreCase
        self.program = RegexProgram(node, groupCount: parser.groupCount)
        // A known first code point also means no empty match (see RegexNode.firstCharacters).
        self.isLineLocal = node.isLineLocal && program.firstCharacters != nil
        self.startFilter = program.startsWithWordBoundary && program.firstCharacters != nil ? StartFilter(program) : nil
        self.startsAtWordStarts = startFilter != nil && program.firstCharacters?.admitsOnlyWordCharacters == true
    }

    /// `re.match`: a match starting exactly at `start`.
    public func match(_ text: [UInt32], at start: Int = 0) throws(RegexMatchError) -> RegexMatch? {
        let (result, overflowed) = text.withUnsafeBufferPointer { t in
            RegexMatcher.with(program, text: t) { m in (m.match(at: start), m.overflowed.pointee) }
        }
        if overflowed { throw .tooDeep(pattern: pattern) }
        return result
    }

    /// `re.search`: the first match starting at or after `start`.
    public func firstMatch(in text: [UInt32], from start: Int = 0) throws(RegexMatchError) -> RegexMatch? {
        let (result, overflowed) = text.withUnsafeBufferPointer { t in RegexMatcher.with(program, text: t) { m in
            var i = start
            while i <= t.count {
                if let r = m.match(at: i) { return (Optional(r), m.overflowed.pointee) }
                if m.overflowed.pointee { break }
                i += 1
            }
            return (nil, m.overflowed.pointee)
        } }
        if overflowed { throw .tooDeep(pattern: pattern) }
        return result
    }

    /// `re.finditer`: non-overlapping matches from left to right.
    public func matches(in text: [UInt32]) throws(RegexMatchError) -> [RegexMatch] {
        try text.withUnsafeBufferPointer { t throws(RegexMatchError) in try matches(in: t) }
    }

    /// `re.finditer` over code points in a buffer.
    public func matches(in t: UnsafeBufferPointer<UInt32>) throws(RegexMatchError) -> [RegexMatch] {
        if startsAtWordStarts { return try wordStartMatches(in: t) }
        // The start filter's tables are borrowed once for the whole scan.
        let (result, overflowed) = startFilter.map { $0.withTables { scan(t, $0) } } ?? scan(t, nil)
        if overflowed { throw .tooDeep(pattern: pattern) }
        return result
    }

    /// `finditer`'s scan, position by position; whether the matcher ran out of stack.
    private func scan(_ t: UnsafeBufferPointer<UInt32>, _ startFilter: StartFilter.Tables?) -> ([RegexMatch], Bool) {
        RegexMatcher.with(program, text: t) { m in
            let first = program.firstCharacters
            let boundaryFirst = program.startsWithWordBoundary
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
                // A pattern that begins with \b (word lists are wrapped so) cannot match inside
                // a word: skip those positions without entering the matcher.
                if boundaryFirst, !m.isBoundary(i) {
                    i += 1
                    continue
                }
                // Most word starts cannot begin a match of any branch: two table look-ups.
                if let startFilter, !startFilter.admits(t, i) {
                    i += 1
                    continue
                }
                if let r = m.match(at: i, nonEmpty: i == noEmptyAt) {
                    out.append(r)
                    if r.range.isEmpty { noEmptyAt = r.range.upperBound }
                    i = r.range.upperBound
                } else {
                    if m.overflowed.pointee { break }
                    i += 1
                }
            }
            return (out, m.overflowed.pointee)
        }
    }

    /// `matches(in:)` for patterns that begin with `\b` and whose first code point (below
    /// U+10000, where the first-character bitmap is exact) is always a word character: such a
    /// match can only start where a word starts, so only those positions are tested (word
    /// lists are such patterns).
    private func wordStartMatches(in t: UnsafeBufferPointer<UInt32>) throws(RegexMatchError) -> [RegexMatch] {
        let starts = Self.wordStarts(in: t)
        return try starts.withUnsafeBufferPointer { starts throws(RegexMatchError) in try matches(in: t, wordStarts: starts) }
    }

    /// Where a match of a word-start pattern (``startsAtWordStarts``) may begin in `t`: each
    /// word character with no word character before it, and each code point past U+FFFF that
    /// is not one (where the first-character bitmap says nothing). Depends on the text only,
    /// so texts matched against several word lists find them once (see
    /// ``matches(in:wordStarts:)``).
    ///
    /// One pass with no data-dependent branch on ASCII text: the scan it replaces skipped each
    /// word with a loop whose exit mispredicted once a word, once per word list.
    static func wordStarts(in t: UnsafeBufferPointer<UInt32>) -> [Int32] {
        let words = PythonUnicode.wordSet
        return words.bmp.withUnsafeBufferPointer { bmp in
            [Int32](unsafeUninitializedCapacity: t.count) { out, count in
                var n = 0
                var previousIsWord: UInt64 = 0
                for i in 0..<t.count {
                    let c = t[i]
                    // The plane-0 bitmap answers for ASCII too: one load, no branch on the
                    // script (en dashes and accented letters are common in English pages).
                    // 0 or 1 in integers, not Bools: `&&` and `||` may become branches.
                    let isWord: UInt64 = c < 0x10000
                        ? (bmp[Int(c >> 6)] >> UInt64(c & 63)) & 1 : (words.containsAstral(c) ? 1 : 0)
                    let astral: UInt64 = c > 0xFFFF ? 1 : 0
                    out[n] = Int32(truncatingIfNeeded: i)
                    n &+= Int(truncatingIfNeeded: (isWord & ~previousIsWord) | (~isWord & astral & 1))
                    previousIsWord = isWord
                }
                count = n
            }
        }
    }

    /// `matches(in:)` for a word-start pattern, given ``wordStarts(in:)`` of `t`.
    ///
    /// The same positions as a scan of every code point would test: after a match ending at
    /// `e`, the scan goes on at `e` — a word start if a word begins there, else inside a word,
    /// none of whose later positions is a `\b` — so the next position tested is the first
    /// word start at or after `e`.
    func matches(in t: UnsafeBufferPointer<UInt32>, wordStarts: UnsafeBufferPointer<Int32>) throws(RegexMatchError) -> [RegexMatch] {
        guard let first = program.firstCharacters, let startFilter, startsAtWordStarts else { return try matches(in: t) }
        let (result, overflowed) = startFilter.withTables { filter in RegexMatcher.with(program, text: t) { m in
            var out: [RegexMatch] = []
            var next = 0
            for start in wordStarts {
                let i = Int(start)
                guard i >= next else { continue }
                let c = t[i]
                // Past U+FFFF the bitmap says nothing: test such a position in full.
                let candidate = c <= 0xFFFF ? first.admits(c) : first.admits(c) && m.isBoundary(i)
                guard candidate, filter.admits(t, i) else { continue }
                if let r = m.match(at: i, nonEmpty: false) {
                    out.append(r)
                    next = r.range.upperBound
                } else if m.overflowed.pointee {
                    break
                }
            }
            return (out, m.overflowed.pointee)
        } }
        if overflowed { throw .tooDeep(pattern: pattern) }
        return result
    }

    /// Convenience for `String`s: code points in, code point ranges out.
    public func matches(in text: String) throws(RegexMatchError) -> [RegexMatch] {
        try matches(in: [UInt32](codePointsOf: text))
    }

    /// Convenience for `String`s (`bool(re.match(...))`).
    public func matchesAtStart(_ text: String) throws(RegexMatchError) -> Bool {
        try match([UInt32](codePointsOf: text)) != nil
    }
}

/// For a pattern, whether a match can start with the code points at a position: one bit per
/// pair `c0 c1` (c0 ASCII, c1 Latin-1) and, for admitted ASCII pairs, one bit per triple
/// `c0 c1 c2` (c2 ASCII), and so on to a fourth, found at compile time by running the pattern
/// in prefix mode over each prefix, collecting what may follow it. Anything outside the
/// tables is admitted.
///
/// Why triples: many common English words begin like some badword or informal ("th" like
/// "theif", "he" like "hehe"); their third code point rules most of them out.
struct StartFilter: Sendable {
    /// 128 rows (c0) of 256 bits (c1).
    private let pairs: [UInt64]
    /// For each ASCII pair (c0 * 128 + c1): its row in `triples`, or -1.
    private let tripleRows: [Int32]
    /// Rows of 256 bits (c2).
    private let triples: [UInt64]
    /// For each admitted ASCII triple (its row in `triples` * 128 + c2): its row in `quads`, or -1.
    private let quadRows: [Int32]
    /// Rows of 256 bits (c3).
    private let quads: [UInt64]

    init(_ program: RegexProgram) {
        var pairs = [UInt64](repeating: 0, count: 128 * 4)
        var tripleRows = [Int32](repeating: -1, count: 128 * 128)
        var triples: [UInt64] = []
        let first = program.firstCharacters
        var admitted: [(UInt32, UInt32)] = []
        for c0 in UInt32(0)..<128 where first?.admits(c0) ?? true {
            let next = Self.following(program, c0)
            pairs.replaceSubrange((Int(c0) * 4)..<(Int(c0) * 4 + 4), with: [next.words.0, next.words.1, next.words.2, next.words.3])
            for c1 in UInt32(0)..<128 where next.contains(c1) { admitted.append((c0, c1)) }
        }
        // A broad pattern admits most pairs, and its triples would take more memory than they
        // save time: those get pairs only.
        var admittedTriples: [(UInt32, UInt32, UInt32)] = []
        if admitted.count <= Self.maxTripleRows {
            for (c0, c1) in admitted {
                let next = Self.following(program, c0, c1)
                // Third code points past ASCII are rare in English text: admitted unseen.
                tripleRows[Int(c0) * 128 + Int(c1)] = Int32(triples.count / 4)
                triples += [next.words.0, next.words.1, .max, .max]
                for c2 in UInt32(0)..<128 where next.contains(c2) { admittedTriples.append((c0, c1, c2)) }
            }
        }
        // A fourth code point for the admitted triples, when they are few: common words share
        // three code points with a listed one ("the" with "theif"), rarely four.
        var quadRows: [Int32] = []
        var quads: [UInt64] = []
        if !admittedTriples.isEmpty, admittedTriples.count <= Self.maxQuadRows {
            quadRows = [Int32](repeating: -1, count: triples.count / 4 * 128)
            for (c0, c1, c2) in admittedTriples {
                let next = Self.following(program, c0, c1, c2)
                quadRows[Int(tripleRows[Int(c0) * 128 + Int(c1)]) * 128 + Int(c2)] = Int32(quads.count / 4)
                quads += [next.words.0, next.words.1, .max, .max]
            }
        }
        self.pairs = pairs
        self.tripleRows = tripleRows
        self.triples = triples
        self.quadRows = quadRows
        self.quads = quads
    }

    static let maxTripleRows = 1024
    static let maxQuadRows = 2048

    /// The Latin-1 code points `c` such that some match could start with `prefix` then `c`
    /// (or more: the set may admit too much, never too little): one run of the matcher in
    /// collect mode, where asking ``possible(_:_:)`` for each `c` would take 256.
    static func following(_ program: RegexProgram, _ prefix: UInt32...) -> Latin1Set {
        prefix.withUnsafeBufferPointer { t in
            RegexMatcher.with(program, text: t) { m in
                var m = m
                var next = Latin1Set()
                return withUnsafeMutablePointer(to: &next) { next in
                    m.prefixMode = true
                    m.following = next
                    let anything = m.matchesAt(0) || m.overflowed.pointee
                    return anything ? .all : next.pointee
                }
            }
        }
    }

    /// Whether some match could start with `prefix` (an overflow says nothing: admit): the
    /// exact question ``following(_:_:)`` answers for all next code points at once, kept
    /// to check it.
    static func possible(_ program: RegexProgram, _ prefix: [UInt32]) -> Bool {
        prefix.withUnsafeBufferPointer { t in
            RegexMatcher.with(program, text: t) { m in
                var m = m
                m.prefixMode = true
                return m.matchesAt(0) || m.overflowed.pointee
            }
        }
    }

    /// Runs `body` with the tables lent as buffers: a scan that asks at every word start then
    /// retains no array per question.
    @inline(__always) func withTables<R>(_ body: (Tables) -> R) -> R {
        pairs.withUnsafeBufferPointer { pairs in
            tripleRows.withUnsafeBufferPointer { tripleRows in
                triples.withUnsafeBufferPointer { triples in
                    quadRows.withUnsafeBufferPointer { quadRows in
                        quads.withUnsafeBufferPointer { quads in
                            body(Tables(pairs: pairs, tripleRows: tripleRows, triples: triples, quadRows: quadRows, quads: quads))
                        }
                    }
                }
            }
        }
    }

    /// The tables, borrowed.
    struct Tables {
        let pairs: UnsafeBufferPointer<UInt64>
        let tripleRows: UnsafeBufferPointer<Int32>
        let triples: UnsafeBufferPointer<UInt64>
        let quadRows: UnsafeBufferPointer<Int32>
        let quads: UnsafeBufferPointer<UInt64>

        /// Whether a match could start at `i` of `t`.
        @inline(__always) func admits(_ t: UnsafeBufferPointer<UInt32>, _ i: Int) -> Bool {
            guard i + 1 < t.count else { return true }
            let c0 = t[i], c1 = t[i + 1]
            guard c0 < 128, c1 < 256 else { return true }
            guard pairs[Int(c0) * 4 + Int(c1 >> 6)] & (1 << UInt64(c1 & 63)) != 0 else { return false }
            guard c1 < 128, i + 2 < t.count else { return true }
            let row = tripleRows[Int(c0) * 128 + Int(c1)]
            let c2 = t[i + 2]
            guard row >= 0, c2 < 256 else { return true }
            guard triples[Int(row) * 4 + Int(c2 >> 6)] & (1 << UInt64(c2 & 63)) != 0 else { return false }
            guard c2 < 128, !quadRows.isEmpty, i + 3 < t.count else { return true }
            let quadRow = quadRows[Int(row) * 128 + Int(c2)]
            let c3 = t[i + 3]
            guard quadRow >= 0, c3 < 256 else { return true }
            return quads[Int(quadRow) * 4 + Int(c3 >> 6)] & (1 << UInt64(c3 & 63)) != 0
        }
    }
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

    /// The single-code-point nodes a match must start with, when that is known (no empty
    /// match possible); `nil` when unknown.
    var firstSingles: [RegexNode]? {
        switch self {
        case .literal, .set, .any: return [self]
        case let .group(_, inner): return inner.firstSingles
        case let .concat(nodes):
            for n in nodes {
                if n.isZeroWidth { continue }
                return n.firstSingles
            }
            return nil
        case let .alternation(alts):
            var all: [RegexNode] = []
            for a in alts {
                guard let f = a.firstSingles else { return nil }
                all += f
            }
            return all
        case let .repetition(inner, min, _, _): return min > 0 ? inner.firstSingles : nil
        default: return nil
        }
    }

    /// True when no part of the pattern can match (or, in a lookahead, look at) a line feed and
    /// there are no anchors (see ``PythonRegex/isLineLocal``).
    var isLineLocal: Bool {
        switch self {
        case .empty, .any, .boundary: return true
        case let .literal(c, _, extras): return c != 0x0A && !extras.contains(0x0A)
        case let .set(s): return !s.contains(0x0A)
        case .lineStart, .lineEnd, .stringStart, .stringEnd: return false
        case let .group(_, inner), let .repetition(inner, _, _, _), let .lookahead(inner, _): return inner.isLineLocal
        case let .concat(nodes), let .alternation(nodes): return nodes.allSatisfy(\.isLineLocal)
        }
    }

    /// True when every match must begin with `\b` (the pattern starts with it, perhaps in groups).
    var startsWithWordBoundary: Bool {
        switch self {
        case .boundary(true): return true
        case let .group(_, inner): return inner.startsWithWordBoundary
        case let .concat(nodes): return nodes.first?.startsWithWordBoundary ?? false
        default: return false
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

    /// `admits(c)` for every plane-0 code point, one bit each, worked out part by part as
    /// `admits` decides: asking it 65,536 times (list and set look-ups each) was a fifth of
    /// the process's start.
    func plane0Bitmap() -> [UInt64] {
        var bitmap = [UInt64](repeating: 0, count: 0x10000 / 64)
        func set(_ c: UInt32) { bitmap[Int(c >> 6)] |= 1 << UInt64(c & 63) }
        for c in literals where c < 0x10000 { set(c) }
        if !foldedLiterals.isEmpty {
            var folded = [UInt64](repeating: 0, count: 0x10000 / 64)
            for c in foldedLiterals where c < 0x10000 { folded[Int(c >> 6)] |= 1 << UInt64(c & 63) }
            for c in 0..<UInt32(0x10000) {
                let lower = PythonUnicode.simpleLowercase(c)
                let admitted = lower < 0x10000 ? folded[Int(lower >> 6)] & (1 << UInt64(lower & 63)) != 0 : foldedLiterals.contains(lower)
                if admitted { set(c) }
            }
        }
        for cls in classes {
            for c in 0..<UInt32(0x10000) where cls.contains(c) { set(c) }
        }
        return bitmap
    }
}

