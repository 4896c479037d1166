/// A compiled regex: the parse tree flattened into arrays of plain values, so that matching
/// touches no reference counts (the tree's indirect enums cost a retain and release per step).
final class RegexProgram: @unchecked Sendable {
    // @unchecked: all storage is written once in init and only read afterwards.

    enum Op: UInt8 {
        case empty, literal, literalFold, set, any, lineStart, lineEnd, stringStart, stringEnd
        case boundary, notBoundary, group, concat, alternation, repetition, lookahead, negativeLookahead
    }

    /// One node. Meaning of `a`/`b`/`c` by op: literal: a = code point; literalFold: a =
    /// lowered code point, b/c = start/count in `extras`; set: a = class; group: a = capture
    /// index (-1: none), b = child; concat/alternation: b/c = start/count in `children`;
    /// repetition: a = child, b = min, c = max (-1: unbounded); lookaheads: b = child.
    struct Node {
        var op: Op
        var single: Bool
        var greedy: Bool
        var a: Int32
        var b: Int32
        var c: Int32
    }

    /// A character class: a bitmap of the Basic Multilingual Plane (lowered members under
    /// IGNORECASE) plus astral ranges and category tests.
    struct Class {
        var bitmap: Int  // offset (in UInt64 words) into `bitmaps`
        var astralStart: Int32
        var astralCount: Int32
        var categories: UInt8  // bit k: CharClass.Category k
        var negated: Bool
        var ignoreCase: Bool
    }

    let nodes: UnsafeMutableBufferPointer<Node>
    let children: UnsafeMutableBufferPointer<Int32>
    let extras: UnsafeMutableBufferPointer<UInt32>
    let classes: UnsafeMutableBufferPointer<Class>
    let bitmaps: UnsafeMutableBufferPointer<UInt64>
    let astral: UnsafeMutableBufferPointer<ClosedRange<UInt32>>
    /// For each entry of `children` that is an alternation branch: where its possible first
    /// code points are listed in `firstNodes` (start, count), count -1 when unknown.
    let branchFirst: UnsafeMutableBufferPointer<(Int32, Int32)>
    /// Single-code-point nodes that a branch's match can start with.
    let firstNodes: UnsafeMutableBufferPointer<Int32>
    /// For each alternation (its `a` is the table's offset / 256): for each Latin-1 code point,
    /// the (start, count) in `candidates` of the branches (positions in `children`) that can
    /// start with it, so that most positions try a handful of branches instead of all.
    let latin1Tables: UnsafeMutableBufferPointer<(Int32, Int32)>
    let candidates: UnsafeMutableBufferPointer<Int32>
    let root: Int32
    let groupCount: Int
    /// Code points a match can start with, when known (a BMP bitmap, plus the tree's rule
    /// for astral code points).
    let firstCharacters: FirstCharacterFilter?
    /// Every match begins with `\b`.
    let startsWithWordBoundary: Bool

    init(_ tree: RegexNode, groupCount: Int) {
        var builder = Builder()
        let root = builder.add(tree)
        self.root = root
        self.groupCount = groupCount
        nodes = Self.copy(builder.nodes)
        children = Self.copy(builder.children)
        extras = Self.copy(builder.extras)
        classes = Self.copy(builder.classes)
        bitmaps = Self.copy(builder.bitmaps)
        astral = Self.copy(builder.astral)
        branchFirst = Self.copy(builder.branchFirst)
        firstNodes = Self.copy(builder.firstNodes)
        latin1Tables = Self.copy(builder.latin1Tables)
        candidates = Self.copy(builder.candidates)
        firstCharacters = tree.firstCharacters.map(FirstCharacterFilter.init)
        startsWithWordBoundary = tree.startsWithWordBoundary
    }

