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
        self.bitmap = rule.plane0Bitmap()
    }

    /// Whether every code point below U+10000 that the bitmap admits is a word character.
    var admitsOnlyWordCharacters: Bool {
        for (k, bits) in bitmap.enumerated() where bits != 0 {
            for b in 0..<64 where bits & (1 << UInt64(b)) != 0 {
                if !PythonUnicode.isWord(UInt32(k * 64 + b)) { return false }
            }
        }
        return true
    }

    @inline(__always) func admits(_ c: UInt32) -> Bool {
        if c < 0x10000 { return bitmap[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 }
        return rule.admits(c)
    }
}
