import Foundation
import Testing
@testable import Features
import Revscoring

@Suite("mwparserfromhell port")
struct WikitextParserTests {
    @Test("node counts of 400 seeded random snippets equal mwparserfromhell's (Fixtures/parser-cases.jsonl)")
    func differential() throws {
        let cases = try jsonLines(SharedPaths.fixtures.appendingPathComponent("parser-cases.jsonl"))
        #expect(cases.count == 400)
        var failures = 0
        for c in cases {
            guard let text = c["text"]?.stringValue, case let .array(expected)? = c["counts"] else { continue }
            guard let counts = WikitextParseCounts(text) else {
                Issue.record("parser gave up on \(text.debugDescription)")
                continue
            }
            let got = [counts.headings, counts.wikilinks, counts.externalLinks, counts.templates, counts.tags, counts.refTags]
            if got.map(JSONValue.int) != expected {
                failures += 1
                if failures <= 5 { Issue.record("\(text.debugDescription): got \(got), expected \(JSONValue.array(expected).serialized())") }
            }
        }
        #expect(failures == 0)
    }

    /// Free links lose trailing punctuation, except `)` when the link holds `(`, and a URL may not
    /// start with a space; mwparserfromhell looks at code points, so a `(` or a space followed by
    /// a combining mark still counts as one. Expected URLs (`nil`: no link) are mwparserfromhell
    /// 0.6's (`filter_external_links()`, run with ../shared/reference).
    @Test("external-link text is judged by code points", arguments: [
        ("See http://example.com/(\u{0301}x) more", "http://example.com/(\u{0301}x)"),
        ("See http://example.com/x). more", "http://example.com/x"),
        ("See http://example.com/(x). more", "http://example.com/(x)"),
        // The character after "//" is tested by its first code point: " " + U+0301 is a space.
        ("[http:// \u{0301}x]", nil),
        ("[http://\u{0301}x y]", "http://\u{0301}x"),
        // A space ends the URL even before a combining mark (Python's `" " in this`, `split(" ")`).
        ("[http://a.com/x \u{0301}y z]", "http://a.com/x"),
        ("See http://a.com/x \u{0301}y more", "http://a.com/x"),
        ("See http://a.com/b \u{0301}", "http://a.com/b"),
        ("[http://a.com/ \u{0301}]", "http://a.com/"),
        ("[http://a.com/x\u{00A0} y]", "http://a.com/x\u{00A0}"),
    ] as [(String, String?)])
    func freeLinkPunctuation(_ text: String, _ url: String?) throws {
        let parse = try #require(MWTokenizer.tokenize(text))
        let tokens = parse.tokens
        let isLink: (WikiToken) -> Bool = { if case .externalLinkOpen = $0 { return true } else { return false } }
        guard let url else {
            #expect(!tokens.contains(where: isLink), "\(tokens)")
            return
        }
        guard let open = tokens.firstIndex(where: { if case .externalLinkOpen = $0 { return true } else { return false } }),
              let close = tokens.firstIndex(where: { if case .externalLinkClose = $0 { return true } else { return false } })
        else {
            Issue.record("no external link in \(tokens)")
            return
        }
        // The URL: the text up to the separator (bracketed links) or the close.
        let urlTokens = tokens[(open + 1)..<close].prefix { if case .externalLinkSeparator = $0 { return false } else { return true } }
        let got = urlTokens.compactMap { if case let .text(t) = $0 { return parse.texts.string(t) } else { return nil } }.joined()
        #expect(got.unicodeScalars.elementsEqual(url.unicodeScalars), "\(got.debugDescription)")
    }

