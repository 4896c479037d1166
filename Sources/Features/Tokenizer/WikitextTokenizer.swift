/// The token types of `deltas`' `wikitext_split` lexicon, in its order of precedence.
public enum TokenType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case `break`, whitespace, url, equals, bar, entity, refOpen, refClose, refSingleton, tag, number
    case bold, italic, japanPunct, cjk, word, tabOpen, tabClose, dbrackOpen, dbrackClose
    case brackOpen, brackClose, parenOpen, parenClose, dcurlyOpen, dcurlyClose, curlyOpen, curlyClose
    case period, qmark, epoint, comma, colon, scolon, commentStart, commentEnd, danda, etc

    /// The name `deltas` gives the type (`Token.type`).
    public var description: String {
        switch self {
        case .break: return "break"
        case .whitespace: return "whitespace"
        case .url: return "url"
        case .equals: return "equals"
        case .bar: return "bar"
        case .entity: return "entity"
        case .refOpen: return "ref_open"
        case .refClose: return "ref_close"
        case .refSingleton: return "ref_singleton"
        case .tag: return "tag"
        case .number: return "number"
        case .bold: return "bold"
        case .italic: return "italic"
        case .japanPunct: return "japan_punct"
        case .cjk: return "cjk"
        case .word: return "word"
        case .tabOpen: return "tab_open"
        case .tabClose: return "tab_close"
        case .dbrackOpen: return "dbrack_open"
        case .dbrackClose: return "dbrack_close"
        case .brackOpen: return "brack_open"
        case .brackClose: return "brack_close"
        case .parenOpen: return "paren_open"
        case .parenClose: return "paren_close"
        case .dcurlyOpen: return "dcurly_open"
        case .dcurlyClose: return "dcurly_close"
        case .curlyOpen: return "curly_open"
        case .curlyClose: return "curly_close"
        case .period: return "period"
        case .qmark: return "qmark"
        case .epoint: return "epoint"
        case .comma: return "comma"
        case .colon: return "colon"
        case .scolon: return "scolon"
        case .commentStart: return "comment_start"
        case .commentEnd: return "comment_end"
        case .danda: return "danda"
        case .etc: return "etc"
        }
    }
}

/// One token: its type and where it lies in the text's code points.
public struct Token: Sendable, Equatable {
    public var type: TokenType
    /// Start offset in code points (Python string index).
    public var start: Int
    /// End offset (exclusive) in code points.
    public var end: Int
    /// Length in code points (Python `len(token)`).
    public var length: Int { end - start }
}

/// A text split into `wikitext_split` tokens.
public struct TokenizedText: Sendable {
    /// The text as Unicode code points (what Python indexes).
    public let scalars: [UInt32]
    /// The tokens, in order; they cover the whole text.
    public let tokens: [Token]

    /// The text of `token`.
    public func text(of token: Token) -> String {
        String(codePoints: scalars[token.start..<token.end])
    }
}

/// How ``WikitextTokenizer/tokenize(scalars:reusing:)`` made a text's tokens from another
/// text's: what per-token answers (string ids) can be taken over from that text.
public struct TokenReuse: Sendable, Equatable {
    /// Tokens `0..<prefix` are the other text's `0..<prefix`.
    public var prefix: Int
    /// Tokens `prefix..<middleEnd` were found by tokenizing.
    public var middleEnd: Int
    /// Tokens from `middleEnd` on are the other text's from `otherSuffix` on (shifted).
    public var otherSuffix: Int
    /// How many code points the texts share at the start, and at the end (not overlapping).
    public var commonPrefix: Int
    public var commonSuffix: Int
}

/// `deltas.tokenizers.wikitext_split`: the regex lexicon revscoring tokenizes wikitext with,
/// written as a scanner that takes, at each position, the first lexicon entry that matches —
/// what Python's `re` does with the lexicon's alternation — in one pass over the text.
public enum WikitextTokenizer {
    /// Tokenizes `text` (`wikitext_split.tokenize(text or "")`).
    public static func tokenize(_ text: String) -> TokenizedText {
        let scalars = [UInt32](codePointsOf: text)
        return TokenizedText(scalars: scalars, tokens: tokenize(scalars: scalars))
    }

