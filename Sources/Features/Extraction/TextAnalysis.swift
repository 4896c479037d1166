/// revscoring's `wikitext` datasources for one text (a revision's or its parent's), each
/// computed at most once, when a feature first needs it.
public final class TextAnalysis {
    /// The text; `nil` stands for a missing parent (page creation), which revscoring tokenizes
    /// as `""` but measures with `text or ""`.
    public let text: String?
    /// Word-list matchers whose results this text caches, by list name.
    private var matchCache: [String: FrequencyTable] = [:]
    /// Strings shared with the other text of the same revision (a revision and its parent
    /// share most of their words), with per-string answers such as the dictionary's.
    public let strings: StringTable

    /// Word-list matches by line, shared with the other text of the same revision.
    let lineMatches: LineMatchCache

    public init(_ text: String?, strings: StringTable = StringTable(), lineMatches: LineMatchCache = LineMatchCache()) {
        self.text = text
        self.strings = strings
        self.lineMatches = lineMatches
    }

    /// The other text of the same revision (the parent's for a revision's, and back), whose
    /// tokens and string ids this text reuses where the two texts agree.
    weak var sibling: TextAnalysis?

    private var tokenizedStorage: TokenizedText?
    /// How `tokenized` was made from the sibling's tokens, if it was.
    private var reuse: TokenReuse?

    /// `tokenized(text)`.
    public var tokenized: TokenizedText {
        if let done = tokenizedStorage { return done }
        let scalars = [UInt32](codePointsOf: text ?? "")
        let result: TokenizedText
        if let other = sibling?.tokenizedStorage {
            let (tokens, reuse) = WikitextTokenizer.tokenize(scalars: scalars, reusing: other)
            self.reuse = reuse
            result = TokenizedText(scalars: scalars, tokens: tokens)
        } else {
            result = TokenizedText(scalars: scalars, tokens: WikitextTokenizer.tokenize(scalars: scalars))
        }
        tokenizedStorage = result
        return result
    }

    /// How many code points this text shares with its sibling at the start and at the end, as
    /// the second of the two to be tokenized found them (`nil` before that).
    private var commonEnds: (prefix: Int, suffix: Int)? {
        guard let r = reuse ?? sibling?.reuse else { return nil }
        return (r.commonPrefix, r.commonSuffix)
    }

    private var tokenIDStorage: [Int32]?

    /// For each token, its id in ``strings`` if it is of a type some feature counts by string
    /// (words, markup, numbers), else -1. Taken from the sibling's for the tokens reused from it.
    var tokenIDs: [Int32] {
        if let done = tokenIDStorage { return done }
        let tokens = tokenized.tokens
        let result = scalars.withUnsafeBufferPointer { text in
            if let reuse, let other = sibling?.tokenIDs {
                return Array(other[0..<reuse.prefix])
                    + strings.ids(text, tokens[reuse.prefix..<reuse.middleEnd], wanted: Self.internedTypes)
                    + other[reuse.otherSuffix...]
            }
            return strings.ids(text, tokens[...], wanted: Self.internedTypes)
        }
        tokenIDStorage = result
        return result
    }

    /// Token types whose strings are interned, by raw value.
    static let internedTypes: [Bool] = TokenType.allCases.map { $0 == .word || $0 == .number || markupTypes.contains($0) }

    /// The text's code points (Python's view of the string).
    public var scalars: [UInt32] { tokenized.scalars }

    /// `wikitext.revision.chars`: `len(text)` in code points.
    public var chars: Int { scalars.count }

    /// `wikitext.revision.tokens`.
    public var tokenCount: Int { tokenized.tokens.count }

    /// The `word` tokens, as ids in ``strings``.
    public private(set) lazy var words: [Int32] = selected.words

    /// Word tokens longer than one code point whose every code point changes when lowercased
    /// (`is_uppercase_word`).
    public private(set) lazy var uppercaseWords: [Int32] = strings.uppercaseWords(words)

