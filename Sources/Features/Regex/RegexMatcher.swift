/// Backtracking over one text in sre's order of choices, with explicit stacks.
///
/// The matcher is continuation-passing, defunctionalised: "what to do after this node
/// matched up to j" is a ``Continuation`` record in an arena (a persistent linked list), and
/// every untried choice is a ``ChoicePoint`` on a stack. Failing pops the latest choice point,
/// undoes the captures set since it (an undo log) and drops the continuations made since it.
/// Nothing recurses, so a long match (a 2 MB "hahaha…" under `(h[aeiou]*)*`) needs heap, not
/// stack — as in sre, which is iterative too — and cannot overflow the thread's stack.
struct RegexMatcher {
    /// The program, not retained: `with` keeps it alive for the matcher's whole life.
    unowned(unsafe) let program: RegexProgram
    let t: UnsafeBufferPointer<UInt32>
    /// Group spans (index 0 unused), as (start, end) with -1 for "not set".
    let captures: UnsafeMutableBufferPointer<(Int, Int)>
    /// The stacks, reused from one match to the next.
    let scratch: UnsafeMutablePointer<Scratch>
    /// Set when a match needed more than ``RegexMatcher/maxEntries`` stack entries.
    let overflowed: UnsafeMutablePointer<Bool>
    /// Prefix mode, for building ``StartFilter``: `t` is only the beginning of some text,
    /// so reaching its end counts as success and every assertion passes (except `\b` and
    /// `\B` strictly inside `t`, where both neighbours are known). A match in any text
    /// that begins with `t` then implies a match here (the filter may admit too much, never
    /// too little).
    var prefixMode = false
    /// Collect mode (with `prefixMode`), for building ``StartFilter`` in one run per prefix
    /// instead of one per prefix and next code point: where a path would read the code point
    /// just past `t`, the Latin-1 code points it would accept there are added to this set and
    /// the path fails, so that every path gets explored. Where that cannot be told (an
    /// assertion past `t`, or a match within `t`) the run returns a position: then anything
    /// may follow.
    var following: UnsafeMutablePointer<Latin1Set>? = nil

    /// A bound on continuations plus choice points for one match (each ~40 bytes): far above
    /// what any real page needs, it keeps a pathological one from taking all memory.
    static let maxEntries = 16_000_000

    /// What to do with the end position `j` of a node's match.
    struct Continuation {
        enum Kind: UInt8 {
            /// The whole pattern matched.
            case accept
            /// Group `a` spans `b..<j`, then `next`.
            case capture
            /// Children `a..<b` (positions in `program.children`) of a concatenation, then `next`.
            case concat
            /// Repetition node `a` finished iteration number `b` (below its minimum), which
            /// began at `c`.
            case repeatMin
            /// Repetition node `a` finished iteration number `b` (at or above its minimum),
            /// which began at `c`.
            case repeatIteration
            /// A lookahead's body matched: choice point `a` is its barrier.
            case lookaheadEnd
        }
        var kind: Kind
        var a: Int
        var b: Int
        var c: Int
        var next: Int32
    }

    /// An untried alternative, with what to restore before trying it.
    struct ChoicePoint {
        enum Kind: UInt8 {
            /// Further branches of alternation node `node` at `position`; `a` is a cursor.
            case alternation
            /// A single-code-point repetition: its run can be `a` long next, down to `b`
            /// (greedy) or up to `b` (lazy), starting at `position`.
            case runGreedy, runLazy
            /// A greedy repetition may stop here: continue with `next` at `position`.
            case stop
            /// A lazy repetition (node `node`, `a` iterations done) may iterate once more.
            case iterateMore
            /// The bottom of a lookahead (node `node`, negative when `a` == 1): reached by
            /// failing, the body did not match.
            case lookaheadBarrier
        }
        var kind: Kind
        var node: Int32
        var position: Int
        var next: Int32
        var a: Int
        var b: Int
        /// Undo-log and continuation-arena sizes to go back to.
        var logMark: Int32
        var arenaMark: Int32
    }

    /// The stacks of one matcher.
    struct Scratch {
        var arena: [Continuation] = []
        var choices: [ChoicePoint] = []
        /// Captures as they were before each change: (group, old span).
        var log: [(Int32, (Int, Int))] = []
    }