    /// Python compares code points; Swift's `String ==` (and `Set<String>`) compares canonical
    /// equivalents, so U+037E GREEK QUESTION MARK would pass for ";" and U+212A KELVIN SIGN for
    /// "K". Expected counts are mwparserfromhell 0.6's (run with ../shared/reference).
    @Test("markers, tag names and entity names compare code points", arguments: [
        ("a <\u{037E}>x</\u{037E}> b", 1, 0), ("<ref name=\u{037E}>x</ref>", 1, 0), ("<div\u{037E}>x</div\u{037E}>", 1, 0),
        ("&\u{212A}appa; x", 0, 0), ("&Kappa; x", 0, 1), ("<span>a</span\u{037E}>", 0, 0), ("<\u{212A}>x</\u{212A}>", 1, 0),
        ("<K>x</\u{212A}>", 1, 0),
    ] as [(String, Int, Int)])
    func codePointComparisons(_ text: String, _ tags: Int, _ entities: Int) throws {
        let tokens = try #require(MWTokenizer.tokenize(codePoints: text.unicodeScalars.map(\.value))).tokens
        #expect(tokens.filter { if case .tagOpenOpen = $0 { return true } else { return false } }.count == tags, "\(tokens)")
        #expect(tokens.filter { $0 == .htmlEntityStart }.count == entities, "\(tokens)")
    }

    @Test("deeply nested and unbalanced markup parses without crashing", arguments: [
        String(repeating: "{{", count: 3000), String(repeating: "[[", count: 3000) + String(repeating: "]]", count: 10),
        String(repeating: "<div>", count: 2000), String(repeating: "{{a|", count: 500) + String(repeating: "}}", count: 500),
        String(repeating: "''", count: 2000), String(repeating: "{|\n|", count: 500), String(repeating: "<ref>", count: 1000),
    ])
    func nested(_ text: String) {
        #expect(WikitextParseCounts(text) != nil)
    }
}

/// Parsing a text by reusing a similar text's parse (a revision's and its parent's) must give
/// exactly the tokens a fresh parse gives. Texts are made of wikitext constructs — closed and
/// unclosed templates, links, tags, styles, headings, tables, lists, comments — and edited at
/// random, so that edits open, close or move constructs on either side of what is reused.
@Suite("Parsing with reuse")
struct ParseReuseTests {
    static let pieces: [String] = [
        "{{", "}}", "{{cite|a=b}}", "{{{x}}}", "[[", "]]", "[[Page|text]]", "[http://example.org x]", "http://a.org/b ",
        "<ref>", "</ref>", "<ref name=x/>", "<div>", "</div>", "<br>", "<!--", "-->", "<nowiki>", "</nowiki>", "''", "'''",
        "\n", "\n\n", "\n== H ==\n", "\n=", "=", "\n* ", "\n# ", "\n; a : b", "\n{|\n| c\n|}\n", "\n|-", "|", "!", "&amp;",
        "&", ";", ":", "-", "----", " ", "word ", "Words ", "x", "{", "}", "[", "]", "<", ">", "/", "\"", "#", "*",
    ]

    @Test("equals a fresh parse, for random edits of random wikitext")
    func randomEdits() throws {
        var random = SeededRandom(seed: 0xC0FFEE)
        var joined = 0, started = 0
        for round in 0..<1500 {
            let base = random.text(Self.pieces, 10 + random.next(120))
            let edited = random.edit(base, kind: round % 3, maxLength: 11, pieces: Self.pieces)
            for (a, b) in [(base, edited), (edited, base)] {
                let first = try #require(MWTokenizer.parse(codePoints: b, reusing: nil))
                #expect(first.resolvedTokens == MWTokenizer.tokenize(codePoints: b)?.resolvedTokens)
                let fresh = MWTokenizer.tokenize(codePoints: a)?.resolvedTokens
                let reused = MWTokenizer.parse(codePoints: a, reusing: first)
                #expect(reused?.resolvedTokens == fresh, "\(String(codePoints: a[...]).debugDescription) reusing \(String(codePoints: b[...]).debugDescription)")
                if reused?.joinedAt != nil { joined += 1 }
                if (reused?.startedAt ?? 0) > 0 { started += 1 }
            }
        }
        // Both kinds of reuse must happen often, or this tests little.
        #expect(joined > 500 && started > 500, "joined \(joined), started \(started) of 3000")
    }