    /// revscoring's `markups` token types. Its set names "italics", which is not a type
    /// (`''` tokens are "italic"), so italics are not markup — kept as revscoring has it.
    static let markupTypes: Set<TokenType> = [
        .dbrackOpen, .dbrackClose, .brackOpen, .brackClose, .tabOpen, .tabClose, .dcurlyOpen, .dcurlyClose,
        .curlyOpen, .curlyClose, .bold, .equals,
    ]

    public private(set) lazy var markupCount: Int = markupFrequency.keys.reduce(0) { $0 + markupFrequency.count(of: $1) }
    public private(set) lazy var markupFrequency = FrequencyTable(selected.markups)
    public private(set) lazy var numberFrequency = FrequencyTable(selected.numbers)

    /// The word, markup and number tokens (as ids), sorted out in one pass over the tokens:
    /// every feature list that counts one counts the others.
    private lazy var selected: (words: [Int32], markups: [Int32], numbers: [Int32]) = {
        let markup = Self.markupTypes.reduce(UInt64(0)) { $0 | 1 << UInt64($1.rawValue) }
        let ids = tokenIDs
        var words: [Int32] = [], markups: [Int32] = [], numbers: [Int32] = []
        tokenized.tokens.withUnsafeBufferPointer { tokens in
            ids.withUnsafeBufferPointer { ids in
                words.reserveCapacity(tokens.count / 2)
                for k in 0..<tokens.count {
                    let type = tokens[k].type
                    if type == .word {
                        words.append(ids[k])
                    } else if (markup >> UInt64(type.rawValue)) & 1 != 0 {
                        markups.append(ids[k])
                    } else if type == .number {
                        numbers.append(ids[k])
                    }
                }
            }
        }
        return (words, markups, numbers)
    }()
    public private(set) lazy var uppercaseWordFrequency = FrequencyTable(uppercaseWords)

    /// `wikitext.revision.longest_token`: the longest token in code points (0 without tokens).
    public private(set) lazy var longestToken: Int = tokenized.tokens.reduce(0) { max($0, $1.length) }

    /// `wikitext.revision.longest_repeated_char`: the longest run of one code point in
    /// `text.lower()` (1 for an empty text). Computed with the sibling's when the two texts'
    /// shared ends are known, scanning the shared code points once (``RepeatedCharRuns``).
    public var longestRepeatedChar: Int {
        if let done = longestRepeatedCharStorage { return done }
        let scalars = self.scalars
        if let sibling, sibling.longestRepeatedCharStorage == nil, let (prefix, suffix) = commonEnds {
            let (mine, its) = RepeatedCharRuns.longest(scalars, sibling.scalars, prefix: prefix, suffix: suffix)
            sibling.longestRepeatedCharStorage = its
            longestRepeatedCharStorage = mine
            return mine
        }
        let result = RepeatedCharRuns.longest(scalars)
        longestRepeatedCharStorage = result
        return result
    }

    private var longestRepeatedCharStorage: Int?

    private var dictionaryCache: [String: (dict: FrequencyTable, nonDict: FrequencyTable)] = [:]

    /// `dict_split` of the word tokens, as lowercased frequency tables of dictionary and
    /// non-dictionary words (`dict_word_frequency`, `non_dict_word_frequency`).
    func dictionaryFrequencies(_ name: String, _ dictionary: MultiDictionary) -> (dict: FrequencyTable, nonDict: FrequencyTable) {
        if let cached = dictionaryCache[name] { return cached }
        let (dict, nonDict) = strings.dictionarySplit(words, by: dictionary, name: name)
        dictionaryCache[name] = (dict, nonDict)
        return (dict, nonDict)
    }

    /// mwparserfromhell's parse of the text, or why there is none (`nil` until asked).
    private var parseOutcome: Result<MWTokenizer.Parse, MWTokenizer.ParseFailure>?

