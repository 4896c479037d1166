/// A port of mwparserfromhell 0.6's tokenizer (`mwparserfromhell/parser/tokenizer.py`): the
/// parse revscoring's wikitext features count headings, links, templates and tags from.
///
/// It keeps the original's shape on purpose — text split into chunks at marker characters,
/// a stack of (tokens, context, text buffer) frames, failed routes as thrown `BadRoute`s that
/// are memoized by (head, context) — so that its many recovery paths behave the same.
struct MWTokenizer {
    struct BadRoute: Error {
        var context: UInt64
    }

    /// A read position: before the text, after it, or a chunk. Chunks that `split` cuts at
    /// (one marker character or a backslash) are `.m`, so that the tokenizer's many tests of
    /// "is this `{`" compare a code point, not strings (string compares and hashing were most
    /// of the parser's time); every other chunk is `.text` and is never one such character.
    enum Piece: Equatable {
        case start, end
        case m(Unicode.Scalar)
        /// A run of other code points: piece `k` of the text (its code points are where
        /// ``MWTokenizer/ends`` says), so that reading a piece copies no reference and a
        /// split makes no strings.
        case text(Int32)

        /// The piece for a split character (`handleTableStyle`'s end token).
        static func marker(_ v: String) -> Piece {
            let scalars = v.unicodeScalars
            guard let c = scalars.first, scalars.count == 1, MWTokenizer.isSplitCharacter(c.value) else {
                preconditionFailure("not a split character: \(v.debugDescription)")
            }
            return .m(c)
        }

        var isNewlineOrStart: Bool { self == .start || self == .m("\n") }
        /// `this in MARKERS` (START and END are markers; backslash, though split at, is not).
        var isMarker: Bool {
            switch self {
            case .start, .end: return true
            case let .m(c): return c != "\\"
            case .text: return false
            }
        }
    }

    /// The text of a piece (`nil` for START and END).
    func string(_ p: Piece) -> String? {
        switch p {
        case .start, .end: return nil
        case let .m(c): return String(c)
        case let .text(k): return String(codePoints: codePoints(piece: Int(k)))
        }
    }

    /// The code points of piece `k`.
    func codePoints(piece k: Int) -> ArraySlice<UInt32> { texts.source[pieceStart(k)..<Int(ends[k])] }

    /// A non-empty piece of whitespace only.
    func isSpace(_ p: Piece) -> Bool {
        switch p {
        case .start, .end: return false
        case let .m(c): return PythonUnicode.isSpace(c.value)
        case let .text(k): return codePoints(piece: Int(k)).allSatisfy { PythonUnicode.isSpace($0) }  // never empty
        }
    }

    /// `c in this` for an ASCII `c`: a code point test (a `Character` test would miss `c`
    /// followed by a combining mark).
    func contains(_ p: Piece, _ c: Unicode.Scalar) -> Bool {
        precondition(c.isASCII, "contains(_:_:) compares UTF-8 bytes")
        switch p {
        case .start, .end: return false
        case let .m(m): return m == c
        case let .text(k): return codePoints(piece: Int(k)).contains(c.value)
        }
    }

    struct Frame {
        var stack: [WikiToken] = []
        var context: UInt64
        /// Text not yet emitted as a token. Python keeps a list of chunks and joins it; one
        /// range is the same text without the join (pieces read one after another are one
        /// range of the source).
        var textbuffer = WikiText.empty
        /// Whether anything was buffered, even empty text (Python's list is then non-empty, and
        /// its join, perhaps "", becomes a Text token).
        var buffered = false
        var ident: Ident
    }

    struct Ident: Hashable {
        var head: Int
        var context: UInt64
    }

    /// `_TagOpenData`.
    struct TagOpenData {
        static let name: UInt64 = 1 << 0
        static let attrReady: UInt64 = 1 << 1
        static let attrName: UInt64 = 1 << 2
        static let attrValue: UInt64 = 1 << 3
        static let quoted: UInt64 = 1 << 4
        static let noteSpace: UInt64 = 1 << 5
        static let noteEquals: UInt64 = 1 << 6
        static let noteQuote: UInt64 = 1 << 7
        var context: UInt64 = name
        var paddingFirst = "", paddingBeforeEq = "", paddingAfterEq = ""
        var quoter: String? = nil
        var reset = 0
    }