    /// Tokenizes code points.
    public static func tokenize(scalars t: [UInt32]) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(t.count / 3)
        t.withUnsafeBufferPointer { t in
            var i = 0
            while i < t.count {
                let (type, end) = match(t, i)
                tokens.append(Token(type: type, start: i, end: end))
                i = end
            }
        }
        return tokens
    }

    /// Tokenizes `t` reusing the tokens of `other`, a text that shares most of it (a revision
    /// and its parent): the same tokens as `tokenize(scalars: t)`, found by tokenizing only
    /// the part around the texts' difference.
    ///
    /// Why it is exact. The lexicon reads no code point before the position it matches at, and
    /// how far past the token it may read is bounded (see ``lookaheadSafePrefix(_:_:)``):
    /// - the other text's tokens that end well inside the common prefix, and read nothing past
    ///   it, are this text's first tokens;
    /// - from a token start inside the common suffix where the other text also has a token
    ///   start (at the same distance from the end), both texts read the same code points, so
    ///   the rest of the tokens are the other text's, shifted.
    public static func tokenize(scalars t: [UInt32], reusing other: TokenizedText) -> (tokens: [Token], reuse: TokenReuse) {
        let o = other.scalars, ot = other.tokens
        let (prefix, suffix) = t.withUnsafeBufferPointer { t in
            o.withUnsafeBufferPointer { o in commonEnds(t, o) }
        }
        // Tokens of the other text kept at the start.
        let safeEnd = t.withUnsafeBufferPointer { lookaheadSafePrefix($0, prefix) }
        var kept = 0
        while kept < ot.count, ot[kept].end <= safeEnd { kept += 1 }
        var tokens = Array(ot[0..<kept])
        tokens.reserveCapacity(t.count / 3)
        let shift = o.count - t.count
        var middleEnd = kept, otherSuffix = ot.count
        t.withUnsafeBufferPointer { t in
            var i = kept > 0 ? ot[kept - 1].end : 0
            var j = kept  // the other's first token starting at or after i + shift
            let suffixStart = t.count - suffix
            while i < t.count {
                if i >= suffixStart {
                    while j < ot.count, ot[j].start < i + shift { j += 1 }
                    if j < ot.count, ot[j].start == i + shift {
                        middleEnd = tokens.count
                        otherSuffix = j
                        for k in j..<ot.count {
                            tokens.append(Token(type: ot[k].type, start: ot[k].start - shift, end: ot[k].end - shift))
                        }
                        return
                    }
                }
                let (type, end) = match(t, i)
                tokens.append(Token(type: type, start: i, end: end))
                i = end
            }
            middleEnd = tokens.count
        }
        return (tokens, TokenReuse(prefix: kept, middleEnd: middleEnd, otherSuffix: otherSuffix, commonPrefix: prefix,
                                   commonSuffix: suffix))
    }

    /// The lengths of the common prefix and of the common suffix of `a` and `b` (not
    /// overlapping the prefix).
    static func commonEnds(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> (prefix: Int, suffix: Int) {
        let n = min(a.count, b.count)
        guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return (0, 0) }
        // Four code points a compare while they agree (pages share ~100 KB), then one by one.
        typealias Four = SIMD4<UInt32>
        let ra = UnsafeRawPointer(pa), rb = UnsafeRawPointer(pb)
        let stride = MemoryLayout<UInt32>.stride
        var p = 0
        while p + 4 <= n,
              ra.loadUnaligned(fromByteOffset: p * stride, as: Four.self) == rb.loadUnaligned(fromByteOffset: p * stride, as: Four.self) {
            p += 4
        }
        while p < n, a[p] == b[p] { p += 1 }
        let (ea, eb) = (a.count, b.count)
        var s = 0
        while s + 4 <= n - p,
              ra.loadUnaligned(fromByteOffset: (ea - s - 4) * stride, as: Four.self)
                == rb.loadUnaligned(fromByteOffset: (eb - s - 4) * stride, as: Four.self) {
            s += 4
        }
        while s < n - p, a[ea - 1 - s] == b[eb - 1 - s] { s += 1 }
        return (p, s)
    }

    /// A position up to which the tokens of any text beginning with `t[0..<prefix]` are the
    /// same: every token ending there read only code points before `prefix`.
    ///
    /// What the lexicon reads past a token starting at `i` and ending at `e`: at most up to
    /// `e + 1` (a word's apostrophe test) or `i + 12` (a failed protocol such as
    /// `worldwind://`), except where it scans for a closing code point: `<` (ref and tag
    /// patterns scan to the next `>`), `&` (an entity name's run of `[a-z0-9]`) and line breaks
    /// (the run of whitespace after a newline). So tokens ending 16 code points before the
    /// first of these is safe: `prefix`; any `<` with no `>` after it before `prefix`; the
    /// `[a-z0-9]` run or whitespace run that reaches `prefix`.
    static func lookaheadSafePrefix(_ t: UnsafeBufferPointer<UInt32>, _ prefix: Int) -> Int {
        guard prefix > 0 else { return 0 }
        var limit = prefix
        // The last `>` before prefix - 1; a `<` after it scans past the prefix.
        var lastClose = prefix - 2
        while lastClose >= 0, t[lastClose] != 0x3E { lastClose -= 1 }
        for k in (lastClose + 1)..<prefix where t[k] == 0x3C {
            limit = min(limit, k)
            break
        }
        // The run of [a-z0-9] ending at prefix - 1 (an `&` just before it scans through it).
        var alnum = prefix
        while alnum > 0, (0x61...0x7A).contains(t[alnum - 1]) || (0x30...0x39).contains(t[alnum - 1]) { alnum -= 1 }
        if alnum < prefix { limit = min(limit, alnum - 1) }
        // The run of whitespace ending at prefix - 1 (a line break before it scans through it).
        var space = prefix
        while space > 0, isSpace(t[space - 1]) { space -= 1 }
        if space < prefix { limit = min(limit, space - 2) }
        return max(0, limit - 16)
    }

    // MARK: - Character classes

    @inline(__always) static func isSpace(_ c: UInt32) -> Bool { PythonUnicode.isSpace(c) }
    @inline(__always) static func isWordChar(_ c: UInt32) -> Bool { PythonUnicode.isWord(c) }

    /// `devangari_word + arabic_word + bengali_word` of the lexicon.
    @inline(__always) static func isCombinedWord(_ c: UInt32) -> Bool {
        (0x901...0x963).contains(c) || (0x601...0x61A).contains(c) || (0x61C...0x669).contains(c)
            || (0x6D5...0x6EF).contains(c) || (0x980...0x9FF).contains(c)
    }

    /// `[\w` + combined_word + `]`.
    @inline(__always) static func isWordBody(_ c: UInt32) -> Bool { isWordChar(c) || isCombinedWord(c) }

    /// `(?:[^\W\d]|[combined_word])`: a word's first character.
    @inline(__always) static func isWordStart(_ c: UInt32) -> Bool {
        (isWordChar(c) && !PythonUnicode.isDecimal(c)) || isCombinedWord(c)
    }

    static let cjkRanges: [ClosedRange<UInt32>] = [
        0x4E00...0x62FF, 0x6300...0x77FF, 0x7800...0x8CFF, 0x8D00...0x9FCC, 0x3400...0x4DFF,
        0x20000...0x215FF, 0x21600...0x230FF, 0x23100...0x245FF, 0x24600...0x260FF, 0x26100...0x275FF,
        0x27600...0x290FF, 0x29100...0x2A6DF, 0xF900...0xFAFF, 0x2F800...0x2FA1F, 0x3041...0x3096,
        0x30A0...0x30FF, 0x3400...0x4DB5, 0x4E00...0x9FCB, 0xF900...0xFA6A, 0x2E80...0x2FD5,
        0xFF5F...0xFF9F, 0x31F0...0x31FF, 0x3220...0x3243, 0x3280...0x337F,
    ]

    @inline(__always) static func isCJK(_ c: UInt32) -> Bool {
        c >= 0x2E80 && cjkRanges.contains { $0.contains(c) }
    }

    /// Python's `\b` at position `p`: a word character on exactly one side.
    @inline(__always) static func isBoundary(_ t: UnsafeBufferPointer<UInt32>, _ p: Int) -> Bool {
        let before = p > 0 && isWordChar(t[p - 1])
        let after = p < t.count && isWordChar(t[p])
        return before != after
    }

    @inline(__always) static func isNewlineStart(_ t: UnsafeBufferPointer<UInt32>, _ p: Int) -> Bool {
        p < t.count && (t[p] == 0x0A || (t[p] == 0x0D && p + 1 < t.count && t[p + 1] == 0x0A))
    }

    /// Matches `(?:\n\r?|\r\n)` at `p` (greedy), returning the end.
    @inline(__always) static func newline(_ t: UnsafeBufferPointer<UInt32>, _ p: Int) -> Int? {
        guard p < t.count else { return nil }
        if t[p] == 0x0A { return p + 1 < t.count && t[p + 1] == 0x0D ? p + 2 : p + 1 }
        if t[p] == 0x0D, p + 1 < t.count, t[p + 1] == 0x0A { return p + 2 }
        return nil
    }

    /// Length of `literal` at `p`, if it is there.
    @inline(__always) static func hasPrefix(_ t: UnsafeBufferPointer<UInt32>, _ p: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard p + n <= t.count else { return false }
        let bytes = literal.utf8Start
        for k in 0..<n where t[p + k] != UInt32(bytes[k]) { return false }
        return true
    }

    @inline(__always) static func run(_ t: UnsafeBufferPointer<UInt32>, _ p: Int, of c: UInt32) -> Int {
        var e = p
        while e < t.count, t[e] == c { e += 1 }
        return e
    }

    // MARK: - The lexicon

    /// The first lexicon entry matching at `i`, and where its match ends.
    static func match(_ t: UnsafeBufferPointer<UInt32>, _ i: Int) -> (TokenType, Int) {
        let c = t[i]
        switch c {
        case 0x0A, 0x0D:
            if let e = lineBreak(t, i) { return (.break, e) }
            if c == 0x0A { return (.whitespace, t.count > i + 1 && t[i + 1] == 0x0D ? i + 2 : i + 1) }
            return (.etc, i + 1)
        case 0x3D: return (.equals, run(t, i, of: 0x3D))  // =
        case 0x7C: return (.bar, i + 1)  // | (bar precedes tab_close, which therefore never matches)
        case 0x26: return entity(t, i).map { (.entity, $0) } ?? (.etc, i + 1)  // &
        case 0x3C:  // <
            if let e = refOpen(t, i) { return (.refOpen, e) }
            if let e = refClose(t, i) { return (.refClose, e) }
            if let e = refSingleton(t, i) { return (.refSingleton, e) }
            if let e = tag(t, i) { return (.tag, e) }
            if hasPrefix(t, i, "<!--") { return (.commentStart, i + 4) }
            return (.etc, i + 1)
        case 0x27:  // '
            if hasPrefix(t, i, "'''") { return (.bold, i + 3) }
            if hasPrefix(t, i, "''") { return (.italic, i + 2) }
            return (.etc, i + 1)
        case 0x7B:  // {
            if hasPrefix(t, i, "{|") { return (.tabOpen, i + 2) }
            if hasPrefix(t, i, "{{") { return (.dcurlyOpen, i + 2) }
            return (.curlyOpen, i + 1)
        case 0x7D: return hasPrefix(t, i, "}}") ? (.dcurlyClose, i + 2) : (.curlyClose, i + 1)
        case 0x5B: return hasPrefix(t, i, "[[") ? (.dbrackOpen, i + 2) : (.brackOpen, i + 1)
        case 0x5D: return hasPrefix(t, i, "]]") ? (.dbrackClose, i + 2) : (.brackClose, i + 1)
        case 0x28: return (.parenOpen, i + 1)
        case 0x29: return (.parenClose, i + 1)
        case 0x2E: return (.period, run(t, i, of: 0x2E))
        case 0x3F: return (.qmark, run(t, i, of: 0x3F))
        case 0x21: return (.epoint, run(t, i, of: 0x21))
        case 0x2C: return (.comma, run(t, i, of: 0x2C))
        case 0x3A: return (.colon, run(t, i, of: 0x3A))
        case 0x3B: return (.scolon, run(t, i, of: 0x3B))
        case 0x2D: return hasPrefix(t, i, "-->") ? (.commentEnd, i + 3) : (.etc, i + 1)
        case 0x2F: return url(t, i).map { (.url, $0) } ?? (.etc, i + 1)  // '//' starts a url
        case 0x964, 0x965: return (.danda, i + 1)
        default: break
        }
        if isSpace(c) {  // [^\S\n\r]+ (\n and \r were handled above)
            var e = i + 1
            while e < t.count, t[e] != 0x0A, t[e] != 0x0D, isSpace(t[e]) { e += 1 }
            return (.whitespace, e)
        }
        // Only these letters start a protocol of the url entry (bitcoin, geo, magnet, mailto,
        // news, sip(s), tel, urn, http(s), ftp(s), git, gopher, irc(s), mms, nntp, redis, sftp,
        // ssh, svn, telnet, worldwind, xmpp).
        if Self.startsProtocol(c), let e = url(t, i) { return (.url, e) }
        if PythonUnicode.isDecimal(c) {
            var e = i + 1
            while e < t.count, PythonUnicode.isDecimal(t[e]) { e += 1 }
            return (.number, e)
        }
        if (0x3000...0x303F).contains(c) { return (.japanPunct, i + 1) }
        if isCJK(c) { return (.cjk, i + 1) }
        if isWordStart(c) { return (.word, word(t, i)) }
        return (.etc, i + 1)
    }

    /// `break`: `(?:\n\r?|\r\n)\s*(?:\n\r?|\r\n)+`. After the first newline, `\s*` backs off
    /// from the end of the whitespace run to the last place a newline starts; the newlines from
    /// there on end the match.
    static func lineBreak(_ t: UnsafeBufferPointer<UInt32>, _ i: Int) -> Int? {
        guard let a = newline(t, i) else { return nil }
        var b = a
        while b < t.count, isSpace(t[b]) { b += 1 }
        var p = b - 1
        while p >= a, !isNewlineStart(t, p) { p -= 1 }
        guard p >= a else { return nil }
        var e = p
        while let next = newline(t, e) { e = next }
        return e
    }

    /// Bit k set when ASCII code point k starts a protocol: b f g h i m n r s t u w x.
    static let protocolInitials: UInt128 = "bfghimnrstuwx".unicodeScalars.reduce(0) { $0 | (1 << UInt128($1.value)) }

    @inline(__always) static func startsProtocol(_ c: UInt32) -> Bool { c < 128 && protocolInitials & (1 << UInt128(c)) != 0 }

    /// `url`: a protocol then an address `[^\s/$.?#][^|<>\s{}]*`.
    static func url(_ t: UnsafeBufferPointer<UInt32>, _ i: Int) -> Int? {
        func address(_ p: Int) -> Int? {
            guard p < t.count else { return nil }
            let c = t[p]
            if isSpace(c) || c == 0x2F || c == 0x24 || c == 0x2E || c == 0x3F || c == 0x23 { return nil }
            var e = p + 1
            while e < t.count {
                let d = t[e]
                if d == 0x7C || d == 0x3C || d == 0x3E || d == 0x7B || d == 0x7D || isSpace(d) { break }
                e += 1
            }
            return e
        }
        func plain(_ proto: StaticString) -> Int? {
            let n = proto.utf8CodeUnitCount
            guard hasPrefix(t, i, proto), i + n < t.count, t[i + n] == 0x3A else { return nil }
            return address(i + n + 1)
        }
        func slashed(_ proto: StaticString) -> Int? {
            let n = proto.utf8CodeUnitCount
            guard hasPrefix(t, i, proto), hasPrefix(t, i + n, "://") else { return nil }
            return address(i + n + 3)
        }
        // PLAIN_PROTO ':' then (SLASHED_PROTO ':')? '//', in the lexicon's order (`sips?` tries
        // `sips` before `sip`), only the protocols that begin with the code point at `i`: most
        // words begin with one of these letters, and trying all 26 protocols cost a tenth of
        // tokenizing.
        switch t[i] {
        case 0x2F: return hasPrefix(t, i, "//") ? address(i + 2) : nil  // /
        case 0x62: return plain("bitcoin")  // b
        case 0x66: return slashed("ftp") ?? slashed("ftps")  // f
        case 0x67: return plain("geo") ?? slashed("git") ?? slashed("gopher")  // g
        case 0x68: return slashed("https") ?? slashed("http")  // h
        case 0x69: return slashed("ircs") ?? slashed("irc")  // i
        case 0x6D: return plain("magnet") ?? plain("mailto") ?? slashed("mms")  // m
        case 0x6E: return plain("news") ?? slashed("nntp")  // n
        case 0x72: return slashed("redis")  // r
        case 0x73: return plain("sips") ?? plain("sip") ?? slashed("sftp") ?? slashed("ssh") ?? slashed("svn")  // s
        case 0x74: return plain("tel") ?? slashed("telnet")  // t
        case 0x75: return plain("urn")  // u
        case 0x77: return slashed("worldwind")  // w
        case 0x78: return slashed("xmpp")  // x
        default: return nil
        }
    }

    /// `entity`: `&[a-z][a-z0-9]*;`.
    static func entity(_ t: UnsafeBufferPointer<UInt32>, _ i: Int) -> Int? {
        var p = i + 1
        guard p < t.count, (0x61...0x7A).contains(t[p]) else { return nil }
        p += 1
        while p < t.count, (0x61...0x7A).contains(t[p]) || (0x30...0x39).contains(t[p]) { p += 1 }
        return p < t.count && t[p] == 0x3B ? p + 1 : nil
    }

    /// The loop `(?:\/(?!>)|[^>\/])*` of the ref patterns: stops at `>` or at `/>`.
    static func refBody(_ t: UnsafeBufferPointer<UInt32>, _ p: Int) -> Int {
        var e = p
        while e < t.count {
            if t[e] == 0x3E { break }
            if t[e] == 0x2F, e + 1 < t.count, t[e + 1] == 0x3E { break }
            e += 1
        }
        return e
    }

    /// `ref_open`: `<ref\b(?:\/(?!>)|[^>\/])*>`.
    static func refOpen(_ t: UnsafeBufferPointer<UInt32>, _ i: Int) -> Int? {
        guard hasPrefix(t, i, "<ref"), isBoundary(t, i + 4) else { return nil }
        let e = refBody(t, i + 4)
        return e < t.count && t[e] == 0x3E ? e + 1 : nil
    }

    /// `ref_singleton`: `<ref\b(?:\/(?!>)|[^/>])*\/>`.
    static func refSingleton(_ t: UnsafeBufferPointer<UInt32>, _ i: Int) -> Int? {
        guard hasPrefix(t, i, "<ref"), isBoundary(t, i + 4) else { return nil }
        let e = refBody(t, i + 4)
        return hasPrefix(t, e, "/>") ? e + 2 : nil
    }

    /// `ref_close`: `</ref\b[^>]*>`.
    static func refClose(_ t: UnsafeBufferPointer<UInt32>, _ i: Int) -> Int? {
        guard hasPrefix(t, i, "</ref"), isBoundary(t, i + 5) else { return nil }
        var e = i + 5
        while e < t.count, t[e] != 0x3E { e += 1 }
        return e < t.count ? e + 1 : nil
    }

    /// `tag`: `</?([a-z][a-z0-9]*)\b[^>]*>`.
    static func tag(_ t: UnsafeBufferPointer<UInt32>, _ i: Int) -> Int? {
        var p = i + 1
        if p < t.count, t[p] == 0x2F { p += 1 }
        guard p < t.count, (0x61...0x7A).contains(t[p]) else { return nil }
        p += 1
        while p < t.count, (0x61...0x7A).contains(t[p]) || (0x30...0x39).contains(t[p]) { p += 1 }
        guard isBoundary(t, p) else { return nil }
        while p < t.count, t[p] != 0x3E { p += 1 }
        return p < t.count ? p + 1 : nil
    }

    /// `word`: a word start, word characters, then apostrophe groups
    /// `(?:['’](?:[\w…]+|(?=(?:$|\s))))*`.
    static func word(_ t: UnsafeBufferPointer<UInt32>, _ i: Int) -> Int {
        var p = i + 1
        while p < t.count, isWordBody(t[p]) { p += 1 }
        while p < t.count, t[p] == 0x27 || t[p] == 0x2019 {
            let q = p + 1
            if q < t.count, isWordBody(t[q]) {
                p = q + 1
                while p < t.count, isWordBody(t[p]) { p += 1 }
            } else if q == t.count || isSpace(t[q]) {
                p = q
            } else {
                break
            }
        }
        return p
    }
}
