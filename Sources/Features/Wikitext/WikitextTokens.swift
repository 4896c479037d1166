/// mwparserfromhell's token stream (`mwparserfromhell.parser.tokens`), with the payloads the
/// tokenizer itself reads back.
///
/// A plain value (no references): text is a ``WikiText``, a range of code points in the
/// parse's ``TokenTexts``, so that the token arrays the tokenizer copies from frame to frame
/// (and a reusing parse copies from another) move as bytes, with no reference counting — which,
/// with one `String` per text token, was a third of the parse's time.
enum WikiToken: Equatable {
    case text(WikiText)
    case templateOpen, templateParamSeparator, templateParamEquals, templateClose
    case argumentOpen, argumentSeparator, argumentClose
    case wikilinkOpen, wikilinkSeparator, wikilinkClose
    case externalLinkOpen(brackets: Bool), externalLinkSeparator, externalLinkClose
    case htmlEntityStart, htmlEntityNumeric, htmlEntityHex, htmlEntityEnd
    case headingStart(level: Int), headingEnd
    case commentStart, commentEnd
    case tagOpenOpen(wikiMarkup: WikiText?, invalid: Bool)
    case tagAttrStart, tagAttrEquals, tagAttrQuote
    case tagCloseOpen(padding: WikiText)
    case tagCloseSelfclose(padding: WikiText, implicit: Bool)
    case tagOpenClose, tagCloseClose

    /// The token with each of its texts replaced by `transform`'s.
    func mapTexts(_ transform: (WikiText) -> WikiText) -> WikiToken {
        switch self {
        case let .text(t): return .text(transform(t))
        case let .tagOpenOpen(markup?, invalid): return .tagOpenOpen(wikiMarkup: transform(markup), invalid: invalid)
        case let .tagCloseOpen(padding): return .tagCloseOpen(padding: transform(padding))
        case let .tagCloseSelfclose(padding, implicit): return .tagCloseSelfclose(padding: transform(padding), implicit: implicit)
        default: return self
        }
    }

    /// The token as mwparserfromhell prints it, its texts resolved in `texts`: what tests
    /// compare (two parses may hold the same text at different places).
    func resolved(in texts: TokenTexts) -> String {
        switch self {
        case let .text(t): return "Text(text=\(texts.string(t).debugDescription))"
        case let .tagOpenOpen(markup, invalid):
            return "TagOpenOpen(wiki_markup=\(markup.map { texts.string($0).debugDescription } ?? "None"), invalid=\(invalid))"
        case let .tagCloseOpen(padding): return "TagCloseOpen(padding=\(texts.string(padding).debugDescription))"
        case let .tagCloseSelfclose(padding, implicit):
            return "TagCloseSelfclose(padding=\(texts.string(padding).debugDescription), implicit=\(implicit))"
        default: return "\(self)"
        }
    }
}

/// The text of a token: a range of code points of the parsed text itself (almost always: text
/// is emitted piece after piece as it is read), or of the code points the tokenizer keeps aside
/// for text the source does not hold in one place (markup it re-emits, joined runs).
struct WikiText: Equatable {
    /// Where the range starts: `start` in the source, or `~start` aside when negative.
    private var encodedStart: Int32
    /// Where it ends, in the same storage.
    var end: Int32

    static let empty = WikiText(source: 0, 0)

    init(source start: Int, _ end: Int) {
        encodedStart = Int32(truncatingIfNeeded: start)
        self.end = Int32(truncatingIfNeeded: end)
    }

    init(aside start: Int, _ end: Int) {
        encodedStart = ~Int32(truncatingIfNeeded: start)
        self.end = Int32(truncatingIfNeeded: end)
    }

    var isAside: Bool { encodedStart < 0 }
    var start: Int { Int(isAside ? ~encodedStart : encodedStart) }
    var count: Int { Int(end) - start }
    var isEmpty: Bool { count == 0 }
}

/// What a parse's ``WikiText``s refer to.
struct TokenTexts {
    /// The parsed text's code points.
    var source: [UInt32]
    /// Code points of texts the source does not hold in one place.
    var aside: [UInt32] = []

    func codePoints(_ t: WikiText) -> ArraySlice<UInt32> {
        t.isAside ? aside[t.start..<Int(t.end)] : source[t.start..<Int(t.end)]
    }

    func string(_ t: WikiText) -> String { String(codePoints: codePoints(t)) }
}

