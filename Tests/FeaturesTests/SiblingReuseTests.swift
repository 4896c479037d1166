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