    /// The builder's array in a buffer of its own (at least one element, so never empty).
    static func copy<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, values.count))
        _ = buffer.initialize(from: values)
        return buffer
    }

    deinit {
        nodes.deallocate()
        children.deallocate()
        extras.deallocate()
        classes.deallocate()
        bitmaps.deallocate()
        astral.deallocate()
        branchFirst.deallocate()
        firstNodes.deallocate()
        latin1Tables.deallocate()
        candidates.deallocate()
    }

    struct Builder {
        var nodes: [Node] = []
        var children: [Int32] = []
        var extras: [UInt32] = []
        var classes: [Class] = []
        var bitmaps: [UInt64] = []
        var astral: [ClosedRange<UInt32>] = []
        var branchFirst: [(Int32, Int32)] = []
        var firstNodes: [Int32] = []
        var latin1Tables: [(Int32, Int32)] = []
        var candidates: [Int32] = []

        /// Whether a single-code-point node matches `c` (for building the Latin-1 tables).
        static func admits(_ node: RegexNode, _ c: UInt32) -> Bool {
            switch node {
            case let .literal(l, fold, extras):
                if !fold { return c == l }
                let x = PythonUnicode.simpleLowercase(c)
                return x == l || extras.contains(x)
            case let .set(s): return s.contains(c)
            case .any: return c != 0x0A
            case let .group(nil, inner): return admits(inner, c)
            default: return true
            }
        }

        mutating func addClass(_ s: CharClass) -> Int32 {
            let offset = bitmaps.count
            bitmaps += [UInt64](repeating: 0, count: 1024)
            let astralStart = astral.count
            for r in s.ranges {
                if r.lowerBound < 0x10000 {
                    for c in r.lowerBound...min(r.upperBound, 0xFFFF) { bitmaps[offset + Int(c >> 6)] |= 1 << UInt64(c & 63) }
                }
                if r.upperBound >= 0x10000 { astral.append(max(r.lowerBound, 0x10000)...r.upperBound) }
            }
            var categories: UInt8 = 0
            for cat in s.categories {
                switch cat {
                case .word: categories |= 1
                case .notWord: categories |= 2
                case .digit: categories |= 4
                case .notDigit: categories |= 8
                case .space: categories |= 16
                case .notSpace: categories |= 32
                }
            }
            classes.append(Class(bitmap: offset, astralStart: Int32(astralStart), astralCount: Int32(astral.count - astralStart),
                                 categories: categories, negated: s.negated, ignoreCase: s.ignoreCase))
            return Int32(classes.count - 1)
        }

        mutating func emit(_ node: Node) -> Int32 {
            nodes.append(node)
            return Int32(nodes.count - 1)
        }

        mutating func add(_ tree: RegexNode) -> Int32 {
            let single = tree.isSingle
            switch tree {
            case .empty: return emit(Node(op: .empty, single: false, greedy: false, a: 0, b: 0, c: 0))
            case let .literal(c, fold, more):
                if !fold { return emit(Node(op: .literal, single: true, greedy: false, a: Int32(c), b: 0, c: 0)) }
                let start = extras.count
                extras += more
                return emit(Node(op: .literalFold, single: true, greedy: false, a: Int32(c), b: Int32(start), c: Int32(more.count)))
            case let .set(s): return emit(Node(op: .set, single: true, greedy: false, a: addClass(s), b: 0, c: 0))
            case .any: return emit(Node(op: .any, single: true, greedy: false, a: 0, b: 0, c: 0))
            case .lineStart: return emit(Node(op: .lineStart, single: false, greedy: false, a: 0, b: 0, c: 0))
            case .lineEnd: return emit(Node(op: .lineEnd, single: false, greedy: false, a: 0, b: 0, c: 0))
            case .stringStart: return emit(Node(op: .stringStart, single: false, greedy: false, a: 0, b: 0, c: 0))
            case .stringEnd: return emit(Node(op: .stringEnd, single: false, greedy: false, a: 0, b: 0, c: 0))
            case let .boundary(wanted):
                return emit(Node(op: wanted ? .boundary : .notBoundary, single: false, greedy: false, a: 0, b: 0, c: 0))
            case let .group(index, inner):
                if index == nil, single { return add(inner) }
                let child = add(inner)
                return emit(Node(op: .group, single: false, greedy: false, a: Int32(index ?? -1), b: child, c: 0))
            case let .concat(items), let .alternation(items):
                let ids = items.map { add($0) }
                var firsts: [(Int32, Int32)] = []
                for item in items {
                    if case .alternation = tree, let singles = item.firstSingles {
                        let start = firstNodes.count
                        for single in singles { firstNodes.append(add(single)) }
                        firsts.append((Int32(start), Int32(singles.count)))
                    } else {
                        firsts.append((0, -1))
                    }
                }
                let start = children.count
                children += ids
                branchFirst += firsts
                let op: Op
                var table: Int32 = 0
                if case .concat = tree {
                    op = .concat
                } else {
                    op = .alternation
                    table = Int32(latin1Tables.count / 256)
                    let singles = items.map(\.firstSingles)
                    for c in UInt32(0)..<256 {
                        let begin = candidates.count
                        for (x, first) in singles.enumerated() where first.map({ $0.contains { Self.admits($0, c) } }) ?? true {
                            candidates.append(Int32(start + x))
                        }
                        latin1Tables.append((Int32(begin), Int32(candidates.count - begin)))
                    }
                }
                return emit(Node(op: op, single: false, greedy: false, a: table, b: Int32(start), c: Int32(ids.count)))
            case let .repetition(inner, min, max, greedy):
                let child = add(inner)
                return emit(Node(op: .repetition, single: false, greedy: greedy, a: child, b: Int32(clamping: min),
                                 c: max == Int.max ? -1 : Int32(clamping: max)))
            case let .lookahead(inner, negated):
                let child = add(inner)
                return emit(Node(op: negated ? .negativeLookahead : .lookahead, single: false, greedy: false, a: 0, b: child, c: 0))
            }
        }
    }
}

