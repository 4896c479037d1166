import Foundation
import Testing
@testable import Features
import Revscoring

enum SharedPaths {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Fixtures")
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")
    static func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: shared.appendingPathComponent(relative).path)
    }
}

/// Reads JSON lines with the project's parser (Foundation's drops a leading U+FEFF in strings).
func jsonLines(_ url: URL) throws -> [JSONValue] {
    let data = try Data(contentsOf: url)
    return try data.split(separator: 0x0A).filter { !$0.isEmpty }.map { try JSONValue.parse($0) }
}

extension JSONValue {
    var stringValue: String? { if case let .string(s) = self { return s } else { return nil } }
    var intValue: Int? { if case let .int(i) = self { return i } else { return nil } }
    /// `[[type, text], ...]`.
    var tokenPairs: [[String]]? {
        guard case let .array(items) = self else { return nil }
        return items.map { item in
            guard case let .array(pair) = item else { return [] }
            return pair.compactMap(\.stringValue)
        }
    }
}

@Suite("wikitext_split tokenizer")
struct TokenizerTests {
    func tokens(_ text: String) -> [[String]] {
        let t = WikitextTokenizer.tokenize(text)
        return t.tokens.map { [$0.type.description, t.text(of: $0)] }
    }

    /// `TextAnalysis` picks markup tokens out with a 64-bit mask of their types.
    @Test("token types fit a 64-bit mask")
    func typeCount() {
        #expect(TokenType.allCases.count <= 64)
        #expect(TokenType.allCases.allSatisfy { Int($0.rawValue) < 64 })
    }

    @Test("tokens of the corpus revisions equal deltas' (goldens/tokens.jsonl)",
          .enabled(if: SharedPaths.exists("goldens/tokens.jsonl"), "../shared/goldens/tokens.jsonl is absent"))
    func goldenTokens() throws {
        var texts: [Int: String] = [:]
        for doc in try jsonLines(SharedPaths.shared.appendingPathComponent("corpus/enwiki-revisions.jsonl")) {
            if let id = doc["rev_id"]?.intValue, let text = doc["text"]?.stringValue { texts[id] = text }
        }
        var checked = 0
        for line in try jsonLines(SharedPaths.shared.appendingPathComponent("goldens/tokens.jsonl")) {
            guard let id = line["rev_id"]?.intValue, let expected = line["tokens"]?.tokenPairs, let text = texts[id] else {
                Issue.record("golden line without a corpus text")
                continue
            }
            let got = tokens(text)
            if got != expected {
                let first = zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, expected.count)
                Issue.record("rev \(id): first difference at token \(first): got \(got.dropFirst(first).prefix(3)), expected \(expected.dropFirst(first).prefix(3))")
            }
            checked += 1
        }
        #expect(checked == 40)
    }

    @Test("code points decoded from UTF-8 equal the string's Unicode scalars")
    func codePoints() {
        var rng = SystemRandomNumberGenerator()
        let samples: [UInt32] = [0x41, 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0x3A3, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF, 0x0A]
        for length in [0, 1, 2, 7, 100] {
            for _ in 0..<50 {
                let scalars = (0..<length).compactMap { _ in Unicode.Scalar(samples.randomElement(using: &rng) ?? 0x41) }
                let text = String(String.UnicodeScalarView(scalars))
                #expect([UInt32](codePointsOf: text) == text.unicodeScalars.map(\.value))
            }
        }
        // Mostly ASCII, as pages are: runs of eight ASCII bytes are decoded at once, so other
        // code points must be found at every offset within and after such runs.
        var random = SeededRandom(seed: 8)
        for _ in 0..<500 {
            let scalars = (0..<random.next(40)).compactMap { _ in
                Unicode.Scalar(random.next(4) == 0 ? samples[random.next(samples.count)] : UInt32(0x20 + random.next(0x5F)))
            }
            let text = String(String.UnicodeScalarView(scalars))
            #expect([UInt32](codePointsOf: text) == text.unicodeScalars.map(\.value))
        }
    }

    @Test("tricky inputs tokenize as deltas does (Fixtures/tokenizer-cases.jsonl)")
    func fixtureCases() throws {
        let cases = try jsonLines(SharedPaths.fixtures.appendingPathComponent("tokenizer-cases.jsonl"))
        #expect(cases.count > 20)
        for c in cases {
            guard let text = c["text"]?.stringValue, let expected = c["tokens"]?.tokenPairs else { continue }
            #expect(tokens(text) == expected, "\(text.debugDescription)")
        }
    }
}

