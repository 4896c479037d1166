/// Dictionary answers by word, shared by the texts of one revision.
public final class WordCheckCache {
    var answers: [String: Bool] = [:]
    public init() {}
}

/// revscoring's `wikitext` datasources for one text (a revision's or its parent's), each
/// computed at most once, when a feature first needs it.
public final class TextAnalysis {
    /// The text; `nil` stands for a missing parent (page creation), which revscoring tokenizes
    /// as `""` but measures with `text or ""`.
    public let text: String?
    /// Word-list matchers whose results this text caches, by list name.
    private var matchCache: [String: FrequencyTable] = [:]
    /// Dictionary answers shared with the other text of the same revision (a revision and its
    /// parent share most of their words).
    let knownWords: WordCheckCache

    public init(_ text: String?, knownWords: WordCheckCache = WordCheckCache()) {
        self.text = text
        self.knownWords = knownWords
    }

    /// `tokenized(text)`.
    public private(set) lazy var tokenized: TokenizedText = WikitextTokenizer.tokenize(text ?? "")

    /// The text's code points (Python's view of the string).
    public var scalars: [UInt32] { tokenized.scalars }

    /// `wikitext.revision.chars`: `len(text)` in code points.
    public var chars: Int { scalars.count }

    /// `wikitext.revision.tokens`.
    public var tokenCount: Int { tokenized.tokens.count }

    /// The `word` tokens, as strings.
    public private(set) lazy var words: [String] = tokenized.tokens.filter { $0.type == .word }.map(tokenized.text(of:))

    /// Word tokens longer than one code point whose every code point changes when lowercased
    /// (`is_uppercase_word`).
    public private(set) lazy var uppercaseWords: [String] = words.filter { w in
        let s = w.unicodeScalars
        return s.count > 1 && s.allSatisfy { PythonUnicode.changesWhenLowercased($0.value) }
    }

    /// revscoring's `markups` token types. Its set names "italics", which is not a type
    /// (`''` tokens are "italic"), so italics are not markup — kept as revscoring has it.
    static let markupTypes: Set<TokenType> = [
        .dbrackOpen, .dbrackClose, .brackOpen, .brackClose, .tabOpen, .tabClose, .dcurlyOpen, .dcurlyClose,
        .curlyOpen, .curlyClose, .bold, .equals,
    ]

    /// Tokens of the given types, as strings.
    func tokens(in types: Set<TokenType>) -> [String] {
        tokenized.tokens.filter { types.contains($0.type) }.map(tokenized.text(of:))
    }

    public private(set) lazy var markupCount: Int = tokenized.tokens.reduce(0) { $0 + (Self.markupTypes.contains($1.type) ? 1 : 0) }
    public private(set) lazy var markupFrequency = FrequencyTable(tokens(in: Self.markupTypes))
    public private(set) lazy var numberFrequency = FrequencyTable(tokens(in: [.number]))
    public private(set) lazy var uppercaseWordFrequency = FrequencyTable(uppercaseWords)

    /// `wikitext.revision.longest_token`: the longest token in code points (0 without tokens).
    public private(set) lazy var longestToken: Int = tokenized.tokens.reduce(0) { max($0, $1.length) }

    /// `wikitext.revision.longest_repeated_char`: the longest run of one code point in
    /// `text.lower()` (1 for an empty text).
    public private(set) lazy var longestRepeatedChar: Int = {
        let lowered = PythonUnicode.lowercased(text ?? "").unicodeScalars
        guard !lowered.isEmpty else { return 1 }
        var best = 0, run = 0
        var previous: Unicode.Scalar? = nil
        for c in lowered {
            run = c == previous ? run + 1 : 1
            previous = c
            best = max(best, run)
        }
        return best
    }()

    private var dictionaryCache: [String: (dict: FrequencyTable, nonDict: FrequencyTable)] = [:]

    /// `dict_split` of the word tokens, as lowercased frequency tables of dictionary and
    /// non-dictionary words (`dict_word_frequency`, `non_dict_word_frequency`).
    func dictionaryFrequencies(_ name: String, _ dictionary: MultiDictionary) -> (dict: FrequencyTable, nonDict: FrequencyTable) {
        if let cached = dictionaryCache[name] { return cached }
        var dict = FrequencyTable(), nonDict = FrequencyTable()
        for word in words {
            let isKnown: Bool
            if let k = knownWords.answers[word] {
                isKnown = k
            } else {
                isKnown = dictionary.check(word)
                knownWords.answers[word] = isKnown
            }
            if isKnown { dict.add(PythonUnicode.lowercased(word)) } else { nonDict.add(PythonUnicode.lowercased(word)) }
        }
        dictionaryCache[name] = (dict, nonDict)
        return (dict, nonDict)
    }

    /// Counts from mwparserfromhell's parse of the text (`""` for a missing parent).
    public private(set) lazy var parseCounts: WikitextParseCounts? = WikitextParseCounts(text ?? "")

    func parsed() throws(FeatureError) -> WikitextParseCounts {
        guard let counts = parseCounts else { throw .wikitextParse }
        return counts
    }

    /// The frequency table of a word list's matches (`match.group(2)` lowercased), cached by
    /// list name.
    func matchFrequency(_ list: RegexWordList) throws(FeatureError) -> FrequencyTable {
        if let cached = matchCache[list.name] { return cached }
        var table = FrequencyTable()
        if text != nil {
            let s = scalars
            let found: [RegexMatch]
            do {
                found = try list.regex.matches(in: s)
            } catch {
                throw .regex(error)
            }
            for m in found {
                guard let g = m.groups[1] else { continue }
                table.add(PythonUnicode.lowercased(String(codePoints: s[g])))
            }
        }
        matchCache[list.name] = table
        return table
    }
}