/// A quick test of whether a match can start with a code point: a bitmap for the BMP.
struct FirstCharacterFilter: Sendable {
    let bitmap: [UInt64]
    let rule: FirstCharacters

    init(_ rule: FirstCharacters) {
        self.rule = rule
        var bitmap = [UInt64](repeating: 0, count: 1024)
        for c in 0..<UInt32(0x10000) where rule.admits(c) { bitmap[Int(c >> 6)] |= 1 << UInt64(c & 63) }
        self.bitmap = bitmap
    }

    @inline(__always) func admits(_ c: UInt32) -> Bool {
        if c < 0x10000 { return bitmap[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 }
        return rule.admits(c)
    }
}

/// Backtracking over one text, continuation-passing, in sre's order of choices.
///
/// A value of plain pointers into the program (kept alive by the caller) and a capture buffer,
/// so that the continuation closures capture it without reference counting.
struct RegexMatcher {
    /// The program, not retained: `with` keeps it alive for the matcher's whole life.
    unowned(unsafe) let program: RegexProgram
    let t: UnsafeBufferPointer<UInt32>
    /// Group spans (index 0 unused), as (start, end) with -1 for "not set".
    let captures: UnsafeMutableBufferPointer<(Int, Int)>
    /// Lowest stack address to use (``StackGuard``), and whether it was reached.
    let stackFloor: UInt
    let overflowed: UnsafeMutablePointer<Bool>
    /// Prefix mode, for building ``StartPairFilter``: `t` is only the beginning of some text,
    /// so reaching its end counts as success and every assertion passes (except `\b` and
    /// `\B` strictly inside `t`, where both neighbours are known). A match in any text
    /// that begins with `t` then implies a match here (the filter may admit too much, never
    /// too little).
    var prefixMode = false

    /// Runs `body` with a matcher over `text`; the program must stay alive meanwhile (it does:
    /// the caller holds it).
    static func with<R>(_ program: RegexProgram, text: UnsafeBufferPointer<UInt32>, _ body: (RegexMatcher) -> R) -> R {
        withUnsafeTemporaryAllocation(of: (Int, Int).self, capacity: program.groupCount + 1) { captures in
            captures.initialize(repeating: (-1, -1))
            var overflowed = false
            return withUnsafeMutablePointer(to: &overflowed) { flag in
                let matcher = RegexMatcher(program: program, t: text, captures: captures,
                                           stackFloor: StackGuard.floor(), overflowed: flag)
                return withExtendedLifetime(program) { body(matcher) }
            }
        }
    }

    /// A match at `start`; with `nonEmpty`, only a match that consumes something (finditer's
    /// rule right after an empty match at the same place).
    func match(at start: Int, nonEmpty: Bool = false) -> RegexMatch? {
        for k in captures.indices { captures[k] = (-1, -1) }
        var end = -1
        if m(program.root, start, { e in
            if nonEmpty && e == start { return false }
            end = e
            return true
        }) {
            return RegexMatch(range: start..<end, groups: captures.dropFirst().map { $0.0 < 0 ? nil : $0.0..<$0.1 })
        }
        return nil
    }

    /// Whether some match starts at `start` (captures are left as they fall).
    func matchesAt(_ start: Int) -> Bool {
        for k in captures.indices { captures[k] = (-1, -1) }
        return m(program.root, start) { _ in true }
    }

    @inline(__always) func classContains(_ k: Int32, _ c: UInt32) -> Bool {
        let cls = program.classes[Int(k)]
        let x = cls.ignoreCase ? PythonUnicode.simpleLowercase(c) : c
        var found: Bool
        if x < 0x10000 {
            found = program.bitmaps[cls.bitmap + Int(x >> 6)] & (1 << UInt64(x & 63)) != 0
        } else {
            found = false
            for r in Int(cls.astralStart)..<Int(cls.astralStart + cls.astralCount) where program.astral[r].contains(x) {
                found = true
                break
            }
        }
        if !found && cls.categories != 0 {
            let w = PythonUnicode.isWord(x), d = PythonUnicode.isDecimal(x), s = PythonUnicode.isSpace(x)
            let bits = cls.categories
            found = (bits & 1 != 0 && w) || (bits & 2 != 0 && !w) || (bits & 4 != 0 && d) || (bits & 8 != 0 && !d)
                || (bits & 16 != 0 && s) || (bits & 32 != 0 && !s)
        }
        return found != cls.negated
    }

