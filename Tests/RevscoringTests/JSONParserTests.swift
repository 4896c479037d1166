import Foundation
import Testing
import Revscoring

@Suite("JSON parser")
struct JSONParserTests {
    @Test("values, escapes and numbers as Python's json reads them")
    func values() throws {
        let v = try JSONValue.parse(#" {"a": [1, -2.5e3, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00", "big": 12345678901234567890, "f": 0.1} "#)
        #expect(v["a"] == .array([.int(1), .double(-2500), .bool(true), .bool(false), .null]))
        #expect(v["s"] == .string("x\"\\/\né😀"))
        #expect(v["big"] == .double(12345678901234567890))
        #expect(v["f"] == .double(0.1))
        #expect(try JSONValue.parse("NaN").serialized() == "null")
        #expect(try JSONValue.parse("-Infinity") == .double(-.infinity))
        let text = #"{"prediction":true,"probability":{"false":0.005564208208435506,"true":0.9944357917915645}}"#
        #expect(try JSONValue.parse(text).serialized() == text)
    }

    @Test("malformed JSON gives the byte offset", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "1e", "\"\\x\"", "\"abc", "tru", "[1 2]", "{} x", "\"\u{01}\"", "-",
    ])
    func malformed(_ text: String) {
        #expect(throws: JSONParseError.self) { _ = try JSONValue.parse(text) }
    }

    /// Strings are skipped eight bytes at a time up to the next quote, backslash or control
    /// character: each of those, at every offset of a long string (so at every position in
    /// and across the eight-byte words), must still be seen.
    @Test("quotes, escapes and control characters are found at every offset of a long string")
    func longStrings() throws {
        let text = "abcdéfgh—ijklmnopqrstuvwxyz0123456789"
        let plain = Array(text.utf8)
        // Offsets between code points (inserting inside é or — would be invalid UTF-8).
        let offsets = text.unicodeScalars.indices.map { text.utf8.distance(from: text.utf8.startIndex, to: $0) } + [plain.count]
        let escapes = [(#"\""#, "\""), (#"\\"#, "\\"), (#"\n"#, "\n"), (#"\u00e9"#, "é")]
        for offset in offsets {
            let before = String(decoding: plain[..<offset], as: UTF8.self), after = String(decoding: plain[offset...], as: UTF8.self)
            for (escape, decoded) in escapes {
                let bytes = Array("[\"".utf8) + plain[..<offset] + Array(escape.utf8) + plain[offset...] + Array("\"]".utf8)
                #expect(try JSONValue.parse(bytes) == .array([.string(before + decoded + after)]), "\(escape) at \(offset)")
            }
            // An unescaped control character is an error wherever it is.
            let control = Array("[\"".utf8) + plain[..<offset] + [0x0A] + plain[offset...] + Array("\"]".utf8)
            #expect(throws: JSONParseError.self, "control character at \(offset)") { _ = try JSONValue.parse(control) }
            // The closing quote ends the string wherever it falls.
            let short = Array("[\"".utf8) + plain[..<offset] + Array("\", 1]".utf8)
            #expect(try JSONValue.parse(short) == .array([.string(before), .int(1)]))
        }
    }

    @Test("deep nesting is refused, not a stack overflow")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { _ = try JSONValue.parse(deep) }
        #expect(throws: Never.self) { _ = try? JSONValue.parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) }
    }

    @Test("seeded mutations of feature rows never crash")
    func mutations() throws {
        let line = Array(#"{"rev_id": 9000001, "features": [true, false, 6.373319789577012, 0, -3, 1e-05, "x"]}"#.utf8)
        var generator = SplitMix64(seed: 99)
        var parsed = 0
        for _ in 0..<5_000 {
            var m = line
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let at = Int(generator.next() % UInt64(m.count))
                m[at] = UInt8(truncatingIfNeeded: generator.next())
            }
            if let v = try? JSONValue.parse(m) {
                parsed += 1
                _ = try? v.featureValues()
            }
        }
        #expect(parsed < 5_000)
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    /// The expected texts are what Python 3.11's `json.dumps(value, ensure_ascii=False)` printed
    /// (with and without `separators=(",", ":")`) for the same value.
    @Test("writes what Python's json.dumps writes: escapes, non-ASCII, numbers, spacing")
    func matchesPython() throws {
        let value = JSONValue.object([.init("k\"ey", .array([
            .string("a\"b\\c\u{08}\u{0C}\n\r\t\u{01}\u{1F}\u{7F}é—😀"), .int(1), .double(2.5), .null, .bool(true),
            .double(1e-05), .double(1e16),
        ]))])
        #expect(value.serialized(pythonSpacing: true) == #"{"k\"ey": ["a\"b\\c\b\f\n\r\t\u0001\u001f\#u{7F}é—😀", 1, 2.5, null, true, 1e-05, 1e+16]}"#)
        #expect(value.serialized() == #"{"k\"ey":["a\"b\\c\b\f\n\r\t\u0001\u001f\#u{7F}é—😀",1,2.5,null,true,1e-05,1e+16]}"#)
        #expect(try JSONValue.parse(value.serialized()) == value)
    }
}

@Suite("JSON parser: invalid UTF-8")
struct JSONInvalidUTF8Tests {
    @Test("invalid UTF-8 inside a string is an error with an offset, not a crash")
    func invalidUTF8() {
        let bytes: [UInt8] = Array(#"{"text": "ab"#.utf8) + [0xC3, 0x28, 0xFF] + Array(#"cd"}"#.utf8)
        #expect(throws: JSONParseError.self) { _ = try JSONValue.parse(bytes) }
        let truncated: [UInt8] = Array(#"{"text": ""#.utf8) + [0xE2, 0x82]
        #expect(throws: JSONParseError.self) { _ = try JSONValue.parse(truncated) }
    }

    /// Strings are decoded with repair and then compared with their bytes, so this checks
    /// that against the standard library's validation on random bytes, with and without an
    /// escape in the string (two code paths), including invalid sequences whose repair has
    /// their own length (a truncated 4-byte sequence is 3 bytes, as is U+FFFD).
    @Test("a string parses exactly when its bytes are valid UTF-8, to the same text")
    func agreesWithStandardLibrary() throws {
        var rng = SplitMix64(seed: 7)
        let pieces: [[UInt8]] = [
            [0x61], [0x7A, 0x20], [0xC3, 0xA9], [0xE2, 0x80, 0x94], [0xF0, 0x9F, 0x98, 0x80], [0xF0, 0x9F, 0x98],
            [0xE2, 0x82], [0xC3], [0xA9], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xEF, 0xBF, 0xBD],
        ]
        for _ in 0..<4000 {
            var text: [UInt8] = []
            for _ in 0..<(rng.next() % 6) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let expected = String(validating: text, as: UTF8.self)
            for escape in [false, true] {
                let body = escape ? text + Array(#"\n"#.utf8) : text
                let json = Array("[\"".utf8) + body + Array("\"]".utf8)
                let parsed = try? JSONValue.parse(json)
                #expect(parsed?.arrayValue?.first?.stringValue == expected.map { escape ? $0 + "\n" : $0 }, "\(text)")
                #expect((parsed == nil) == (expected == nil), "\(text)")
            }
        }
    }
}
