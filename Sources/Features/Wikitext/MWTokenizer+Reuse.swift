/// Parsing a text by reusing the parse of a similar one (a revision and its parent differ in a
/// few places): the same tokens as parsing it afresh, with most of the work skipped.
///
/// Why it is exact. The tokenizer is a deterministic function of the pieces it reads and of
/// its state. Its state at the top of the main loop of the root route, with an empty text
/// buffer, is small: the head, the root's tokens so far (which are only ever appended to), its
/// context, the global flags, and the failed routes memoized so far.
/// - Start: the first parse records those states and how far it had read when it reached
///   each. The last state reached having read only pieces the two texts share (pieces that end
///   before their first difference) is the state the second parse reaches too; it starts there.
/// - Join: from a root state past the texts' difference, inside their common suffix, what
///   follows depends only on the pieces from there on (the loop looks back at most two pieces)
///   and on that state — no memoized route lies at or past the head, so none can be consulted
///   again. When the second parse reaches such a state equal to one the first parse recorded
///   at the same distance from the end, the rest of its tokens are the first parse's.
extension MWTokenizer {
    /// A root state (see above).
    struct RootState {
        var head: Int
        var tokenCount: Int
        var context: UInt64
        var global: UInt64
        /// How many failed routes were memoized before it.
        var badRouteCount: Int
        /// The furthest piece read before it.
        var furthestRead: Int
        /// The furthest head of a failed route memoized before it.
        var maxBadHead: Int
    }

    /// What a parse needs to join another's (see above).
    struct Join {
        let states: [RootState]
        let tokens: [WikiToken]
        /// What the other parse's tokens' texts refer to.
        let texts: TokenTexts
        /// Where the texts' common suffix starts in the other text's code points.
        let suffixStart: Int
        /// The first head of this text from which the pieces (and the two before) are the other
        /// text's, `shift` pieces further on there.
        let firstHead: Int
        let shift: Int
    }

    /// A finished parse, with what a parse of a similar text can reuse.
    struct Parse {
        let tokens: [WikiToken]
        /// What the tokens' texts refer to.
        let texts: TokenTexts
        var codePoints: [UInt32] { texts.source }
        /// The tokens as mwparserfromhell prints them: what two parses of one text agree on.
        var resolvedTokens: [String] { tokens.map { $0.resolved(in: texts) } }
        /// Where each piece ends in `codePoints`.
        let pieceEnds: [Int32]
        let states: [RootState]
        let badRoutes: [Ident]
        /// The split text (for a parse that recorded states: what a later parse splits from).
        var pieces: [Piece] = []
        /// Where a parse that reused another started (the head) and joined it (`nil`: it did
        /// not), for tests and measurements.
        var startedAt = 0
        var joinedAt: Int? = nil
    }

    /// Why a text has no parse.
    enum ParseFailure: Error {
        /// The tokenizer gave up ("Python tokenizer exited with BadRoute": never expected).
        case gaveUp
        /// The parse needed more than ``workLimit(pieces:)`` reads.
        case tooComplex
    }

    /// Reads a parse may take: `readsPerPiece` per piece of the split text, plus
    /// `baseReads` (a read costs ~6 ns: the limit is under a second plus ~1 µs a piece).
    ///
    /// Why a limit: mwparserfromhell scans from every unclosed construct to the end of the
    /// text (an unclosed `<ref>`, `<div>`, `[http://…`, `{|` …), so markup left open many
    /// thousands of times costs time quadratic in the length (100 kB of `<ref>a ` took 816
    /// million reads, 4.8 s; of `\n{|\n|a `, 3 billion, 38 s). Real pages read 2.5 times per
    /// piece on average and under 6 at most (the corpus); 2,000 nested `<div>`s take 14
    /// million. Past the limit the text is refused with ``FeatureError/wikitextTooComplex``
    /// instead of holding a worker for minutes.
    static func workLimit(pieces: Int) -> Int { readsPerPiece * pieces + baseReads }

    /// See ``workLimit(pieces:)``.
    static let baseReads = 100_000_000

    /// See ``workLimit(pieces:)``.
    static let readsPerPiece = 200

    /// Bad routes this close to (or past) a head rule out joining there.
    private static let badRouteMargin = 4

