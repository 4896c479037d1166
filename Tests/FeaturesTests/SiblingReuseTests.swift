import Testing
@testable import Features

/// A revision's text and its parent's are analysed together, the second reusing the first's
/// tokens, string ids, lines and parse where the texts agree. Every datasource must equal what
/// the text gives analysed alone, whichever of the two is analysed first.
@Suite("Revision and parent analysed together")
struct SiblingReuseTests {
    static let pieces: [String] = [
        "The quick brown fox ", "shit ", "lol ", "hahaha ", "LOUD WORDS ", "{{cite web|url=http://a.org}} ", "[[Link|text]] ",
        "<ref>x</ref>", "''", "'''", "\n", "\n\n== Heading ==\n", "\n* item ", "12 345 ", "&amp; ", "<!-- c -->", "[http://b.org y] ",
        "colour ", "Wikipedia ", "{{", "}}", "[[", "<div>", "</div>", "\u{03A3}\u{03A3} ", "don't ", "\t", "!!!", "...",
        // Runs that cross the shared parts' edges: repeated letters in both cases, a lowering to
        // two code points (U+0130 becomes "i" and U+0307), a capital sigma between letters.
        "aaa", "AAaA", "a", "\u{0130}", "i\u{0307}\u{0307}", "\u{03A3}", "x\u{03A3}x", "\n\n\n\n",
    ]

    /// A frequency table as (string, count) pairs in its order.
    static func entries(_ table: FrequencyTable, _ strings: StringTable) -> [String] {
        table.keys.map { "\(strings.string($0))×\(table.count(of: $0))" }
    }

    static func summary(_ a: TextAnalysis) throws -> [String] {
        [
            "tokens \(a.tokenized.tokens.map { "\($0.type)\($0.start)-\($0.end)" })",
            "words \(a.words.map(a.strings.string))",
            "upper \(a.uppercaseWords.map(a.strings.string))",
            "markup \(entries(a.markupFrequency, a.strings))",
            "numbers \(entries(a.numberFrequency, a.strings))",
            "badwords \(entries(try a.matchFrequency(English.badwords), a.strings))",
            "informals \(entries(try a.matchFrequency(English.informals), a.strings))",
            "parse \(String(describing: a.parseCounts))",
            "longest \(a.longestToken) \(a.longestRepeatedChar)",
        ]
    }

    @Test("every datasource equals the text's own, for random edits, either text first")
    func randomEdits() throws {
        var random = SeededRandom(seed: 42)
        for round in 0..<300 {
            let parentCodePoints = random.text(Self.pieces, 5 + random.next(60))
            let parent = String(codePoints: parentCodePoints[...])
            let revision = String(codePoints: random.edit(parentCodePoints, kind: round % 3, maxLength: 19, pieces: Self.pieces)[...])
            for revisionFirst in [true, false] {
                let strings = StringTable(), lines = LineMatchCache()
                let r = TextAnalysis(revision, strings: strings, lineMatches: lines)
                let p = TextAnalysis(round % 10 == 0 ? nil : parent, strings: strings, lineMatches: lines)
                r.sibling = p
                p.sibling = r
                let (first, second) = revisionFirst ? (r, p) : (p, r)
                let firstSummary = try Self.summary(first), secondSummary = try Self.summary(second)
                #expect(firstSummary == (try Self.summary(TextAnalysis(first.text))), "round \(round)")
                #expect(secondSummary == (try Self.summary(TextAnalysis(second.text))), "round \(round): \(second.text.debugDescription)")
            }
        }
    }
}

/// ``RepeatedCharRuns`` scans a second text's middle only, adding the first text's summary of
/// the shared end: it must give each text's own longest run, however runs cross the edges.
@Suite("Longest repeated character of two texts")
struct RepeatedCharRunsTests {
    /// Few distinct code points, so that long runs cross the shared parts' edges; case pairs,
    /// a two-code-point lowering (U+0130) and capital sigmas (lowered by context).
    static let pieces = ["a", "a", "A", "b", "\u{0130}", "i", "\u{0307}", "\u{03A3}", "\u{03C3}", " ", "aaaa", "AAAA"]

    @Test("equals scanning each text alone, for random edits")
    func randomEdits() {
        var random = SeededRandom(seed: 7)
        var reused = 0
        for round in 0..<4000 {
            let a = random.text(Self.pieces, random.next(40))
            let b = random.edit(a, kind: round % 3, maxLength: 9, pieces: Self.pieces)
            let (prefix, suffix) = a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { WikitextTokenizer.commonEnds(a, $0) } }
            let both = RepeatedCharRuns.longest(a, b, prefix: prefix, suffix: suffix)
            #expect(both.a == RepeatedCharRuns.longest(a), "round \(round): \(a) / \(b)")
            #expect(both.b == RepeatedCharRuns.longest(b), "round \(round): \(a) / \(b)")
            if !a.contains(0x3A3), !a.isEmpty, !b.isEmpty { reused += 1 }
        }
        // Most rounds take the path that reuses the first text's scan.
        #expect(reused > 1000)
    }
}