@Suite("Strings from code points")
struct CodePointStringTests {
    @Test("UTF-8 encoding of every length, and lone surrogates as U+FFFD")
    func encoding() {
        let points: [UInt32] = [0x41, 0xE9, 0x20AC, 0x1F600, 0xD800, 0x10FFFF, 0]
        let s = String(codePoints: points)
        #expect(Array(s.unicodeScalars.map(\.value)) == [0x41, 0xE9, 0x20AC, 0x1F600, 0xFFFD, 0x10FFFF, 0])
        #expect(String(codePoints: [UInt32]()) == "")
        #expect(PythonUnicode.lowercased("ÀB\u{3A3}ΑΣ Σ") == "àb\u{3C3}ας σ")
        #expect(PythonUnicode.lowercased("İ") == "i\u{307}")
    }
}

/// Tokenizing a text by reusing a similar text's tokens must give exactly what tokenizing it
/// afresh gives. Edits are made where the lexicon reads far ahead: `<` with and without a later
/// `>`, `&` and entity names, runs of blank lines, URLs, apostrophes, at and around the texts'
/// common prefix and suffix.
@Suite("Tokenizing with reuse")
struct TokenReuseTests {
    static let pieces: [String] = [
        "<", ">", "<ref name=a>", "</ref>", "<ref/>", "<br />", "<!--", "-->", "&", "&amp;", "&nbsp", "amp;", "abc123",
        "\n", "\n\n", "  \n \n", "\r\n", " ", "http://example.org/x", "https", "://", "//", "mailto:", "worldwind://",
        "'", "''", "'''", "don't", "rock'n", "’", "[[", "]]", "{{", "}}", "{|", "|}", "=", "==", "123", "4.5", "word",
        "Word", "WORD", "\u{3042}", "\u{0915}\u{093F}", "x\u{0301}", ".", "...", "!", "?", ";", ":", ",", "-", "\t",
    ]

    @Test("equals tokenizing afresh, for random edits of random texts")
    func randomEdits() {
        var random = SeededRandom(seed: 0x1234_5678)
        var reusedTokens = 0, totalTokens = 0
        for round in 0..<3000 {
            let base = random.text(Self.pieces, 5 + random.next(60))
            let edited = random.edit(base, kind: round % 4, maxLength: 7, pieces: Self.pieces)
            for (a, b) in [(base, edited), (edited, base)] {
                let other = TokenizedText(scalars: b, tokens: WikitextTokenizer.tokenize(scalars: b))
                let fresh = WikitextTokenizer.tokenize(scalars: a)
                let (reused, plan) = WikitextTokenizer.tokenize(scalars: a, reusing: other)
                #expect(reused == fresh, "\(String(codePoints: a[...]).debugDescription) reusing \(String(codePoints: b[...]).debugDescription)")
                #expect(plan.prefix <= plan.middleEnd && plan.middleEnd <= reused.count)
                #expect(Array(reused[plan.middleEnd...]).count == other.tokens.count - plan.otherSuffix)
                reusedTokens += plan.prefix + (reused.count - plan.middleEnd)
                totalTokens += reused.count
            }
        }
        // The reuse must actually happen, or this tests nothing.
        #expect(reusedTokens * 2 > totalTokens, "reused \(reusedTokens) of \(totalTokens)")
    }

    /// Scans that run far past their start, with the texts differing right where they stop:
    /// an entity name, blank lines, a tag's attributes, a `<ref` with or without `/>`.
    @Test("equals tokenizing afresh where a scan crosses the difference", arguments: [
        ("&" + String(repeating: "abc123", count: 8), ";", "x"),
        ("x\n" + String(repeating: " \n  ", count: 10), "\n", "y"),
        ("x\n" + String(repeating: " ", count: 40), "\n\n", "y"),
        ("<span class=" + String(repeating: "a b ", count: 10), ">", "x"),
        ("<ref name=" + String(repeating: "a b ", count: 10), "/>", "x"),
        ("</ref " + String(repeating: "a b ", count: 10), ">", "<"),
        ("http://example.org/" + String(repeating: "abc", count: 10), " ", "|"),
    ] as [(String, String, String)])
    func scansAcrossTheDifference(_ start: String, _ one: String, _ another: String) {
        let filler = String(repeating: "Lorem ipsum, dolor. ", count: 3)
        for tail in ["", " and more text after it", ">"] {
            let a = Array((filler + start + one + tail).unicodeScalars.map(\.value))
            let b = Array((filler + start + another + tail).unicodeScalars.map(\.value))
            for (x, y) in [(a, b), (b, a)] {
                let other = TokenizedText(scalars: y, tokens: WikitextTokenizer.tokenize(scalars: y))
                let (reused, plan) = WikitextTokenizer.tokenize(scalars: x, reusing: other)
                #expect(reused == WikitextTokenizer.tokenize(scalars: x), "\(start.prefix(12).debugDescription) + \(one.debugDescription)/\(another.debugDescription)")
                #expect(plan.prefix > 0, "the filler's tokens should be reused")
            }
        }
    }
}