    /// At the top of the root route's loop: records the state, or joins the other parse. Returns
    /// the text's tokens when joined.
    mutating func atRoot() -> [WikiToken]? {
        guard !top.buffered else { return nil }
        if rootStates != nil {
            rootStates?.append(RootState(
                head: head, tokenCount: top.stack.count, context: top.context, global: global,
                badRouteCount: badRoutes.count, furthestRead: furthestRead?.pointee ?? .max, maxBadHead: badRoutes.maxHead))
        }
        guard let join, joinedAt == nil, head >= join.firstHead, badRoutes.maxHead < head - Self.badRouteMargin else { return nil }
        let target = head + join.shift
        // States are in head order: the first recorded at `target`.
        var lo = 0, hi = join.states.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if join.states[mid].head < target { lo = mid + 1 } else { hi = mid }
        }
        guard lo < join.states.count else { return nil }
        let state = join.states[lo]
        guard state.head == target, state.context == top.context, state.global == global,
              state.maxBadHead < target - Self.badRouteMargin
        else { return nil }
        joinedAt = head
        var tokens = top.stack
        tokens.reserveCapacity(tokens.count + join.tokens.count - state.tokenCount)
        let shift = texts.source.count - join.texts.source.count
        for token in join.tokens[state.tokenCount...] {
            tokens.append(token.mapTexts { adopt($0, from: join.texts, shared: join.suffixStart..<join.texts.source.count, shift: shift) })
        }
        return tokens
    }

    /// Text `t` of another parse's token as a text of this parse: the same code points of this
    /// source (moved by `shift`) when they lie in `shared`, the part of the other source that
    /// this one holds too; aside text as it is (this parse's aside storage begins with a copy
    /// of the other's); else a copy aside. Whatever way the other parse came by its texts, the
    /// code points are the same.
    mutating func adopt(_ t: WikiText, from other: TokenTexts, shared: Range<Int>, shift: Int) -> WikiText {
        if t.isEmpty { return .empty }
        if t.isAside { return t }
        if t.start >= shared.lowerBound && Int(t.end) <= shared.upperBound {
            return WikiText(source: t.start + shift, Int(t.end) + shift)
        }
        let start = texts.aside.count
        texts.aside.append(contentsOf: other.codePoints(t))
        return WikiText(aside: start, texts.aside.count)
    }

    /// Parses `codePoints`, reusing `other` (the parse of a similar text) where exact; records
    /// what a later parse could reuse when there is nothing to reuse. `nil` if the tokenizer
    /// gives up, as ``tokenize(codePoints:)``.
    ///
    /// `commonEnds`, when given, are ``WikitextTokenizer/commonEnds(_:_:)`` of the two texts.
    static func parse(codePoints: [UInt32], reusing other: Parse?, commonEnds: (prefix: Int, suffix: Int)? = nil) -> Parse? {
        try? parseResult(codePoints: codePoints, reusing: other, commonEnds: commonEnds).get()
    }

    /// ``parse(codePoints:reusing:commonEnds:)``, saying why when there is no parse.
    static func parseResult(codePoints: [UInt32], reusing other: Parse?, commonEnds: (prefix: Int, suffix: Int)? = nil)
        -> Result<Parse, ParseFailure>
    {
        let work = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        work.initialize(to: 0)
        defer { work.deallocate() }
        var t = MWTokenizer(work: work)
        t.texts = TokenTexts(source: codePoints, aside: other?.texts.aside ?? [])
        let ends: [Int32]
        let ends0: (prefix: Int, suffix: Int)? = other.map { other in
            commonEnds ?? codePoints.withUnsafeBufferPointer { a in
                other.codePoints.withUnsafeBufferPointer { b in WikitextTokenizer.commonEnds(a, b) }
            }
        }
        if let other, let ends0, !other.pieces.isEmpty {
            (t.text, ends) = split(codePoints: codePoints, reusing: other, prefix: ends0.prefix, suffix: ends0.suffix)
        } else {
            (t.text, ends) = split(codePoints: codePoints)
        }
        t.ends = ends
        t.workLimit = workLimit(pieces: t.text.count)
        let furthest = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        furthest.initialize(to: -1)
        defer { furthest.deallocate() }
        do throws(BadRoute) {
            guard let other else {
                t.furthestRead = furthest
                t.rootStates = []
                let pieces = t.text
                let tokens = try t.parse(0)
                if t.exhausted { return .failure(.tooComplex) }
                return .success(Parse(tokens: tokens, texts: t.texts, pieceEnds: ends, states: t.rootStates ?? [],
                                      badRoutes: t.badRoutes.log, pieces: pieces))
            }
            if codePoints == other.codePoints {
                return .success(Parse(tokens: other.tokens, texts: other.texts, pieceEnds: ends, states: [], badRoutes: []))
            }
            let (prefix, suffix) = ends0 ?? (0, 0)
            // Pieces ending before the first difference are the same pieces in both texts.
            var shared = 0
            while shared < ends.count, Int(ends[shared]) < prefix { shared += 1 }
            // Pieces starting past the first code point of the common suffix are the same
            // pieces, counted from the end, in both texts (a piece starts where a marker is or
            // was just before).
            let suffixStart = codePoints.count - suffix
            var firstSuffixPiece = ends.count
            while firstSuffixPiece > 0, firstSuffixPiece - 1 > 0, Int(ends[firstSuffixPiece - 2]) > suffixStart {
                firstSuffixPiece -= 1
            }
            t.join = Join(states: other.states, tokens: other.tokens, texts: other.texts,
                          suffixStart: other.codePoints.count - suffix, firstHead: firstSuffixPiece + 2,
                          shift: other.pieceEnds.count - ends.count)
            // Start from the last state the other parse reached having read shared pieces only.
            var start: RootState? = nil
            for state in other.states {
                guard state.furthestRead < shared, state.head < shared else { break }
                start = state
            }
            try t.push(0)
            if let start {
                var tokens: [WikiToken] = []
                tokens.reserveCapacity(start.tokenCount)
                for token in other.tokens[0..<start.tokenCount] {
                    tokens.append(token.mapTexts { t.adopt($0, from: other.texts, shared: 0..<prefix, shift: 0) })
                }
                t.top.stack = tokens
                t.top.context = start.context
                t.global = start.global
                t.head = start.head
                for ident in other.badRoutes[0..<start.badRouteCount] { t.badRoutes.insert(ident) }
            }
            let tokens = try t.parse(0, push: false)
            if t.exhausted { return .failure(.tooComplex) }
            return .success(Parse(tokens: tokens, texts: t.texts, pieceEnds: ends, states: [], badRoutes: [],
                                  startedAt: start?.head ?? 0, joinedAt: t.joinedAt))
        } catch {
            return .failure(t.exhausted ? .tooComplex : .gaveUp)
        }
    }

    /// `split(codePoints:)` of a text that shares its first `prefix` and last `suffix` code
    /// points with `other`'s: the pieces that lie in the shared parts are `other`'s (moved by
    /// the difference in length, renumbered), so only the code points between are scanned.
    ///
    /// Why it is exact: a piece is cut only at a marker, from the code points around it. A
    /// piece ending before `prefix` ends at a shared marker (or the shared code points before
    /// it), so the text's split begins with the same pieces. From a marker inside the shared
    /// end on, everything the split reads is the same code points in both texts.
    static func split(codePoints text: [UInt32], reusing other: Parse, prefix: Int, suffix: Int)
        -> (pieces: [Piece], ends: [Int32])
    {
        let otherEnds = other.pieceEnds
        // Leading pieces: those ending before the first difference.
        var head = 0
        while head < otherEnds.count, Int(otherEnds[head]) < prefix { head += 1 }
        let middleStart = head > 0 ? Int(otherEnds[head - 1]) : 0
        // Trailing pieces: from the first marker that lies in the shared end, past the middle start.
        let shift = text.count - other.codePoints.count
        let sharedEnd = other.codePoints.count - suffix
        var tail = otherEnds.count
        var k = otherEnds.count - 1
        while k >= head {
            let start = k > 0 ? Int(otherEnds[k - 1]) : 0
            if start < sharedEnd || start + shift < middleStart { break }
            if case .m = other.pieces[k] { tail = k }
            k -= 1
        }
        let middleEnd = tail < otherEnds.count ? (tail > 0 ? Int(otherEnds[tail - 1]) : 0) + shift : text.count
        let middle = text.withUnsafeBufferPointer { t in
            split(codePoints: Array(t[middleStart..<max(middleStart, middleEnd)]))
        }
        var pieces = Array(other.pieces[0..<head])
        var ends = Array(otherEnds[0..<head])
        pieces.reserveCapacity(head + middle.pieces.count + otherEnds.count - tail)
        ends.reserveCapacity(pieces.capacity)
        for p in middle.pieces {
            if case let .text(c) = p { pieces.append(.text(c + Int32(head))) } else { pieces.append(p) }
        }
        for e in middle.ends { ends.append(e + Int32(middleStart)) }
        let renumber = Int32(pieces.count - tail)
        for j in tail..<otherEnds.count {
            let p = other.pieces[j]
            if case let .text(c) = p { pieces.append(.text(c + renumber)) } else { pieces.append(p) }
            ends.append(otherEnds[j] + Int32(shift))
        }
        return (pieces, ends)
    }
}