    /// mwparserfromhell's parse of the text, reusing the sibling's where the texts agree.
    private var parse: MWTokenizer.Parse? {
        if let done = parseOutcome { return try? done.get() }
        let outcome = MWTokenizer.parseResult(codePoints: scalars, reusing: try? sibling?.parseOutcome?.get(), commonEnds: commonEnds)
        parseOutcome = outcome
        return try? outcome.get()
    }

    /// Counts from mwparserfromhell's parse of the text (`""` for a missing parent).
    public private(set) lazy var parseCounts: WikitextParseCounts? = parse.map { WikitextParseCounts(tokens: $0.tokens, texts: $0.texts) }

    func parsed() throws(FeatureError) -> WikitextParseCounts {
        guard let counts = parseCounts else {
            if case .failure(.tooComplex) = parseOutcome { throw .wikitextTooComplex }
            throw .wikitextParse
        }
        return counts
    }

    /// The frequency table of a word list's matches (`match.group(2)` lowercased), cached by
    /// list name.
    func matchFrequency(_ list: RegexWordList) throws(FeatureError) -> FrequencyTable {
        if let cached = matchCache[list.name] { return cached }
        var table = FrequencyTable()
        if text != nil {
            let found: [Int32]
            do {
                found = try scalars.withUnsafeBufferPointer { text throws(RegexMatchError) in
                    try list.regex.isLineLocal ? lineLocalMatches(list, text) : matches(list, text)
                }
            } catch {
                throw .regex(error)
            }
            for id in found { table.add(id) }
        }
        matchCache[list.name] = table
        return table
    }

    /// `match.group(2).lower()` of each match in `text`, as ids.
    private func matches(_ list: RegexWordList, _ text: UnsafeBufferPointer<UInt32>) throws(RegexMatchError) -> [Int32] {
        ids(of: try list.regex.matches(in: text), in: text)
    }

    private func ids(of matches: [RegexMatch], in text: UnsafeBufferPointer<UInt32>) -> [Int32] {
        matches.compactMap { m in m.groups[1].map { strings.lowercased(strings.id(text, $0)) } }
    }

    /// Word starts of the lines some word list matched in this text, by index in `lines`:
    /// found by the first list, reused by the others (see ``PythonRegex/wordStarts(in:)``).
    private var lineWordStarts: [Int: [Int32]] = [:]

    /// `matches` of line `k` of `lines`.
    private func lineMatches(_ list: RegexWordList, _ line: UnsafeBufferPointer<UInt32>, _ k: Int) throws(RegexMatchError) -> [Int32] {
        guard list.regex.startsAtWordStarts else { return try matches(list, line) }
        let starts: [Int32]
        if let known = lineWordStarts[k] {
            starts = known
        } else {
            starts = PythonRegex.wordStarts(in: line)
            lineWordStarts[k] = starts
        }
        let found = try starts.withUnsafeBufferPointer { starts throws(RegexMatchError) in
            try list.regex.matches(in: line, wordStarts: starts)
        }
        return ids(of: found, in: line)
    }

    /// The same, line by line, reusing the answers for lines the other text of the revision
    /// already had (a revision and its parent share most lines).
    private func lineLocalMatches(_ list: RegexWordList, _ text: UnsafeBufferPointer<UInt32>) throws(RegexMatchError) -> [Int32] {
        var out: [Int32] = []
        var known = lineMatches.take(list.name)
        defer { lineMatches.store(list.name, known) }
        for (k, (range, line)) in lines.enumerated() {
            if Int(line) < known.count, let ids = known[Int(line)] {
                out += ids
            } else {
                let ids = try lineMatches(list, UnsafeBufferPointer(rebasing: text[range]), k)
                if Int(line) >= known.count { known += repeatElement(nil, count: Int(line) + 1 - known.count) }
                known[Int(line)] = ids
                out += ids
            }
        }
        return out
    }

    private var lineStorage: [(Range<Int>, Int32)]?