    @Test("splitting by reuse equals splitting afresh, for random edits of random wikitext")
    func splitReuse() throws {
        var random = SeededRandom(seed: 0x5EED)
        var reusedPieces = 0
        for round in 0..<1500 {
            let base = random.text(Self.pieces, random.next(120))
            let edited = random.edit(base, kind: round % 3, maxLength: 11, pieces: Self.pieces)
            for (a, b) in [(base, edited), (edited, base)] {
                let other = try #require(MWTokenizer.parse(codePoints: b, reusing: nil))
                let (prefix, suffix) = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { WikitextTokenizer.commonEnds(x, $0) } }
                let reused = MWTokenizer.split(codePoints: a, reusing: other, prefix: prefix, suffix: suffix)
                let fresh = MWTokenizer.split(codePoints: a)
                #expect(reused.pieces == fresh.pieces && reused.ends == fresh.ends,
                        "\(String(codePoints: a[...]).debugDescription) reusing \(String(codePoints: b[...]).debugDescription)")
                reusedPieces += other.pieces.count
            }
        }
        #expect(reusedPieces > 10_000)
    }

    /// Comments fail at once past a comment that found no "-->" before the end: the same
    /// tokens as scanning each one, for texts full of opened and closed comments.
    @Test("remembering unclosed comments gives the tokens of scanning each")
    func unclosedComments() throws {
        var random = SeededRandom(seed: 0xC033)
        let pieces = Self.pieces + ["<!--", "<!--", "-->", "--", "->", "<!-- x", "- -> "]
        var remembered = 0
        for _ in 0..<800 {
            let text = random.text(pieces, random.next(80))
            let fast = try #require(MWTokenizer.tokenize(codePoints: text))
            let slow = try #require(MWTokenizer.tokenize(codePoints: text, remembersUnclosedComments: false))
            #expect(fast.resolvedTokens == slow.resolvedTokens, "\(String(codePoints: text[...]).debugDescription)")
            let opened = text.indices.filter { text[$0...].starts(with: [0x3C, 0x21, 0x2D, 0x2D]) }.count
            if opened > 1, !String(codePoints: text[...]).contains("-->") { remembered += 1 }
        }
        #expect(remembered > 50)
    }

    /// A reused token's text keeps its code points whichever storage it lies in: moved when
    /// the other source holds it in the shared part, kept when aside, copied aside otherwise.
    @Test("texts taken from another parse keep their code points")
    func adoptedTexts() {
        let other = TokenTexts(source: Array("abcdefgh".unicodeScalars.map(\.value)), aside: [0x78, 0x79])
        let work = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        work.initialize(to: 0)
        defer { work.deallocate() }
        var t = MWTokenizer(work: work)
        t.texts = TokenTexts(source: Array("XYZdefgh".unicodeScalars.map(\.value)), aside: other.aside)
        let cases: [(WikiText, Range<Int>, Int)] = [
            (WikiText(source: 4, 6), 3..<8, 0),  // "ef", in the shared end
            (WikiText(source: 1, 4), 3..<8, 0),  // "bcd": starts before the shared part
            (WikiText(source: 0, 2), 0..<0, 0),  // "ab": nothing shared
            (WikiText(aside: 0, 2), 3..<8, 0),  // "xy", aside
            (WikiText(source: 5, 5), 3..<8, 0),  // empty
        ]
        for (text, shared, shift) in cases {
            let adopted = t.adopt(text, from: other, shared: shared, shift: shift)
            #expect(Array(t.texts.codePoints(adopted)) == Array(other.codePoints(text)), "\(text)")
        }
        #expect(t.adopt(WikiText(source: 4, 6), from: other, shared: 3..<8, shift: 0).isAside == false)
        #expect(t.adopt(WikiText(source: 1, 4), from: other, shared: 3..<8, shift: 0).isAside)
    }
}