    /// Runs `body` with a matcher over `text`; the program must stay alive meanwhile (it does:
    /// the caller holds it).
    static func with<R>(_ program: RegexProgram, text: UnsafeBufferPointer<UInt32>, _ body: (RegexMatcher) -> R) -> R {
        withUnsafeTemporaryAllocation(of: (Int, Int).self, capacity: program.groupCount + 1) { captures in
            captures.initialize(repeating: (-1, -1))
            var overflowed = false
            var scratch = Scratch()
            return withUnsafeMutablePointer(to: &overflowed) { flag in
                withUnsafeMutablePointer(to: &scratch) { scratch in
                    let matcher = RegexMatcher(program: program, t: text, captures: captures, scratch: scratch, overflowed: flag)
                    return withExtendedLifetime(program) { body(matcher) }
                }
            }
        }
    }

    /// A match at `start`; with `nonEmpty`, only a match that consumes something (finditer's
    /// rule right after an empty match at the same place).
    func match(at start: Int, nonEmpty: Bool = false) -> RegexMatch? {
        guard let end = run(start, nonEmpty: nonEmpty) else { return nil }
        return RegexMatch(range: start..<end, groups: captures.dropFirst().map { $0.0 < 0 ? nil : $0.0..<$0.1 })
    }

    /// Whether some match starts at `start` (captures are left as they fall).
    func matchesAt(_ start: Int) -> Bool { run(start, nonEmpty: false) != nil }

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
        i < t.count && accepts(n, t[i])
    }

    /// Whether single-code-point node `n` accepts `c`.
    @inline(__always) func accepts(_ n: Int32, _ c: UInt32) -> Bool {
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

    /// The end of the first match at `start` in sre's order, or `nil`.
    private func run(_ start: Int, nonEmpty: Bool) -> Int? {
        for k in captures.indices { captures[k] = (-1, -1) }
        let nodes = program.nodes, children = program.children
        let s = scratch
        s.pointee.arena.removeAll(keepingCapacity: true)
        s.pointee.choices.removeAll(keepingCapacity: true)
        s.pointee.log.removeAll(keepingCapacity: true)

        @inline(__always) func push(_ c: Continuation) -> Int32 {
            s.pointee.arena.append(c)
            return Int32(s.pointee.arena.count - 1)
        }
        @inline(__always) func choice(_ kind: ChoicePoint.Kind, _ node: Int32, _ position: Int, _ next: Int32,
                                      _ a: Int, _ b: Int) {
            s.pointee.choices.append(ChoicePoint(kind: kind, node: node, position: position, next: next, a: a, b: b,
                                                 logMark: Int32(s.pointee.log.count), arenaMark: Int32(s.pointee.arena.count)))
        }
        @inline(__always) func setCapture(_ group: Int, _ span: (Int, Int)) {
            s.pointee.log.append((Int32(group), captures[group]))
            captures[group] = span
        }

        // The machine is in one of two modes: match node `n` at `i` then continue with `k`,
        // or (`n` < 0) continue with `k` at `i`.
        var n: Int32 = program.root, i = start
        var k = push(Continuation(kind: .accept, a: 0, b: 0, c: 0, next: -1))

        /// Starts iteration `count` of repetition `r` at `at` (sre's REPEAT / MAX_UNTIL /
        /// MIN_UNTIL): below the minimum it must iterate; greedy iterates first and may stop;
        /// lazy stops first and may iterate.
        func enterRepeat(_ r: Int32, _ count: Int, _ at: Int, _ next: Int32) -> (Int32, Int, Int32) {
            let node = nodes[Int(r)]
            let min = Int(node.b), max = node.c < 0 ? Int.max : Int(node.c)
            if count < min {
                return (node.a, at, push(Continuation(kind: .repeatMin, a: Int(r), b: count, c: at, next: next)))
            }
            if node.greedy {
                guard count < max else { return (-1, at, next) }
                choice(.stop, r, at, next, 0, 0)
                return (node.a, at, push(Continuation(kind: .repeatIteration, a: Int(r), b: count, c: at, next: next)))
            }
            choice(.iterateMore, r, at, next, count, 0)
            return (-1, at, next)
        }

        while true {
            if s.pointee.arena.count + s.pointee.choices.count > Self.maxEntries {
                overflowed.pointee = true
                return nil
            }
            var failed = false
            if n >= 0 {
                // Match node n at i.
                if prefixMode {
                    if i >= t.count {
                        guard let following else { return i }
                        let op = nodes[Int(n)].op
                        switch op {
                        case .literal, .literalFold, .set, .any:
                            for c in UInt32(0)..<256 where accepts(n, c) { following.pointee.insert(c) }
                            failed = true
                        case .boundary, .notBoundary:
                            // What follows must (\b) or must not (\B) differ in wordness from t's last.
                            let before = isWordAt(i - 1)
                            for c in UInt32(0)..<256 where (PythonUnicode.isWord(c) != before) == (op == .boundary) {
                                following.pointee.insert(c)
                            }
                            failed = true
                        case .lineStart, .lineEnd, .stringStart, .stringEnd, .lookahead, .negativeLookahead:
                            return i
                        case .empty, .group, .concat, .alternation, .repetition:
                            break
                        }
                    } else {
                        switch nodes[Int(n)].op {
                        case .boundary, .notBoundary:
                            if i == 0 { n = -1; continue }
                        case .lineStart, .lineEnd, .stringStart, .stringEnd, .lookahead, .negativeLookahead:
                            n = -1
                            continue
                        default: break
                        }
                    }
                }
                if !failed {
                    let node = nodes[Int(n)]
                    switch node.op {
                    case .empty: n = -1
                    case .literal, .literalFold, .set, .any:
                        if single(n, i) { i += 1; n = -1 } else { failed = true }
                    case .lineStart, .stringStart:
                        if i == 0 { n = -1 } else { failed = true }
                    case .lineEnd:
                        if i == t.count || (i == t.count - 1 && t[i] == 0x0A) { n = -1 } else { failed = true }
                    case .stringEnd:
                        if i == t.count { n = -1 } else { failed = true }
                    case .boundary:
                        if isBoundary(i) { n = -1 } else { failed = true }
                    case .notBoundary:
                        if !isBoundary(i) { n = -1 } else { failed = true }
                    case .group:
                        if node.a >= 0 { k = push(Continuation(kind: .capture, a: Int(node.a), b: i, c: 0, next: k)) }
                        n = node.b
                    case .concat:
                        if node.c == 0 {
                            n = -1
                        } else {
                            if node.c > 1 {
                                k = push(Continuation(kind: .concat, a: Int(node.b) + 1, b: Int(node.b + node.c), c: 0, next: k))
                            }
                            n = children[Int(node.b)]
                        }
                    case .alternation:
                        if let (branch, cursor) = nextBranch(node, i, from: 0) {
                            choice(.alternation, n, i, k, cursor, 0)
                            n = branch
                        } else {
                            failed = true
                        }
                    case .repetition:
                        let inner = node.a
                        let min = Int(node.b), max = node.c < 0 ? Int.max : Int(node.c)
                        if nodes[Int(inner)].single {
                            var count = 0
                            while count < max, single(inner, i + count) { count += 1 }
                            if prefixMode, i + count >= t.count {
                                guard let following else { return t.count }
                                if count < max {
                                    for c in UInt32(0)..<256 where accepts(inner, c) { following.pointee.insert(c) }
                                }
                            }
                            if count < min {
                                failed = true
                            } else if node.greedy {
                                if count > min { choice(.runGreedy, n, i, k, count - 1, min) }
                                i += count
                                n = -1
                            } else {
                                if count > min { choice(.runLazy, n, i, k, min + 1, count) }
                                i += min
                                n = -1
                            }
                        } else {
                            (n, i, k) = enterRepeat(n, 0, i, k)
                        }
                    case .lookahead, .negativeLookahead:
                        choice(.lookaheadBarrier, n, i, k, node.op == .negativeLookahead ? 1 : 0, 0)
                        k = push(Continuation(kind: .lookaheadEnd, a: s.pointee.choices.count - 1, b: 0, c: 0, next: -1))
                        n = node.b
                    }
                }
            } else {
                // Continue with k at i.
                let c = s.pointee.arena[Int(k)]
                switch c.kind {
                case .accept:
                    if nonEmpty && i == start {
                        failed = true
                    } else {
                        return i
                    }
                case .capture:
                    setCapture(c.a, (c.b, i))
                    k = c.next
                case .concat:
                    n = children[c.a]
                    k = c.a + 1 < c.b ? push(Continuation(kind: .concat, a: c.a + 1, b: c.b, c: 0, next: c.next)) : c.next
                case .repeatMin:
                    let min = Int(nodes[c.a].b)
                    if i == c.c && c.b + 1 >= min {
                        k = c.next
                    } else {
                        (n, i, k) = enterRepeat(Int32(c.a), c.b + 1, i, c.next)
                    }
                case .repeatIteration:
                    if i == c.c {
                        k = c.next  // an empty iteration ends the loop
                    } else {
                        (n, i, k) = enterRepeat(Int32(c.a), c.b + 1, i, c.next)
                    }
                case .lookaheadEnd:
                    // The body matched: its untried choices are forgotten (a lookahead is atomic).
                    let barrier = s.pointee.choices[c.a]
                    s.pointee.choices.removeSubrange(c.a...)
                    if barrier.a == 1 {
                        // Negative: fail, with the body's captures undone.
                        undo(to: Int(barrier.logMark))
                        failed = true
                    } else {
                        n = -1
                        i = barrier.position
                        k = barrier.next
                    }
                }
            }
            guard failed else { continue }

            // Backtrack to the latest choice point that still has an alternative.
            var resumed = false
            while !resumed {
                guard let p = s.pointee.choices.popLast() else { return nil }
                undo(to: Int(p.logMark))
                s.pointee.arena.removeSubrange(Int(p.arenaMark)...)
                switch p.kind {
                case .alternation:
                    if let (branch, cursor) = nextBranch(nodes[Int(p.node)], p.position, from: p.a) {
                        choice(.alternation, p.node, p.position, p.next, cursor, 0)
                        (n, i, k) = (branch, p.position, p.next)
                        resumed = true
                    }
                case .runGreedy:
                    if p.a > p.b { choice(.runGreedy, p.node, p.position, p.next, p.a - 1, p.b) }
                    (n, i, k) = (-1, p.position + p.a, p.next)
                    resumed = true
                case .runLazy:
                    if p.a < p.b { choice(.runLazy, p.node, p.position, p.next, p.a + 1, p.b) }
                    (n, i, k) = (-1, p.position + p.a, p.next)
                    resumed = true
                case .stop:
                    (n, i, k) = (-1, p.position, p.next)
                    resumed = true
                case .iterateMore:
                    let node = nodes[Int(p.node)]
                    if node.c < 0 || p.a < Int(node.c) {
                        k = push(Continuation(kind: .repeatIteration, a: Int(p.node), b: p.a, c: p.position, next: p.next))
                        (n, i) = (node.a, p.position)
                        resumed = true
                    }
                case .lookaheadBarrier:
                    if p.a == 1 {
                        // Negative lookahead whose body cannot match: it holds.
                        (n, i, k) = (-1, p.position, p.next)
                        resumed = true
                    }
                }
            }
        }
    }

    /// Puts back the captures changed since the log had `mark` entries.
    @inline(__always) private func undo(to mark: Int) {
        while scratch.pointee.log.count > mark {
            let (group, old) = scratch.pointee.log.removeLast()
            captures[Int(group)] = old
        }
    }

    /// The next branch of an alternation worth trying at `i`, from cursor `from` (an index in
    /// the node's candidate list), and the cursor after it.
    @inline(__always) private func nextBranch(_ node: RegexProgram.Node, _ i: Int, from: Int) -> (Int32, Int)? {
        if i >= t.count, following != nil {
            // Collecting what may follow t: every branch, in order.
            return from < Int(node.c) ? (program.children[Int(node.b) + from], from + 1) : nil
        }
        if i < t.count, t[i] < 256 {
            // Only the branches that can start with this code point, in their order.
            let (start, count) = program.latin1Tables[Int(node.a) * 256 + Int(t[i])]
            guard from < Int(count) else { return nil }
            return (program.children[Int(program.candidates[Int(start) + from])], from + 1)
        }
        var x = Int(node.b) + from
        while x < Int(node.b + node.c) {
            // Skip branches that cannot start with this code point.
            let (start, count) = program.branchFirst[x]
            var possible = count < 0
            if !possible {
                for f in Int(start)..<Int(start + count) where single(program.firstNodes[f], i) {
                    possible = true
                    break
                }
            }
            if possible { return (program.children[x], x - Int(node.b) + 1) }
            x += 1
        }
        return nil
    }
}

/// A set of Latin-1 code points (256 bits).
struct Latin1Set: Equatable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    static var all: Latin1Set { Latin1Set(words: (.max, .max, .max, .max)) }

    /// Adds `c` (below 256).
    mutating func insert(_ c: UInt32) {
        let bit = UInt64(1) << UInt64(c & 63)
        switch c >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    func contains(_ c: UInt32) -> Bool {
        let w: UInt64
        switch c >> 6 {
        case 0: w = words.0
        case 1: w = words.1
        case 2: w = words.2
        case 3: w = words.3
        default: return false
        }
        return w & (1 << UInt64(c & 63)) != 0
    }

    static func == (a: Latin1Set, b: Latin1Set) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }
}