    /// The text's non-empty lines and their ids in the revision's line table (found once for
    /// every word list). Lines inside the part of the text the sibling shares (see `reuse`) are
    /// the sibling's, with the same ids.
    private var lines: [(Range<Int>, Int32)] {
        if let done = lineStorage { return done }
        let result = scalars.withUnsafeBufferPointer { text in
            guard let reuse, let sibling else { return firstLines(text) }
            let other = sibling.lines
            let shift = sibling.scalars.count - text.count
            // Lines ending (at a line feed) before the first difference.
            var head = 0
            while head < other.count, other[head].0.upperBound < reuse.commonPrefix { head += 1 }
            // Lines starting after a line feed inside the common suffix.
            let suffixFrom = text.count - reuse.commonSuffix + 1
            var tail = other.count
            while tail > head, other[tail - 1].0.lowerBound - shift >= suffixFrom { tail -= 1 }
            let middleStart = head > 0 ? other[head - 1].0.upperBound + 1 : 0
            let middleEnd = tail < other.count ? other[tail].0.lowerBound - shift : text.count
            return Array(other[0..<head]) + findLines(text, middleStart, middleEnd)
                + other[tail...].map { (($0.0.lowerBound - shift)..<($0.0.upperBound - shift), $0.1) }
        }
        lineStorage = result
        return result
    }

    /// The lines of the first of the two texts to need them. Those the other text shares at
    /// its start or end it will take with their ids (see `lines`), so they get new ids without
    /// being hashed and stored; only the lines between are entered by content, for the other
    /// text's lines between to find. (A line moved from a shared part into the changed one is
    /// then matched again: the table is a cache, so its answers do not change.)
    private func firstLines(_ text: UnsafeBufferPointer<UInt32>) -> [(Range<Int>, Int32)] {
        guard let sibling, sibling.lineStorage == nil else { return findLines(text, 0, text.count) }
        let other = sibling.scalars
        let (prefix, suffix) = commonEnds ?? other.withUnsafeBufferPointer { WikitextTokenizer.commonEnds(text, $0) }
        // The other text takes the lines that end before `prefix` and those that start past
        // `text.count - suffix`; when it has nothing between, it looks none up.
        let lookedUp = other.count - suffix > prefix
        return findLines(text, 0, text.count) { lookedUp && $0.upperBound >= prefix && $0.lowerBound <= text.count - suffix }
    }

    /// The non-empty lines of `text` that start in `from..<to`, entered by content in the line
    /// table where `byContent` says so, else given new ids.
    private func findLines(_ text: UnsafeBufferPointer<UInt32>, _ from: Int, _ to: Int,
                           byContent: (Range<Int>) -> Bool = { _ in true }) -> [(Range<Int>, Int32)] {
        var out: [(Range<Int>, Int32)] = []
        var start = from
        while start < to {
            var end = start
            while end < text.count, text[end] != 0x0A { end += 1 }
            if end > start {
                let line = start..<end
                out.append((line, byContent(line) ? lineMatches.line(text, line) : lineMatches.newLine()))
            }
            start = end + 1
        }
        return out
    }
}

/// Word-list matches by line (ids of lowercased matches, by line id), per list: shared by a
/// revision and its parent.
public final class LineMatchCache {
    /// The lines entered by content so far, and their line ids (by string id).
    private let lines = StringTable()
    private var lineIDs: [Int32] = []
    private var lineCount: Int32 = 0
    private var matches: [String: [[Int32]?]] = [:]

    public init() {}

    /// A line id of its own (for a line no other line will be looked up against).
    func newLine() -> Int32 {
        defer { lineCount += 1 }
        return lineCount
    }

    /// The id of the line `range` of `text`, the same for equal lines entered this way.
    func line(_ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> Int32 {
        let id = Int(lines.id(text, range))
        if id == lineIDs.count { lineIDs.append(newLine()) }
        return lineIDs[id]
    }

    func take(_ list: String) -> [[Int32]?] { matches.removeValue(forKey: list) ?? [] }
    func store(_ list: String, _ known: [[Int32]?]) { matches[list] = known }
}
