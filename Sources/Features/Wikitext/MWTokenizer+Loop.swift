extension MWTokenizer {
    // MARK: - Tables

    mutating func emitTableTag(_ openOpenMarkup: String, _ tag: String, _ style: [WikiToken], _ padding: String,
                               _ closeOpenMarkup: String?, _ contents: [WikiToken], _ openCloseMarkup: String) {
        emit(.tagOpenOpen(wikiMarkup: wikiText(openOpenMarkup), invalid: false))
        emitText(tag)
        if !style.isEmpty { emitAll(style) }
        emit(.tagCloseOpen(padding: wikiText(padding)))
        if !contents.isEmpty { emitAll(contents) }
        emit(.tagOpenClose)
        emitText(tag)
        emit(.tagCloseClose)
    }

    mutating func handleTableStyle(_ endToken: String) throws(BadRoute) -> String {
        var data = TagOpenData()
        data.context = TagOpenData.attrReady
        let endPiece = Piece.marker(endToken)
        while true {
            let this = read()
            let canExit = data.context & TagOpenData.quoted == 0 || data.context & TagOpenData.noteSpace != 0
            if this == endPiece && canExit {
                if data.context & (TagOpenData.attrName | TagOpenData.attrValue) != 0 { pushTagBuffer(&data) }
                if isSpace(this) { data.paddingFirst += string(this) ?? "" }
                return data.paddingFirst
            }
            if this == .end || this == endPiece {
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
            } else {
                try handleTagData(&data, string(this) ?? "")
            }
            head += 1
        }
    }

    mutating func parseTable() throws(BadRoute) {
        let reset = head
        head += 2
        let padding: String
        do throws(BadRoute) {
            try push(C.tableOpen)
            padding = try handleTableStyle("\n")
        } catch {
            head = reset
            emitText("{")
            return
        }
        let style = pop()
        head += 1
        let restorePoint = stackIdent
        let table: [WikiToken]
        do throws(BadRoute) {
            table = try parse(C.tableOpen)
        } catch {
            while stackIdent != restorePoint {
                memoizeBadRoute()
                _ = pop()
            }
            head = reset
            emitText("{")
            return
        }
        emitTableTag("{|", "table", style, padding, nil, table, "|}")
        head -= 1
    }

    mutating func handleTableRow() throws(BadRoute) {
        head += 2
        if !canRecurse {
            emitText("|-")
            head -= 1
            return
        }
        try push(C.tableOpen | C.tableRowOpen)
        let padding = try handleTableStyle("\n")
        let style = pop()
        head += 1
        let row = try parse(C.tableOpen | C.tableRowOpen)
        emitTableTag("|-", "tr", style, padding, nil, row, "")
        head -= 1
    }

    mutating func handleTableCell(_ markup: String, _ tag: String, _ lineContext: UInt64) throws(BadRoute) {
        let oldContext = context
        var padding = "", style: [WikiToken] = []
        head += markup.count
        let reset = head
        if !canRecurse {
            emitText(markup)
            head -= 1
            return
        }
        var cell = try parse(C.tableOpen | C.tableCellOpen | lineContext | C.tableCellStyle)
        var cellContext = context
        context = oldContext
        let resetForStyle = cellContext & C.tableCellStyle != 0
        if resetForStyle {
            head = reset
            try push(C.tableOpen | C.tableCellOpen | lineContext)
            padding = try handleTableStyle("|")
            style = pop()
            head += 1
            cell = try parse(C.tableOpen | C.tableCellOpen | lineContext)
            cellContext = context
            context = oldContext
        }
        emitTableTag(markup, tag, style, padding, resetForStyle ? "|" : nil, cell, "")
        context |= cellContext & (C.tableTHLine | C.tableTDLine)
        head -= 1
    }

    mutating func handleTableCellEnd(resetForStyle: Bool = false) -> [WikiToken] {
        if resetForStyle { context |= C.tableCellStyle } else { context &= ~C.tableCellStyle }
        return pop(keepContext: true)
    }

    mutating func handleTableEnd() -> [WikiToken] {
        head += 2
        return pop()
    }

    // MARK: - End and safety

    mutating func handleEnd() throws(BadRoute) -> [WikiToken] {
        if context & C.fail != 0 {
            if context & C.tagBody != 0, WikiDefinitions.isSingle(tagNameText ?? "") { return handleSingleTagEnd() }
            if context & C.tableCellOpen != 0 { _ = pop() }
            if context & C.double != 0 { _ = pop() }
            throw failRoute()
        }
        return pop()
    }

    mutating func verifySafe(_ this: Piece) -> Bool {
        let ctx = context
        if ctx & C.failNext != 0 { return false }
        if ctx & C.wikilinkTitle != 0 {
            if this == .m("]") || this == .m("{") {
                context |= C.failNext
            } else if this == .m("\n") || this == .m("[") || this == .m("}") || this == .m(">") {
                return false
            } else if this == .m("<") {
                if read(1) == .m("!") { context |= C.failNext } else { return false }
            }
            return true
        }
        if ctx & C.extLinkTitle != 0 { return this != .m("\n") }
        if ctx & C.templateName != 0 {
            if this == .m("{") {
                context |= C.hasTemplate | C.failNext
                return true
            }
            if this == .m("}") || (this == .m("<") && read(1) == .m("!")) {
                context |= C.failNext
                return true
            }
            if this == .m("[") || this == .m("]") || this == .m("<") || this == .m(">") { return false }
            if this == .m("|") { return true }
            if ctx & C.hasText != 0 {
                if ctx & C.failOnText != 0 {
                    if this == .end || !isSpace(this) { return false }
                } else if this == .m("\n") {
                    context |= C.failOnText
                }
            } else if this == .end || !isSpace(this) {
                context |= C.hasText
            }
            return true
        }
        if ctx & C.tagClose != 0 { return this != .m("<") }
        if ctx & C.failOnEquals != 0 {
            if this == .m("=") { return false }
        } else if ctx & C.failOnLBrace != 0 {
            if this == .m("{") || (read(-1) == .m("{") && read(-2) == .m("{")) {
                if ctx & C.template != 0 { context |= C.failOnEquals } else { context |= C.failNext }
                return true
            }
            context ^= C.failOnLBrace
        } else if ctx & C.failOnRBrace != 0 {
            if this == .m("}") {
                context |= C.failNext
                return true
            }
            context ^= C.failOnRBrace
        } else if this == .m("{") {
            context |= C.failOnLBrace
        } else if this == .m("}") {
            context |= C.failOnRBrace
        }
        return true
    }

    // MARK: - The main loop (`_parse`)

    mutating func parseAny(_ ctx: UInt64 = 0, push doPush: Bool = true) throws(BadRoute) -> ParseResult {
        if doPush { try push(ctx) }
        while true {
            if frameCount == 1, rootStates != nil || join != nil, let joined = atRoot() { return .tokens(joined) }
            let this = read()
            if context & C.unsafe != 0 {
                if !verifySafe(this) {
                    if context & C.double != 0 { _ = pop() }
                    throw failRoute()
                }
            }
            if !this.isMarker {
                emitPiece()
                head += 1
                continue
            }
            if this == .end { return .tokens(try handleEnd()) }
            let nxt = read(1)
            if this == .m("{") && nxt == .m("{") {
                if canRecurse { try parseTemplateOrArgument() } else { emitText("{") }
            } else if this == .m("|") && context & C.template != 0 {
                try handleTemplateParam()
            } else if this == .m("=") && context & C.templateParamKey != 0 {
                if global & C.globalHeading == 0 && read(-1).isNewlineOrStart && nxt == .m("=") {
                    try parseHeading()
                } else {
                    handleTemplateParamValue()
                }
            } else if this == .m("}") && nxt == .m("}") && context & C.template != 0 {
                return .tokens(try handleTemplateEnd())
            } else if this == .m("|") && context & C.argumentName != 0 {
                handleArgumentSeparator()
            } else if this == .m("}") && nxt == .m("}") && context & C.argument != 0 {
                if read(2) == .m("}") { return .tokens(handleArgumentEnd()) }
                emitText("}")
            } else if this == .m("[") && nxt == .m("[") && canRecurse {
                if context & C.noWikilinks == 0 { try parseWikilink() } else { emitText("[") }
            } else if this == .m("|") && context & C.wikilinkTitle != 0 {
                handleWikilinkSeparator()
            } else if this == .m("]") && nxt == .m("]") && context & C.wikilink != 0 {
                return .tokens(handleWikilinkEnd())
            } else if this == .m("[") {
                try parseExternalLink(brackets: true)
            } else if this == .m(":") && !read(-1).isMarker {
                try parseExternalLink(brackets: false)
            } else if this == .m("]") && context & C.extLinkTitle != 0 {
                return .tokens(pop())
            } else if this == .m("=") && global & C.globalHeading == 0 && context & C.template == 0 {
                if read(-1).isNewlineOrStart { try parseHeading() } else { emitText("=") }
            } else if this == .m("=") && context & C.heading != 0 {
                return try handleHeadingEnd()
            } else if this == .m("\n") && context & C.heading != 0 {
                throw failRoute()
            } else if this == .m("&") {
                try parseEntity()
            } else if this == .m("<") && nxt == .m("!") {
                if read(2) == .m("-") && read(3) == .m("-") { try parseComment() } else { emitText("<") }
            } else if this == .m("<") && nxt == .m("/") && read(2) != .end {
                if context & C.tagBody != 0 { try handleTagOpenClose() } else { try handleInvalidTagStart() }
            } else if this == .m("<") && context & C.tagClose == 0 {
                if canRecurse { try parseTag() } else { emitText("<") }
            } else if this == .m(">") && context & C.tagClose != 0 {
                return .tokens(try handleTagCloseClose())
            } else if this == .m("'") && nxt == .m("'") && !skipStyleTags {
                if let result = try parseStyle() { return .tokens(result) }
            } else if read(-1).isNewlineOrStart && [Piece.m("#"), .m("*"), .m(";"), .m(":")].contains(this) {
                handleList()
            } else if read(-1).isNewlineOrStart && this == .m("-") && nxt == .m("-") && read(2) == .m("-") && read(3) == .m("-") {
                handleHR()
            } else if (this == .m("\n") || this == .m(":")) && context & C.dlTerm != 0 {
                handleDLTerm()
                if this == .m("\n") { context &= ~C.tableCellLineContexts }
            } else if this == .m("{") && nxt == .m("|")
                        && (read(-1).isNewlineOrStart || (read(-2).isNewlineOrStart && isSpace(read(-1)))) {
                if canRecurse { try parseTable() } else { emitText("{") }
            } else if context & C.tableOpen != 0 {
                if this == .m("|") && nxt == .m("|") && context & C.tableTDLine != 0 {
                    if context & C.tableCellOpen != 0 { return .tokens(handleTableCellEnd()) }
                    try handleTableCell("||", "td", C.tableTDLine)
                } else if this == .m("|") && nxt == .m("|") && context & C.tableTHLine != 0 {
                    if context & C.tableCellOpen != 0 { return .tokens(handleTableCellEnd()) }
                    try handleTableCell("||", "th", C.tableTHLine)
                } else if this == .m("!") && nxt == .m("!") && context & C.tableTHLine != 0 {
                    if context & C.tableCellOpen != 0 { return .tokens(handleTableCellEnd()) }
                    try handleTableCell("!!", "th", C.tableTHLine)
                } else if this == .m("|") && context & C.tableCellStyle != 0 {
                    return .tokens(handleTableCellEnd(resetForStyle: true))
                } else if this == .m("\n") && context & C.tableCellLineContexts != 0 {
                    context &= ~C.tableCellLineContexts
                    emitText("\n")
                } else if read(-1).isNewlineOrStart || (read(-2).isNewlineOrStart && isSpace(read(-1))) {
                    if this == .m("|") && nxt == .m("}") {
                        if context & C.tableCellOpen != 0 { return .tokens(handleTableCellEnd()) }
                        if context & C.tableRowOpen != 0 { return .tokens(pop()) }
                        return .tokens(handleTableEnd())
                    }
                    if this == .m("|") && nxt == .m("-") {
                        if context & C.tableCellOpen != 0 { return .tokens(handleTableCellEnd()) }
                        if context & C.tableRowOpen != 0 { return .tokens(pop()) }
                        try handleTableRow()
                    } else if this == .m("|") {
                        if context & C.tableCellOpen != 0 { return .tokens(handleTableCellEnd()) }
                        try handleTableCell("|", "td", C.tableTDLine)
                    } else if this == .m("!") {
                        if context & C.tableCellOpen != 0 { return .tokens(handleTableCellEnd()) }
                        try handleTableCell("!", "th", C.tableTHLine)
                    } else {
                        emitPiece()
                    }
                } else {
                    emitPiece()
                }
            } else {
                emitPiece()
            }
            head += 1
        }
    }

    /// Tokenizes `text` (`Tokenizer.tokenize(text)`).
    static func tokenize(_ text: String) -> Parse? { tokenize(codePoints: [UInt32](codePointsOf: text)) }

    /// Tokenizes a text given as code points: its tokens, and the texts they refer to.
    static func tokenize(codePoints text: [UInt32], remembersUnclosedComments: Bool = true, workLimit: Int? = nil) -> Parse? {
        let work = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        work.initialize(to: 0)
        defer { work.deallocate() }
        var t = MWTokenizer(work: work)
        t.remembersUnclosedComments = remembersUnclosedComments
        t.texts = TokenTexts(source: text)
        (t.text, t.ends) = split(codePoints: text)
        t.workLimit = workLimit ?? Self.workLimit(pieces: t.text.count)
        do throws(BadRoute) {
            let tokens = try t.parse(0)
            if t.exhausted { return nil }
            return Parse(tokens: tokens, texts: t.texts, pieceEnds: t.ends, states: [], badRoutes: [])
        } catch {
            return nil  // "Python tokenizer exited with BadRoute": never expected
        }
    }
}