/// `mwparserfromhell.parser.contexts`.
enum WikiContext {
    static let templateName: UInt64 = 1 << 0
    static let templateParamKey: UInt64 = 1 << 1
    static let templateParamValue: UInt64 = 1 << 2
    static let template: UInt64 = templateName | templateParamKey | templateParamValue
    static let argumentName: UInt64 = 1 << 3
    static let argumentDefault: UInt64 = 1 << 4
    static let argument: UInt64 = argumentName | argumentDefault
    static let wikilinkTitle: UInt64 = 1 << 5
    static let wikilinkText: UInt64 = 1 << 6
    static let wikilink: UInt64 = wikilinkTitle | wikilinkText
    static let extLinkURI: UInt64 = 1 << 7
    static let extLinkTitle: UInt64 = 1 << 8
    static let extLink: UInt64 = extLinkURI | extLinkTitle
    static let headingLevel1: UInt64 = 1 << 9
    static let heading: UInt64 = (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12) | (1 << 13) | (1 << 14)
    static let tagOpen: UInt64 = 1 << 15
    static let tagAttr: UInt64 = 1 << 16
    static let tagBody: UInt64 = 1 << 17
    static let tagClose: UInt64 = 1 << 18
    static let tag: UInt64 = tagOpen | tagAttr | tagBody | tagClose
    static let styleItalics: UInt64 = 1 << 19
    static let styleBold: UInt64 = 1 << 20
    static let stylePassAgain: UInt64 = 1 << 21
    static let styleSecondPass: UInt64 = 1 << 22
    static let style: UInt64 = styleItalics | styleBold | stylePassAgain | styleSecondPass
    static let dlTerm: UInt64 = 1 << 23
    static let hasText: UInt64 = 1 << 24
    static let failOnText: UInt64 = 1 << 25
    static let failNext: UInt64 = 1 << 26
    static let failOnLBrace: UInt64 = 1 << 27
    static let failOnRBrace: UInt64 = 1 << 28
    static let failOnEquals: UInt64 = 1 << 29
    static let hasTemplate: UInt64 = 1 << 30
    static let tableOpen: UInt64 = 1 << 31
    static let tableCellOpen: UInt64 = 1 << 32
    static let tableCellStyle: UInt64 = 1 << 33
    static let tableRowOpen: UInt64 = 1 << 34
    static let tableTDLine: UInt64 = 1 << 35
    static let tableTHLine: UInt64 = 1 << 36
    static let tableCellLineContexts: UInt64 = tableTDLine | tableTHLine | tableCellStyle
    static let table: UInt64 = tableOpen | tableCellOpen | tableCellStyle | tableRowOpen | tableTDLine | tableTHLine
    static let htmlEntity: UInt64 = 1 << 37
    static let fail: UInt64 = template | argument | wikilink | extLinkTitle | heading | tag | style | table
    static let unsafe: UInt64 = templateName | wikilinkTitle | extLinkTitle | templateParamKey | argumentName | tagClose
    static let double: UInt64 = templateParamKey | tagClose | tableRowOpen
    static let noWikilinks: UInt64 = templateName | argumentName | wikilinkTitle | extLinkURI
    static let noExtLinks: UInt64 = templateName | argumentName | wikilinkTitle | extLink
    /// Global context: a heading is being parsed.
    static let globalHeading: UInt64 = 1 << 0
}

/// `mwparserfromhell.definitions`.
enum WikiDefinitions {
    /// URI schemes and whether they need `//`.
    static let uriSchemes: [String: Bool] = [
        "bitcoin": false, "ftp": true, "ftps": true, "geo": false, "git": true, "gopher": true, "http": true,
        "https": true, "irc": true, "ircs": true, "magnet": false, "mailto": false, "mms": true, "news": false,
        "nntp": true, "redis": true, "sftp": true, "sip": false, "sips": false, "sms": false, "ssh": true,
        "svn": true, "tel": false, "telnet": true, "urn": false, "worldwind": true, "xmpp": false,
    ]
    static let parserBlacklist: Set<String> = [
        "categorytree", "ce", "chem", "gallery", "graph", "hiero", "imagemap", "inputbox", "math", "nowiki",
        "pre", "score", "section", "source", "syntaxhighlight", "templatedata", "timeline",
    ]
    static let singleOnly: Set<String> = ["br", "wbr", "hr", "meta", "link", "img"]
    static let single: Set<String> = singleOnly.union(["li", "dt", "dd", "th", "td", "tr"])

    static func htmlTag(_ markup: String) -> String {
        switch markup {
        case "#", "*": return "li"
        case ";": return "dt"
        default: return "dd"
        }
    }

    static func isParsable(_ tag: String) -> Bool { !parserBlacklist.contains(PythonUnicode.lowercased(tag)) }
    static func isSingle(_ tag: String) -> Bool { single.contains(PythonUnicode.lowercased(tag)) }
    static func isSingleOnly(_ tag: String) -> Bool { singleOnly.contains(PythonUnicode.lowercased(tag)) }

    static func isScheme(_ scheme: String, slashes: Bool) -> Bool {
        let s = PythonUnicode.lowercased(scheme)
        guard let needsSlashes = uriSchemes[s] else { return false }
        return slashes || !needsSlashes
    }
}