    /// `s in MARKERS`: one marker character (a code point test: as a `Set<String>`, U+037E
    /// GREEK QUESTION MARK would be found equal to ";").
    static func isMarker(_ s: String) -> Bool {
        var utf8 = s.utf8.makeIterator()
        guard let b = utf8.next(), utf8.next() == nil else { return false }
        return b != 0x5C && isSplitCharacter(UInt32(b))
    }

    /// Python's `a == b` for strings: the same code points (Swift's `==` compares canonical
    /// equivalents: "\u{212A}" == "K").
    static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }
    static let maxDepth = 100

    var text: [Piece] = []
    /// Where each piece ends in the source code points.
    var ends: [Int32] = []
    /// The source code points and the text kept aside, which tokens' texts refer to.
    var texts = TokenTexts(source: [])
    var head = 0
    /// The frame being parsed (Python's `self._stacks[-1]`), kept out of the array of those
    /// below it so that the many reads and appends to it go straight to it, without the
    /// array's bounds and uniqueness checks. Meaningless while `frameCount` is 0.
    var top = Frame(context: 0, ident: Ident(head: 0, context: 0))
    /// The frames below the top one, the root first.
    var below: [Frame] = []
    /// How many frames there are (`len(self._stacks)`).
    var frameCount = 0
    var global: UInt64 = 0
    var depth = 0
    var badRoutes = RouteSet()
    var skipStyleTags = false
    /// The earliest head from which a comment's scan reached the end without a "-->".
    var unclosedCommentFrom = Int.max
    /// Whether comments use `unclosedCommentFrom` (tests compare with scanning each time).
    var remembersUnclosedComments = true

    // Reuse between two similar texts (see `MWTokenizer+Reuse.swift`).
    /// The furthest piece index read so far, when recording.
    var furthestRead: UnsafeMutablePointer<Int>? = nil
    /// Pieces read so far (a pointer for the same reason as `furthestRead`), and how many
    /// reads the parse may take (see ``workLimit(pieces:)``).
    var work: UnsafeMutablePointer<Int>
    var workLimit = Int.max
    /// Whether the parse ran past `workLimit`: every route then fails at once.
    var exhausted = false
    /// A tokenizer counting its reads in `work`.
    init(work: UnsafeMutablePointer<Int>) { self.work = work }

    /// Root states recorded for a later parse of a similar text, when recording.
    var rootStates: [RootState]? = nil
    /// The other text's parse this one may join once both reach the same state.
    var join: Join? = nil
    /// The head at which this parse joined the other's.
    var joinedAt: Int? = nil

    // MARK: - Chunks


    /// The marker characters (and backslash) that `split` cuts at: `{ } [ ] < > | = & ' # * ;
    /// : / \ " - !` and line feed. A bit test on two constants: a `switch` compiled to a jump
    /// table, whose indirect jump mispredicted on most code points (half of `split`'s time),
    /// and a global table costs a `swift_once` check per code point.
    @inline(__always) static func isSplitCharacter(_ c: UInt32) -> Bool {
        let low: UInt64 = 0x7C00_A4CE_0000_0400, high: UInt64 = 0x3800_0000_3800_0000
        guard c < 128 else { return false }
        return ((c < 64 ? low : high) >> UInt64(c & 63)) & 1 != 0
    }

    /// URI scheme characters (`URISCHEME`): ASCII letters, digits, `+`, `.`, `-`.
    @inline(__always) static func isSchemeCharacter(_ c: UInt32) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x2E || c == 0x2D
    }

    /// `regex.split(text)` on the marker characters (and backslash), without empty chunks, over
    /// code points: each run between markers is a piece whose code points are read where the
    /// ends say, made into a string only when the tokenizer needs one (tags, links, entities).
    static func split(codePoints text: [UInt32]) -> (pieces: [Piece], ends: [Int32]) {
        var out: [Piece] = []
        var ends: [Int32] = []
        out.reserveCapacity(text.count / 4)
        ends.reserveCapacity(text.count / 4)
        text.withUnsafeBufferPointer { t in
            var runStart = 0
            for i in 0..<t.count {
                let c = t[i]
                guard isSplitCharacter(c), let marker = Unicode.Scalar(c) else { continue }
                if runStart < i {
                    out.append(.text(Int32(out.count)))
                    ends.append(Int32(i))
                }
                out.append(.m(marker))
                ends.append(Int32(i + 1))
                runStart = i + 1
            }
            if runStart < t.count {
                out.append(.text(Int32(out.count)))
                ends.append(Int32(t.count))
            }
        }
        return (out, ends)
    }

    // MARK: - Stack machinery

    var stack: [WikiToken] {
        get { top.stack }
        set { top.stack = newValue }
    }
    var context: UInt64 {
        get { top.context }
        set { top.context = newValue }
    }
    var textbuffer: WikiText {
        get { top.textbuffer }
        set { top.textbuffer = newValue }
    }
    var stackIdent: Ident { top.ident }

    mutating func push(_ context: UInt64 = 0) throws(BadRoute) {
        let ident = Ident(head: head, context: context)
        if work.pointee > workLimit { exhausted = true }
        if exhausted || badRoutes.contains(ident) { throw BadRoute(context: context) }
        if frameCount > 0 { below.append(top) }
        top = Frame(context: context, ident: ident)
        frameCount += 1
        depth += 1
    }

    mutating func pushTextbuffer() {
        if top.buffered {
            let text = top.textbuffer
            top.stack.append(.text(text))
            top.textbuffer = .empty
            top.buffered = false
        }
    }

    mutating func pop(keepContext: Bool = false) -> [WikiToken] {
        pushTextbuffer()
        depth -= 1
        frameCount -= 1
        guard frameCount > 0 else { return top.stack }
        let ctx = context
        var frame = below.removeLast()
        swap(&frame, &top)
        if keepContext { context = ctx }
        return frame.stack
    }

    var canRecurse: Bool { depth < Self.maxDepth }

    mutating func memoizeBadRoute() { badRoutes.insert(stackIdent) }

    mutating func failRoute() -> BadRoute {
        let ctx = context
        memoizeBadRoute()
        _ = pop()
        return BadRoute(context: ctx)
    }

    mutating func emit(_ token: WikiToken) {
        pushTextbuffer()
        top.stack.append(token)
    }

    mutating func emitFirst(_ token: WikiToken) {
        pushTextbuffer()
        top.stack.insert(token, at: 0)
    }

    /// Appends `text` to the text buffer: by widening the buffered range when `text` follows
    /// it in the same storage, else by copying both aside (rare: re-emitted markup that the
    /// source does not hold next to the buffered text).
    mutating func emitText(_ text: WikiText) {
        let buffer = top.textbuffer
        top.buffered = true
        if buffer.isEmpty {
            top.textbuffer = text
        } else if text.isEmpty {
            return
        } else if buffer.isAside == text.isAside && Int(buffer.end) == text.start {
            top.textbuffer.end = text.end
        } else {
            let start = bufferAside(buffer)
            appendAside(text)
            top.textbuffer = WikiText(aside: start, texts.aside.count)
        }
    }

    /// Where the aside copy of `buffer` starts, its code points being the last ones aside
    /// (copied there unless they already are).
    private mutating func bufferAside(_ buffer: WikiText) -> Int {
        if buffer.isAside && Int(buffer.end) == texts.aside.count { return buffer.start }
        let start = texts.aside.count
        appendAside(buffer)
        return start
    }

    /// Copies `text`'s code points to the end of the aside storage (index by index: a slice of
    /// the storage alive while it grows would copy all of it).
    private mutating func appendAside(_ text: WikiText) {
        if text.isAside {
            for i in text.start..<Int(text.end) { texts.aside.append(texts.aside[i]) }
        } else {
            texts.source.withUnsafeBufferPointer { texts.aside.append(contentsOf: $0[text.start..<Int(text.end)]) }
        }
    }

    /// Appends a string the tokenizer makes (markup it re-emits, tag names): as the source code
    /// points right after the buffered text (or where the head's piece starts) when those are
    /// the same code points, else aside.
    mutating func emitText(_ string: String) {
        emitText(wikiText(string, near: textbuffer.isEmpty ? nil : textbuffer))
    }

    /// `string` as a ``WikiText``: source code points where they equal it (right after
    /// `after`, or at the head's piece), else a copy aside.
    mutating func wikiText(_ string: String, near after: WikiText? = nil) -> WikiText {
        let scalars = string.unicodeScalars
        guard !scalars.isEmpty else { return .empty }
        let at: Int?
        if let after { at = after.isAside ? nil : Int(after.end) } else { at = pieceStart(head) }
        if let at {
            let source = texts.source
            var i = at, same = true
            for u in scalars {
                if i == source.count || source[i] != u.value { same = false; break }
                i += 1
            }
            if same { return WikiText(source: at, i) }
        }
        let start = texts.aside.count
        for u in scalars { texts.aside.append(u.value) }
        return WikiText(aside: start, texts.aside.count)
    }

    /// Where piece `k` starts in the source (the end for `k` past the last piece).
    func pieceStart(_ k: Int) -> Int {
        if k <= 0 { return 0 }
        if k > ends.count { return texts.source.count }
        return Int(ends[k - 1])
    }

    /// `emitText(read(delta))`: the piece's code points (nothing for START and END, which
    /// Python emits as empty text).
    mutating func emitPiece(_ delta: Int = 0) {
        let k = head + delta
        guard k >= 0, k < text.count else {
            top.buffered = true
            return
        }
        note(read: k)
        emitText(WikiText(source: pieceStart(k), Int(ends[k])))
    }

    /// The code points of text `t`, as a string.
    func string(_ t: WikiText) -> String { texts.string(t) }

    mutating func emitAll(_ tokens: [WikiToken]) {
        var list = tokens[...]
        if let first = list.first, case let .text(t) = first {
            emitText(t)
            list = list.dropFirst()
        }
        pushTextbuffer()
        top.stack.append(contentsOf: list)
    }

    mutating func emitTextThenStack(_ text: String) {
        let s = pop()
        emitText(text)
        if !s.isEmpty { emitAll(s) }
        head -= 1
    }

    func read(_ delta: Int = 0, wrap: Bool = false) -> Piece {
        work.pointee &+= 1
        let index = head + delta
        if index < 0 && (!wrap || -index > text.count) { return .start }
        if index < 0 {
            note(read: text.count + index)
            return text[text.count + index]
        }
        note(read: index)
        return index < text.count ? text[index] : .end
    }

    /// Keeps the furthest piece read (through a pointer: `read` is not mutating, and a class
    /// property would cost an exclusivity check per read).
    @inline(__always) func note(read index: Int) {
        if let furthest = furthestRead, index > furthest.pointee { furthest.pointee = index }
    }

    mutating func readStrict(_ delta: Int = 0) throws(BadRoute) -> String {
        let r = read(delta)
        if let v = string(r) { return v }
        if r == .end { throw failRoute() }
        return ""
    }
}

