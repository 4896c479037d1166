extension MWTokenizer {
    typealias C = WikiContext

    // MARK: - Templates and arguments

    mutating func parseTemplate(hasContent: Bool) throws(BadRoute) {
        let reset = head
        var ctx = C.templateName
        if hasContent { ctx |= C.hasTemplate }
        let template: [WikiToken]
        do throws(BadRoute) {
            template = try parse(ctx)
        } catch {
            head = reset
            throw error
        }
        emitFirst(.templateOpen)
        emitAll(template)
        emit(.templateClose)
    }

    mutating func parseArgument() throws(BadRoute) {
        let reset = head
        let argument: [WikiToken]
        do throws(BadRoute) {
            argument = try parse(C.argumentName)
        } catch {
            head = reset
            throw error
        }
        emitFirst(.argumentOpen)
        emitAll(argument)
        emit(.argumentClose)
    }

    mutating func parseTemplateOrArgument() throws(BadRoute) {
        head += 2
        var braces = 2
        while read() == .m("{") {
            head += 1
            braces += 1
        }
        var hasContent = false
        try push()
        while braces > 0 {
            if braces == 1 {
                emitTextThenStack("{")
                return
            }
            if braces == 2 {
                do throws(BadRoute) {
                    try parseTemplate(hasContent: hasContent)
                } catch {
                    emitTextThenStack("{{")
                    return
                }
                break
            }
            do throws(BadRoute) {
                try parseArgument()
                braces -= 3
            } catch {
                do throws(BadRoute) {
                    try parseTemplate(hasContent: hasContent)
                    braces -= 2
                } catch {
                    emitTextThenStack(String(repeating: "{", count: braces))
                    return
                }
            }
            if braces > 0 {
                hasContent = true
                head += 1
            }
        }
        emitAll(pop())
        if context & C.failNext != 0 { context ^= C.failNext }
    }

    mutating func handleTemplateParam() throws(BadRoute) {
        if context & C.templateName != 0 {
            if context & (C.hasText | C.hasTemplate) == 0 { throw failRoute() }
            context ^= C.templateName
        } else if context & C.templateParamValue != 0 {
            context ^= C.templateParamValue
        } else {
            emitAll(pop())
        }
        context |= C.templateParamKey
        emit(.templateParamSeparator)
        try push(context)
    }

    mutating func handleTemplateParamValue() {
        emitAll(pop())
        context ^= C.templateParamKey
        context |= C.templateParamValue
        emit(.templateParamEquals)
    }

    mutating func handleTemplateEnd() throws(BadRoute) -> [WikiToken] {
        if context & C.templateName != 0 {
            if context & (C.hasText | C.hasTemplate) == 0 { throw failRoute() }
        } else if context & C.templateParamKey != 0 {
            emitAll(pop())
        }
        head += 1
        return pop()
    }

    mutating func handleArgumentSeparator() {
        context ^= C.argumentName
        context |= C.argumentDefault
        emit(.argumentSeparator)
    }

    mutating func handleArgumentEnd() -> [WikiToken] {
        head += 2
        return pop()
    }

    // MARK: - Links

    mutating func parseWikilink() throws(BadRoute) {
        let reset = head + 1
        head += 2
        do throws(BadRoute) {
            let (link, _) = try reallyParseExternalLink(brackets: true)
            if context & C.extLinkTitle != 0 {
                head = reset
                emitText("[[")
                return
            }
            emitText("[")
            emit(.externalLinkOpen(brackets: true))
            emitAll(link)
            emit(.externalLinkClose)
        } catch {
            head = reset + 1
            do throws(BadRoute) {
                let wikilink = try parse(C.wikilinkTitle)
                emit(.wikilinkOpen)
                emitAll(wikilink)
                emit(.wikilinkClose)
            } catch {
                head = reset
                emitText("[[")
            }
        }
    }

    mutating func handleWikilinkSeparator() {
        context ^= C.wikilinkTitle
        context |= C.wikilinkText
        emit(.wikilinkSeparator)
    }

    mutating func handleWikilinkEnd() -> [WikiToken] {
        head += 1
        return pop()
    }

    /// `all(char in URISCHEME for char in this)` for a piece (never empty; false for START
    /// and END), on its code points: every wikilink is first tried as a bracketed URI, whose
    /// scheme test then fails on the link's title.
    func allSchemeChars(_ p: Piece) -> Bool {
        switch p {
        case .start, .end: return false
        case let .m(c): return Self.isSchemeCharacter(c.value)
        case let .text(k): return codePoints(piece: Int(k)).allSatisfy(Self.isSchemeCharacter)
        }
    }

    mutating func parseBracketedURIScheme() throws(BadRoute) {
        try push(C.extLinkURI)
        if read() == .m("/") && read(1) == .m("/") {
            emitText("//")
            head += 2
        } else {
            var scheme = ""
            while allSchemeChars(read()) {
                scheme += string(read()) ?? ""
                emitPiece()
                head += 1
            }
            if read() != .m(":") { throw failRoute() }
            emitText(":")
            head += 1
            let slashes = read() == .m("/") && read(1) == .m("/")
            if slashes {
                emitText("//")
                head += 2
            }
            if !WikiDefinitions.isScheme(scheme, slashes: slashes) { throw failRoute() }
        }
    }

    mutating func parseFreeURIScheme() throws(BadRoute) {
        // Python walks code points (`for char in reversed(chunk)`), not grapheme clusters.
        var scheme = String.UnicodeScalarView()
        for c in texts.codePoints(textbuffer).reversed() {
            guard let u = Unicode.Scalar(c) else { break }
            // Stop at the first non-word character.
            if !PythonUnicode.isWord(u.value) { break }
            guard Self.isSchemeCharacter(u.value) else { throw BadRoute(context: 0) }
            scheme.append(u)
        }
        let s = String(String.UnicodeScalarView(scheme.reversed()))
        let slashes = read() == .m("/") && read(1) == .m("/")
        if !WikiDefinitions.isScheme(s, slashes: slashes) { throw BadRoute(context: 0) }
        try push(context | C.extLinkURI)
        emitText(s)
        emitText(":")
        if slashes {
            emitText("//")
            head += 2
        }
    }

    /// `_handle_free_link_text`, over code points as Python indexes strings.
    mutating func handleFreeLinkText(_ punct0: [Unicode.Scalar], _ tail0: String, _ this0: String) -> ([Unicode.Scalar], String) {
        var punct = punct0, tail = tail0, this = this0
        let chars = Array(this.unicodeScalars)
        if chars.contains("("), punct.contains(")") { punct.removeLast() }  // ")" is the last: no longer punctuation
        if let last = chars.last, punct.contains(last) {
            var i = 0
            var k = chars.count - 1
            while k > 0 {
                if !punct.contains(chars[k - 1]) {
                    i = k
                    break
                }
                k -= 1
            }
            let stripped = String(String.UnicodeScalarView(chars[..<i]))
            if !stripped.isEmpty && !tail.isEmpty {
                emitText(tail)
                tail = ""
            }
            tail += String(String.UnicodeScalarView(chars[i...]))
            this = stripped
        } else if !tail.isEmpty {
            emitText(tail)
            tail = ""
        }
        emitText(this)
        return (punct, tail)
    }

    /// `s.split(" ", 1)` when `s` holds a space: split at the first U+0020 code point (Swift's
    /// `split(separator:)` and `contains(_:)` on `String` compare grapheme clusters, so a space
    /// before a combining mark would not count).
    static func splitAtFirstSpace(_ s: String) -> (String, String)? { splitOnce(s, at: 0x20) }

    /// `s.split(c, 1)[0]` for an ASCII code point `c`.
    static func beforeFirst(_ c: UInt8, in s: String) -> String { splitOnce(s, at: c)?.0 ?? s }

    /// `s.split(c, 1)` when `s` holds the ASCII code point `c` (found as its UTF-8 byte, which
    /// no other code point's encoding contains).
    static func splitOnce(_ s: String, at c: UInt8) -> (String, String)? {
        let utf8 = s.utf8
        guard let i = utf8.firstIndex(of: c) else { return nil }
        return (String(decoding: utf8[..<i], as: UTF8.self), String(decoding: utf8[utf8.index(after: i)...], as: UTF8.self))
    }

    func isURIEnd(_ this: Piece, _ nxt: Piece) -> Bool {
        let after = read(2), ctx = context
        if this == .end || this == .m("\n") || this == .m("[") || this == .m("]") || this == .m("<") || this == .m(">")
            || this == .m("\"") { return true }
        if contains(this, " ") { return true }
        if this == .m("'") && nxt == .m("'") { return true }
        if this == .m("|") && ctx & C.template != 0 { return true }
        if this == .m("=") && ctx & (C.templateParamKey | C.heading) != 0 { return true }
        if this == .m("}") && nxt == .m("}") && ctx & C.template != 0 { return true }
        if this == .m("}") && nxt == .m("}") && after == .m("}") && ctx & C.argument != 0 { return true }
        return false
    }

    mutating func reallyParseExternalLink(brackets: Bool) throws(BadRoute) -> ([WikiToken], String?) {
        let invalid: [String]
        var punct: [Unicode.Scalar]
        if brackets {
            try parseBracketedURIScheme()
            invalid = ["\n", " ", "]"]
            punct = []
        } else {
            try parseFreeURIScheme()
            invalid = ["\n", " ", "[", "]"]
            punct = Array(",;\\.:!?)".unicodeScalars)
        }
        // `this[0] in invalid`: the first code point (" " plus a combining mark is one Character).
        guard let first = string(read()), let f = first.unicodeScalars.first, !invalid.contains(String(f)) else { throw failRoute() }
        var tail = ""
        while true {
            let this = read(), nxt = read(1)
            if this == .m("&") {
                if !tail.isEmpty { emitText(tail); tail = "" }
                try parseEntity()
            } else if this == .m("<") && nxt == .m("!") && read(2) == .m("-") && read(3) == .m("-") {
                if !tail.isEmpty { emitText(tail); tail = "" }
                try parseComment()
            } else if this == .m("{") && nxt == .m("{") && canRecurse {
                if !tail.isEmpty { emitText(tail); tail = "" }
                try parseTemplateOrArgument()
            } else if brackets {
                if this == .end || this == .m("\n") { throw failRoute() }
                if this == .m("]") { return (pop(), nil) }
                if isURIEnd(this, nxt) {
                    if let v = string(this), let (before, after) = Self.splitAtFirstSpace(v) {
                        emitText(before)
                        emit(.externalLinkSeparator)
                        if !after.isEmpty { emitText(after) }
                        head += 1
                    } else {
                        emit(.externalLinkSeparator)
                    }
                    context ^= C.extLinkURI
                    context |= C.extLinkTitle
                    return (try parse(push: false), nil)
                }
                emitPiece()
            } else {
                if isURIEnd(this, nxt) {
                    if this != .end, let v = string(this), let (before, after) = Self.splitAtFirstSpace(v) {
                        (punct, tail) = handleFreeLinkText(punct, tail, before)
                        tail += " " + after
                    } else {
                        head -= 1
                    }
                    return (pop(), tail)
                }
                (punct, tail) = handleFreeLinkText(punct, tail, string(this) ?? "")
            }
            head += 1
        }
    }

    mutating func removeURISchemeFromTextbuffer(_ scheme: String) {
        // Python drops len(scheme) code points from the end of the buffered text, popping the
        // chunks it empties: when that is all of them, nothing is buffered any more.
        let buffer = textbuffer
        textbuffer.end -= Int32(min(scheme.unicodeScalars.count, buffer.count))
        if textbuffer.isEmpty { top.buffered = false }
    }

    mutating func parseExternalLink(brackets: Bool) throws(BadRoute) {
        if context & C.noExtLinks != 0 || !canRecurse {
            if !brackets && context & C.dlTerm != 0 {
                handleDLTerm()
            } else {
                emitPiece()
            }
            return
        }
        let reset = head
        head += 1
        do throws(BadRoute) {
            let (link, extra) = try reallyParseExternalLink(brackets: brackets)
            if !brackets, case let .text(t)? = link.first {
                removeURISchemeFromTextbuffer(Self.beforeFirst(0x3A, in: string(t)))  // t.split(":", 1)[0]
            }
            emit(.externalLinkOpen(brackets: brackets))
            emitAll(link)
            emit(.externalLinkClose)
            if let extra, !extra.isEmpty { emitText(extra) }
        } catch {
            head = reset
            if !brackets && context & C.dlTerm != 0 {
                handleDLTerm()
            } else {
                emitPiece()
            }
        }
    }

    // MARK: - Headings, entities, comments

    mutating func parseHeading() throws(BadRoute) {
        global |= C.globalHeading
        defer { global ^= C.globalHeading }
        let reset = head
        head += 1
        var best = 1
        while read() == .m("=") {
            best += 1
            head += 1
        }
        let ctx = C.headingLevel1 << UInt64(min(best - 1, 5))
        do throws(BadRoute) {
            let (title, level) = try parseHeadingBody(ctx)
            emit(.headingStart(level: level))
            if level < best { emitText(String(repeating: "=", count: best - level)) }
            emitAll(title)
            emit(.headingEnd)
        } catch {
            head = reset + best - 1
            emitText(String(repeating: "=", count: best))
        }
    }

    /// `_parse(context)` for a heading, which returns (title, level) from `_handle_heading_end`.
    mutating func parseHeadingBody(_ ctx: UInt64, push: Bool = true) throws(BadRoute) -> ([WikiToken], Int) {
        let result = try parseAny(ctx, push: push)
        guard case let .heading(tokens, level) = result else { return (result.tokens, 1) }
        return (tokens, level)
    }

    mutating func handleHeadingEnd() throws(BadRoute) -> ParseResult {
        let reset = head
        head += 1
        var best = 1
        while read() == .m("=") {
            best += 1
            head += 1
        }
        // int(log(context / HEADING_LEVEL_1, 2)) + 1: the level bit of the current heading.
        let ratio = context / C.headingLevel1
        var current = 0
        var r = ratio
        while r > 1 { r >>= 1; current += 1 }
        current += 1
        let level = min(current, min(best, 6))
        do throws(BadRoute) {
            let (after, afterLevel) = try parseHeadingBody(context)
            emitText(String(repeating: "=", count: best))
            emitAll(after)
            return .heading(pop(), afterLevel)
        } catch {
            if level < best { emitText(String(repeating: "=", count: best - level)) }
            head = reset + best - 1
            return .heading(pop(), level)
        }
    }

    mutating func reallyParseEntity() throws(BadRoute) {
        emit(.htmlEntityStart)
        head += 1
        var this = try readStrict()
        var numeric = false, hexadecimal = false
        // Code points throughout, as Python: `this[0]`, `this[1:]`, `c in valid` (Characters
        // would take "\u{212A}" (KELVIN SIGN) for "K" and "x" + a combining mark for no "x").
        if Self.same(this, "#") {
            numeric = true
            emit(.htmlEntityNumeric)
            head += 1
            this = try readStrict()
            if let f = this.unicodeScalars.first, Self.same(PythonUnicode.lowercased(String(f)), "x") {
                hexadecimal = true
                emit(.htmlEntityHex)
                this = String(this.unicodeScalars.dropFirst())
                if this.isEmpty { throw failRoute() }
            }
        }
        let isValid: (Unicode.Scalar) -> Bool = { c in
            if hexadecimal { return c.properties.isASCIIHexDigit }
            if numeric { return c.value >= 0x30 && c.value <= 0x39 }
            return c.isASCII && (c.properties.isAlphabetic || (c.value >= 0x30 && c.value <= 0x39))
        }
        if !this.unicodeScalars.allSatisfy(isValid) { throw failRoute() }
        head += 1
        if read() != .m(";") { throw failRoute() }
        if numeric {
            // int(this) can be huge; anything beyond 0x10FFFF fails, as does 0.
            let digits = this.drop { $0 == "0" }
            guard digits.count <= 8, let test = Int(digits.isEmpty ? "0" : String(digits), radix: hexadecimal ? 16 : 10),
                  test >= 1, test <= 0x10FFFF
            else { throw failRoute() }
        } else if !WikiDefinitions.entityNames.contains(this) {  // `this` is ASCII: no canonical twins
            throw failRoute()
        }
        emit(.text(wikiText(this)))
        emit(.htmlEntityEnd)
    }

    mutating func parseEntity() throws(BadRoute) {
        let reset = head
        do throws(BadRoute) {
            try push(C.htmlEntity)
            try reallyParseEntity()
            emitAll(pop())
        } catch {
            head = reset
            emitPiece()
        }
    }

    mutating func parseComment() throws(BadRoute) {
        head += 4
        let reset = head - 1
        try push()
        let start = head
        // A scan that found no "-->" before the end, from here or from before, finds none now:
        // go straight to the end, as reading on would (the scan has no other effect), so that
        // unclosed comments cost one scan in all, not one each (Python's scans from every "<!--").
        if remembersUnclosedComments && head >= unclosedCommentFrom { head = text.count }
        while true {
            let this = read()
            if this == .end {
                unclosedCommentFrom = min(unclosedCommentFrom, start)
                _ = pop()
                head = reset
                emitText("<!--")
                return
            }
            if this == .m("-") && read(1) == .m("-") && read(2) == .m(">") {
                emitFirst(.commentStart)
                emit(.commentEnd)
                emitAll(pop())
                head += 2
                if context & C.failNext != 0 { context ^= C.failNext }
                return
            }
            emitPiece()
            head += 1
        }
    }
}