    @inline(__always) func single(_ n: Int32, _ i: Int) -> Bool {
        guard i < t.count else { return false }
        let c = t[i]
        let node = program.nodes[Int(n)]
        switch node.op {
        case .literal: return c == UInt32(node.a)
        case .literalFold:
            let x = PythonUnicode.simpleLowercase(c)
            if x == UInt32(node.a) { return true }
            for e in Int(node.b)..<Int(node.b + node.c) where program.extras[e] == x { return true }
            return false
        case .set: return classContains(node.a, c)
        case .any: return c != 0x0A
        default: return false
        }
    }

    @inline(__always) func isWordAt(_ p: Int) -> Bool { p >= 0 && p < t.count && PythonUnicode.isWord(t[p]) }

    /// Python's `\b` at `p`.
    @inline(__always) func isBoundary(_ p: Int) -> Bool { isWordAt(p - 1) != isWordAt(p) }

    func m(_ n: Int32, _ i: Int, _ k: (Int) -> Bool) -> Bool {
        if overflowed.pointee { return false }
        if prefixMode {
            if i >= t.count { return true }
            switch program.nodes[Int(n)].op {
            case .boundary, .notBoundary:
                // Decided only with both neighbours inside the prefix (what precedes it is unknown).
                if i == 0 { return k(i) }
            case .lineStart, .lineEnd, .stringStart, .stringEnd, .lookahead, .negativeLookahead:
                return k(i)
            default: break
            }
        }
        if StackGuard.current() < stackFloor {
            overflowed.pointee = true
            return false
        }
        let node = program.nodes[Int(n)]
        switch node.op {
        case .empty: return k(i)
        case .literal, .literalFold, .set, .any: return single(n, i) && k(i + 1)
        case .lineStart, .stringStart: return i == 0 && k(i)
        case .lineEnd: return (i == t.count || (i == t.count - 1 && t[i] == 0x0A)) && k(i)
        case .stringEnd: return i == t.count && k(i)
        case .boundary: return isWordAt(i - 1) != isWordAt(i) && k(i)
        case .notBoundary: return isWordAt(i - 1) == isWordAt(i) && k(i)
        case .group:
            let index = Int(node.a)
            guard index >= 0 else { return m(node.b, i, k) }
            return m(node.b, i) { j in
                let old = captures[index]
                captures[index] = (i, j)
                if k(j) { return true }
                captures[index] = old
                return false
            }
        case .concat: return concat(Int(node.b), Int(node.b + node.c), i, k)
        case .alternation:
            if i < t.count, t[i] < 256 {
                // Only the branches that can start with this code point, in their order.
                let (start, count) = program.latin1Tables[Int(node.a) * 256 + Int(t[i])]
                for p in Int(start)..<Int(start + count) where m(program.children[Int(program.candidates[p])], i, k) { return true }
                return false
            }
            for x in Int(node.b)..<Int(node.b + node.c) {
                // Skip branches that cannot start with this code point.
                let (start, count) = program.branchFirst[x]
                if count >= 0 {
                    var possible = false
                    for f in Int(start)..<Int(start + count) where single(program.firstNodes[f], i) {
                        possible = true
                        break
                    }
                    if !possible { continue }
                }
                if m(program.children[x], i, k) { return true }
            }
            return false
        case .repetition:
            let inner = node.a
            let min = Int(node.b), max = node.c < 0 ? Int.max : Int(node.c)
            if program.nodes[Int(inner)].single {
                var count = 0
                while count < max, single(inner, i + count) { count += 1 }
                // In prefix mode, a run that reached the end of the prefix could go on.
                if prefixMode, i + count >= t.count { return true }
                guard count >= min else { return false }
                if node.greedy {
                    var c = count
                    while c >= min {
                        if k(i + c) { return true }
                        c -= 1
                    }
                } else {
                    var c = min
                    while c <= count {
                        if k(i + c) { return true }
                        c += 1
                    }
                }
                return false
            }
            return repeatMatch(inner, min, max, node.greedy, 0, i, k)
        case .lookahead, .negativeLookahead:
            let negated = node.op == .negativeLookahead
            let saved = Array(captures)
            let found = m(node.b, i) { _ in true }
            if negated { for (x, v) in saved.enumerated() { captures[x] = v } }
            return found != negated && k(i)
        }
    }

    func concat(_ index: Int, _ end: Int, _ i: Int, _ k: (Int) -> Bool) -> Bool {
        if index == end { return k(i) }
        return m(program.children[index], i) { j in concat(index + 1, end, j, k) }
    }

    /// A general quantifier. sre's MAX_UNTIL/MIN_UNTIL: an iteration may match empty (its
    /// captures stand), but then no further iteration is tried at that position.
    func repeatMatch(_ inner: Int32, _ min: Int, _ max: Int, _ greedy: Bool, _ count: Int, _ i: Int,
                     _ k: (Int) -> Bool) -> Bool {
        if count < min {
            return m(inner, i) { j in
                (j == i && count + 1 >= min) ? k(j) : repeatMatch(inner, min, max, greedy, count + 1, j, k)
            }
        }
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