/// The failed routes of a parse (`_bad_routes`): a set of (head, context) with a cheap hash.
/// A route is looked up on every push; `Set`'s SipHash cost more than the look-up itself.
struct RouteSet {
    /// Heads, or `empty`.
    private var heads = [Int](repeating: RouteSet.empty, count: 64)
    private var contexts = [UInt64](repeating: 0, count: 64)
    private(set) var count = 0
    private static let empty = Int.min
    /// Every route added, in order (a parse that starts from another's state replays them).
    private(set) var log: [MWTokenizer.Ident] = []
    /// The furthest head of a route added (`Int.min` for none).
    private(set) var maxHead = Int.min

    @inline(__always) private static func slot(_ ident: MWTokenizer.Ident, _ mask: Int) -> Int {
        let h = (UInt64(truncatingIfNeeded: ident.head) ^ ident.context &* 0xFF51_AFD7_ED55_8CCD) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h >> 40) & mask
    }

    func contains(_ ident: MWTokenizer.Ident) -> Bool {
        let mask = heads.count - 1
        var s = Self.slot(ident, mask)
        while heads[s] != Self.empty {
            if heads[s] == ident.head && contexts[s] == ident.context { return true }
            s = (s + 1) & mask
        }
        return false
    }

    mutating func insert(_ ident: MWTokenizer.Ident) {
        guard !contains(ident) else { return }
        if (count + 1) * 2 > heads.count { grow() }
        place(ident)
        count += 1
        log.append(ident)
        maxHead = max(maxHead, ident.head)
    }

    private mutating func place(_ ident: MWTokenizer.Ident) {
        let mask = heads.count - 1
        var s = Self.slot(ident, mask)
        while heads[s] != Self.empty { s = (s + 1) & mask }
        heads[s] = ident.head
        contexts[s] = ident.context
    }

    private mutating func grow() {
        let oldHeads = heads, oldContexts = contexts
        heads = [Int](repeating: Self.empty, count: oldHeads.count * 2)
        contexts = [UInt64](repeating: 0, count: oldHeads.count * 2)
        for (h, c) in zip(oldHeads, oldContexts) where h != Self.empty { place(MWTokenizer.Ident(head: h, context: c)) }
    }
}
