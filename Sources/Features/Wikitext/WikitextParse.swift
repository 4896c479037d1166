/// What revscoring's parsed-wikitext features count in `mwparserfromhell.parse(text)`:
/// nodes of each class anywhere in the tree (`wikicode.filter()` is recursive), which are
/// exactly the opening tokens of the token stream.
public struct WikitextParseCounts: Sendable, Equatable {
    public var headings = 0
    public var wikilinks = 0
    public var externalLinks = 0
    public var templates = 0
    public var tags = 0
    /// Tags whose name matches `re.compile("ref", re.I)` (`tag_names_matching("ref")`).
    public var refTags = 0

    /// Parses `text`; `nil` if the tokenizer gives up (mwparserfromhell raises ParserError).
    public init?(_ text: String) { self.init(codePoints: [UInt32](codePointsOf: text)) }

    /// Parses a text given as code points (what ``TextAnalysis`` already holds).
    public init?(codePoints text: [UInt32]) {
        guard let parse = MWTokenizer.tokenize(codePoints: text) else { return nil }
        self.init(tokens: parse.tokens, texts: parse.texts)
    }

    /// Counts the nodes of a token stream.
    init(tokens: [WikiToken], texts: TokenTexts) {
        for (i, token) in tokens.enumerated() {
            switch token {
            case .headingStart: headings += 1
            case .wikilinkOpen: wikilinks += 1
            case .externalLinkOpen: externalLinks += 1
            case .templateOpen: templates += 1
            case .tagOpenOpen:
                tags += 1
                if i + 1 < tokens.count, case let .text(name) = tokens[i + 1] {
                    let prefix = texts.codePoints(name).prefix(3).map { PythonUnicode.simpleLowercase($0) }
                    if prefix == [0x72, 0x65, 0x66] { refTags += 1 }  // "ref", case-insensitive
                }
            default: break
            }
        }
    }
}
