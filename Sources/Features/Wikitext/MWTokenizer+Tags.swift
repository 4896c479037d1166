extension MWTokenizer {
    /// What `_parse` returns: a token stack, or for headings the title and its level.
    enum ParseResult {
        case tokens([WikiToken])
        case heading([WikiToken], Int)

        var tokens: [WikiToken] {
            switch self {
            case let .tokens(t), let .heading(t, _): return t
            }
        }
    }

    mutating func parse(_ ctx: UInt64 = 0, push: Bool = true) throws(BadRoute) -> [WikiToken] {
        try parseAny(ctx, push: push).tokens
    }

    // MARK: - Tags

    /// `tag_splitter.split(text)`: runs of whitespace, quotes and backslashes as separate chunks.
    static func splitTagText(_ text: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var currentIsSeparator: Bool? = nil
        for u in text.unicodeScalars {
            let sep = PythonUnicode.isSpace(u.value) || u == "\"" || u == "'" || u == "\\"
            if currentIsSeparator != sep, !current.isEmpty {
                out.append(String(current))
                current = String.UnicodeScalarView()
            }
            current.append(u)
            currentIsSeparator = sep
        }
        if !current.isEmpty { out.append(String(current)) }
        return out
    }

    static func isSpaceString(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { PythonUnicode.isSpace($0.value) }
    }

    mutating func pushTagBuffer(_ data: inout TagOpenData) {
        if data.context & TagOpenData.quoted != 0 {
            emitFirst(.tagAttrQuote)
            emitAll(pop())
        }
        emitFirst(.tagAttrStart)
        emitAll(pop())
        data.paddingFirst = ""
        data.paddingBeforeEq = ""
        data.paddingAfterEq = ""
    }

    mutating func handleTagSpace(_ data: inout TagOpenData, _ text: String) {
        let ctx = data.context
        let endOfValue = ctx & TagOpenData.attrValue != 0 && ctx & (TagOpenData.quoted | TagOpenData.noteQuote) == 0
        if endOfValue || (ctx & TagOpenData.quoted != 0 && ctx & TagOpenData.noteSpace != 0) {
            pushTagBuffer(&data)
            data.context = TagOpenData.attrReady
        } else if ctx & TagOpenData.noteSpace != 0 {
            data.context = TagOpenData.attrReady
        } else if ctx & TagOpenData.attrName != 0 {
            data.context |= TagOpenData.noteEquals
            data.paddingBeforeEq += text
        }
        if ctx & TagOpenData.quoted != 0 && ctx & TagOpenData.noteSpace == 0 {
            emitText(text)
        } else if data.context & TagOpenData.attrReady != 0 {
            data.paddingFirst += text
        } else if data.context & TagOpenData.attrValue != 0 {
            data.paddingAfterEq += text
        }
    }

    mutating func handleTagText(_ text: String) throws(BadRoute) {
        let nxt = read(1)
        if !canRecurse || !Self.isMarker(text) {
            emitText(text)
        } else if text == "{" && nxt == .m("{") {
            try parseTemplateOrArgument()
        } else if text == "[" && nxt == .m("[") {
            try parseWikilink()
        } else if text == "<" {
            try parseTag()
        } else {
            emitText(text)
        }
    }

    /// `_handle_tag_data`: the chunks of one text piece inside an open tag. A `return` ends the
    /// piece early, as in Python (after resetting to reparse a quoted value).
    mutating func handleTagData(_ data: inout TagOpenData, _ text: String) throws(BadRoute) {
        for chunk in Self.splitTagText(text) {
            if data.context & TagOpenData.name != 0 {
                if Self.isMarker(chunk) || Self.isSpaceString(chunk) { throw failRoute() }
                data.context = TagOpenData.noteSpace
            } else if Self.isSpaceString(chunk) {
                handleTagSpace(&data, chunk)
                continue
            } else if data.context & TagOpenData.noteSpace != 0 {
                if data.context & TagOpenData.quoted != 0 {
                    data.context = TagOpenData.attrValue
                    memoizeBadRoute()
                    _ = pop()
                    head = data.reset - 1  // will be auto-incremented
                    return
                }
                throw failRoute()
            } else if data.context & TagOpenData.attrReady != 0 {
                data.context = TagOpenData.attrName
                try push(C.tagAttr)
            } else if data.context & TagOpenData.attrName != 0 {
                if chunk == "=" {
                    data.context = TagOpenData.attrValue | TagOpenData.noteQuote
                    emit(.tagAttrEquals)
                    continue
                }
                if data.context & TagOpenData.noteEquals != 0 {
                    pushTagBuffer(&data)
                    data.context = TagOpenData.attrName
                    try push(C.tagAttr)
                }
            } else {  // attrValue
                let escaped = read(-1) == .m("\\") && read(-2) != .m("\\")
                if data.context & TagOpenData.noteQuote != 0 {
                    data.context ^= TagOpenData.noteQuote
                    if (chunk == "'" || chunk == "\"") && !escaped {
                        data.context |= TagOpenData.quoted
                        data.quoter = chunk
                        data.reset = head
                        do throws(BadRoute) {
                            try push(context)
                        } catch {
                            data.context = TagOpenData.attrValue
                            head -= 1
                            return
                        }
                        continue
                    }
                } else if data.context & TagOpenData.quoted != 0 {
                    if chunk == data.quoter && !escaped {
                        data.context |= TagOpenData.noteSpace
                        continue
                    }
                }
            }
            try handleTagText(chunk)
        }
    }

    mutating func handleTagCloseOpen(_ data: inout TagOpenData, selfClosing: Bool) {
        if data.context & (TagOpenData.attrName | TagOpenData.attrValue) != 0 { pushTagBuffer(&data) }
        let padding = wikiText(data.paddingFirst)
        emit(selfClosing ? .tagCloseSelfclose(padding: padding, implicit: false) : .tagCloseOpen(padding: padding))
        head += 1
    }

    mutating func handleTagOpenClose() throws(BadRoute) {
        emit(.tagOpenClose)
        try push(C.tagClose)
        head += 1
    }

    /// The tag name Text token at index 1 of the current stack.
    var tagNameText: String? {
        guard stack.count > 1, case let .text(t) = stack[1] else { return nil }
        return string(t)
    }

    static func stripLower(_ s: String) -> String {
        var scalars = Array(s.unicodeScalars)
        while let last = scalars.last, PythonUnicode.isSpace(last.value) { scalars.removeLast() }
        return PythonUnicode.lowercased(String(String.UnicodeScalarView(scalars)))
    }

    mutating func handleTagCloseClose() throws(BadRoute) -> [WikiToken] {
        let closing = pop()
        guard closing.count == 1, case let .text(t) = closing[0], let name = tagNameText,
              Self.same(Self.stripLower(string(t)), Self.stripLower(name))
        else { throw failRoute() }
        emitAll(closing)
        emit(.tagCloseClose)
        return pop()
    }

    mutating func handleBlacklistedTag() throws(BadRoute) -> [WikiToken] {
        while true {
            let this = read(), nxt = read(1)
            if this == .end {
                throw failRoute()
            } else if this == .m("<") && nxt == .m("/") {
                head += 3
                if read() != .m(">") || !Self.same(Self.stripLower(string(read(-1)) ?? ""), Self.stripLower(tagNameText ?? "")) {
                    head -= 1
                    emitText("</")
                    continue
                }
                emit(.tagOpenClose)
                emitPiece(-1)
                emit(.tagCloseClose)
                return pop()
            } else if this == .m("&") {
                try parseEntity()
            } else {
                emitPiece()
            }
            head += 1
        }
    }

    mutating func handleSingleOnlyTagEnd() -> [WikiToken] {
        var padding = WikiText.empty
        if case let .tagCloseOpen(p)? = top.stack.popLast() { padding = p }
        emit(.tagCloseSelfclose(padding: padding, implicit: true))
        head -= 1
        return pop()
    }

    mutating func handleSingleTagEnd() -> [WikiToken] {
        var depth = 1
        var index = -1
        for i in 2..<max(2, stack.count) {
            switch stack[i] {
            case .tagOpenOpen: depth += 1
            case .tagCloseOpen:
                depth -= 1
                if depth == 0 { index = i }
            case .tagCloseSelfclose: depth -= 1
            default: break
            }
            if index >= 0 { break }
        }
        if index >= 0, case let .tagCloseOpen(padding) = stack[index] {
            top.stack[index] = .tagCloseSelfclose(padding: padding, implicit: true)
        }
        return pop()
    }

    mutating func reallyParseTag() throws(BadRoute) -> [WikiToken] {
        var data = TagOpenData()
        try push(C.tagOpen)
        emit(.tagOpenOpen(wikiMarkup: nil, invalid: false))
        while true {
            let this = read(), nxt = read(1)
            let canExit = data.context & (TagOpenData.quoted | TagOpenData.name) == 0 || data.context & TagOpenData.noteSpace != 0
            if this == .end {
                if context & C.tagAttr != 0 {
                    if data.context & TagOpenData.quoted != 0 {
                        data.context = TagOpenData.attrValue
                        memoizeBadRoute()
                        _ = pop()
                        head = data.reset
                        continue
                    }
                    _ = pop()
                }
                throw failRoute()
            } else if this == .m(">") && canExit {
                handleTagCloseOpen(&data, selfClosing: false)
                context = C.tagBody
                let name = tagNameText ?? ""
                if WikiDefinitions.isSingleOnly(name) { return handleSingleOnlyTagEnd() }
                if WikiDefinitions.isParsable(name) { return try parse(push: false) }
                return try handleBlacklistedTag()
            } else if this == .m("/") && nxt == .m(">") && canExit {
                handleTagCloseOpen(&data, selfClosing: true)
                return pop()
            } else {
                try handleTagData(&data, string(this) ?? "")
            }
            head += 1
        }
    }

    mutating func handleInvalidTagStart() throws(BadRoute) {
        let reset = head + 1
        head += 2
        do throws(BadRoute) {
            let first = Self.splitTagText(string(read()) ?? "").first ?? ""
            if !WikiDefinitions.isSingleOnly(first) { throw BadRoute(context: 0) }
            var tag = try reallyParseTag()
            if case let .tagOpenOpen(markup, _) = tag[0] { tag[0] = .tagOpenOpen(wikiMarkup: markup, invalid: true) }
            emitAll(tag)
        } catch {
            head = reset
            emitText("</")
        }
    }

    mutating func parseTag() throws(BadRoute) {
        let reset = head
        head += 1
        do throws(BadRoute) {
            let tag = try reallyParseTag()
            emitAll(tag)
        } catch {
            head = reset
            emitText("<")
        }
    }

    // MARK: - Bold and italics

    mutating func emitStyleTag(_ tag: String, _ markup: String, _ body: [WikiToken]) {
        emit(.tagOpenOpen(wikiMarkup: wikiText(markup), invalid: false))
        emitText(tag)
        emit(.tagCloseOpen(padding: .empty))
        emitAll(body)
        emit(.tagOpenClose)
        emitText(tag)
        emit(.tagCloseClose)
    }

    mutating func parseItalics() throws(BadRoute) {
        let reset = head
        var stack: [WikiToken]
        do throws(BadRoute) {
            stack = try parse(C.styleItalics)
        } catch {
            head = reset
            if error.context & C.stylePassAgain != 0 {
                do throws(BadRoute) {
                    stack = try parse(C.styleItalics | C.styleSecondPass)
                } catch {
                    head = reset
                    emitText("''")
                    return
                }
            } else {
                emitText("''")
                return
            }
        }
        emitStyleTag("i", "''", stack)
    }

    mutating func parseBold() throws(BadRoute) -> Bool {
        let reset = head
        do throws(BadRoute) {
            let stack = try parse(C.styleBold)
            emitStyleTag("b", "'''", stack)
        } catch {
            head = reset
            if context & C.styleSecondPass != 0 {
                emitText("'")
                return true
            }
            if context & C.styleItalics != 0 {
                context |= C.stylePassAgain
                emitText("'''")
            } else {
                emitText("'")
                try parseItalics()
            }
        }
        return false
    }

    mutating func parseItalicsAndBold() throws(BadRoute) {
        var reset = head
        do throws(BadRoute) {
            let stack = try parse(C.styleBold)
            reset = head
            do throws(BadRoute) {
                let stack2 = try parse(C.styleItalics)
                try push()
                emitStyleTag("b", "'''", stack)
                emitAll(stack2)
                emitStyleTag("i", "''", pop())
            } catch {
                head = reset
                emitText("''")
                emitStyleTag("b", "'''", stack)
            }
        } catch {
            head = reset
            do throws(BadRoute) {
                let stack = try parse(C.styleItalics)
                reset = head
                do throws(BadRoute) {
                    let stack2 = try parse(C.styleBold)
                    try push()
                    emitStyleTag("i", "''", stack)
                    emitAll(stack2)
                    emitStyleTag("b", "'''", pop())
                } catch {
                    head = reset
                    emitText("'''")
                    emitStyleTag("i", "''", stack)
                }
            } catch {
                head = reset
                emitText("'''''")
            }
        }
    }

    /// Returns a stack when the style context ends here.
    mutating func parseStyle() throws(BadRoute) -> [WikiToken]? {
        head += 2
        var ticks = 2
        while read() == .m("'") {
            head += 1
            ticks += 1
        }
        let italics = context & C.styleItalics != 0
        let bold = context & C.styleBold != 0
        if ticks > 5 {
            emitText(String(repeating: "'", count: ticks - 5))
            ticks = 5
        } else if ticks == 4 {
            emitText("'")
            ticks = 3
        }
        if (italics && (ticks == 2 || ticks == 5)) || (bold && (ticks == 3 || ticks == 5)) {
            if ticks == 5 { head -= italics ? 3 : 2 }
            return pop()
        }
        if !canRecurse {
            if ticks == 3 {
                if context & C.styleSecondPass != 0 {
                    emitText("'")
                    return pop()
                }
                if context & C.styleItalics != 0 { context |= C.stylePassAgain }
            }
            emitText(String(repeating: "'", count: ticks))
        } else if ticks == 2 {
            try parseItalics()
        } else if ticks == 3 {
            if try parseBold() { return pop() }
        } else {
            try parseItalicsAndBold()
        }
        head -= 1
        return nil
    }

    // MARK: - Lists, rules, definition terms

    mutating func handleListMarker() {
        let markup = string(read()) ?? ""
        if markup == ";" { context |= C.dlTerm }
        emit(.tagOpenOpen(wikiMarkup: wikiText(markup), invalid: false))
        emitText(WikiDefinitions.htmlTag(markup))
        emit(.tagCloseSelfclose(padding: .empty, implicit: false))
    }

    mutating func handleList() {
        handleListMarker()
        while [Piece.m("#"), .m("*"), .m(";"), .m(":")].contains(read(1)) {
            head += 1
            handleListMarker()
        }
    }

    mutating func handleHR() {
        var length = 4
        head += 3
        while read(1) == .m("-") {
            length += 1
            head += 1
        }
        emit(.tagOpenOpen(wikiMarkup: wikiText(String(repeating: "-", count: length)), invalid: false))
        emitText("hr")
        emit(.tagCloseSelfclose(padding: .empty, implicit: false))
    }

    mutating func handleDLTerm() {
        context ^= C.dlTerm
        if read() == .m(":") {
            handleListMarker()
        } else {
            emitText("\n")
        }
    }
}
