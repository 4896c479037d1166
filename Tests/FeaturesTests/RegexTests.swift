import Foundation
import Testing
@testable import Features
import Revscoring

@Suite("Python-compatible regular expressions")
struct RegexTests {
    /// Compiled once per pattern: the word lists are most cases, and compiling one (with its
    /// start filter) takes tens of milliseconds.
    final class Compiled {
        var regexes: [String: PythonRegex] = [:]
        func regex(_ pattern: String, ignoreCase: Bool) throws -> PythonRegex {
            let key = (ignoreCase ? "i:" : "c:") + pattern
            if let r = regexes[key] { return r }
            let r = try PythonRegex(pattern, ignoreCase: ignoreCase)
            regexes[key] = r
            return r
        }
    }

    @Test("finditer spans and groups equal Python's re (Fixtures/regex-cases.jsonl)")
    func cases() throws {
        let lines = try jsonLines(SharedPaths.fixtures.appendingPathComponent("regex-cases.jsonl"))
        #expect(lines.count > 150)
        var failures = 0
        let compiled = Compiled()
        let named = lines.first?["patterns"]
        for line in lines.dropFirst() {
            guard let pattern = line["pattern"]?.stringValue ?? line["pattern_name"]?.stringValue.flatMap({ named?[$0]?.stringValue }),
                  let text = line["text"]?.stringValue,
                  case let .bool(ignoreCase)? = line["ignore_case"], let expected = line["matches"]
            else { Issue.record("bad case line"); continue }
            let regex = try compiled.regex(pattern, ignoreCase: ignoreCase)
            let got = try regex.matches(in: text).map { m -> JSONValue in
                .array([.array([.int(m.range.lowerBound), .int(m.range.upperBound)]),
                        .array(m.groups.map { g in g.map { .array([.int($0.lowerBound), .int($0.upperBound)]) } ?? .array([.int(-1), .int(-1)]) })])
            }
            if JSONValue.array(got) != expected {
                failures += 1
                if failures <= 5 {
                    Issue.record("\(pattern.prefix(60)) on \(text.debugDescription): got \(JSONValue.array(got).serialized()), expected \(expected.serialized())")
                }
            }
        }
        #expect(failures == 0)
    }

    /// Word lists are matched line by line (and lines shared by a revision and its parent
    /// once): that must give exactly the whole text's matches.
    @Test("line-local patterns match line by line as over the whole text")
    func lineLocal() throws {
        #expect(English.badwords.regex.isLineLocal && English.informals.regex.isLineLocal)
        for pattern in ["^a", "a$", #"a\s"#, "[^a]b", "a\nb", #"\Aa"#, "a?"] {
            #expect(try !PythonRegex(pattern).isLineLocal, "\(pattern)")
        }
        let lines = try jsonLines(SharedPaths.fixtures.appendingPathComponent("regex-cases.jsonl"))
        let named = lines.first?["patterns"]
        var checked = 0
        let compiled = Compiled()
        for line in lines.dropFirst() {
            guard let pattern = line["pattern"]?.stringValue ?? line["pattern_name"]?.stringValue.flatMap({ named?[$0]?.stringValue }),
                  let text = line["text"]?.stringValue, case let .bool(ignoreCase)? = line["ignore_case"]
            else { continue }
            let regex = try compiled.regex(pattern, ignoreCase: ignoreCase)
            guard regex.isLineLocal else { continue }
            let scalars = text.unicodeScalars.map(\.value) + [0x0A] + text.unicodeScalars.map(\.value)
            var byLine: [Range<Int>] = []
            var start = 0
            for i in 0...scalars.count where i == scalars.count || scalars[i] == 0x0A {
                let found = try regex.matches(in: Array(scalars[start..<i]))
                byLine += found.map { ($0.range.lowerBound + start)..<($0.range.upperBound + start) }
                start = i + 1
            }
            #expect(try regex.matches(in: scalars).map(\.range) == byLine, "\(pattern.prefix(40)) on \(text.debugDescription)")
            checked += 1
        }
        #expect(checked > 20)
    }

    /// Patterns that begin with `\b` and a word character are scanned word start by word
    /// start; that must find what trying every position (`re.match` at each, as `finditer`
    /// does for patterns without empty matches) finds, including matches that end inside a
    /// word and words made of code points past U+FFFF.
    @Test("word-start scanning finds what trying every position finds")
    func wordStartScan() throws {
        let patterns: [(String, Bool)] = [
            (#"\bab"#, false), (#"\b(?:ab|b)"#, true), (#"\b(ha)+\b"#, true), (#"\b\w{2}"#, false),
            (#"\b[a-z\U0001D400-\U0001D4FF]+"#, false), (English.badwords.regex.pattern, true),
            (English.informals.regex.pattern, true),
        ]
        let alphabet: [UInt32] = [0x61, 0x62, 0x68, 0x41, 0x42, 0x20, 0x5F, 0x31, 0x2E, 0x0A, 0x301, 0xE9, 0x1D400, 0x1F600, 0x3B1]
        let words = ["ab", "abab", "cab", "haha", "HAHA", "hahah", "fuck", "lol", "shit", "yo", "\u{1D400}ab", "a\u{301}b",
                     "the", "theif", "theives", "thei", "A", "awesomest", "aaasss", "asses"]
            .map { $0.unicodeScalars.map(\.value) }
        var random = SeededRandom(seed: 7)
        var texts: [[UInt32]] = []
        for _ in 0..<300 {
            var t: [UInt32] = []
            for _ in 0..<random.next(12) {
                if random.next(2) == 0 { t += words[random.next(words.count)] } else { t.append(alphabet[random.next(alphabet.count)]) }
            }
            texts.append(t)
        }
        var found = 0
        for (pattern, ignoreCase) in patterns {
            let regex = try PythonRegex(pattern, ignoreCase: ignoreCase)
            #expect(regex.startsAtWordStarts, "\(pattern.prefix(30)) should take the word-start scan")
            for t in texts {
                var expected: [Range<Int>] = []
                var i = 0
                while i < t.count {
                    if let m = try regex.match(t, at: i), !m.range.isEmpty {
                        expected.append(m.range)
                        i = m.range.upperBound
                    } else {
                        i += 1
                    }
                }
                found += expected.count
                #expect(try regex.matches(in: t).map(\.range) == expected, "\(pattern.prefix(30)) on \(t)")
            }
        }
        #expect(found > 100)
    }

    /// The start filter is built by collecting, in one run per prefix, what may follow it; it
    /// must admit every code point the exact question (one run per prefix and code point)
    /// admits, and should rarely admit more.
    @Test("collected next code points contain every one the exact prefix question admits")
    func startFilterFollowing() throws {
        let patterns: [(String, Bool)] = [
            (English.badwords.regex.pattern, true), (English.informals.regex.pattern, true),
            (#"\bab(?=c)"#, false), (#"\ba\B"#, false), (#"\bab$"#, false), (#"\b(?:a|)b+?c"#, false),
            (#"\b[a-zé]{2,3}\b"#, true), (#"\b(ha|ho)*h\b"#, true), (#"\bx(?!y)."#, false), (#"\bq\w*?z"#, false),
        ]
        var rows = 0, tight = 0
        for (pattern, ignoreCase) in patterns {
            let program = try PythonRegex(pattern, ignoreCase: ignoreCase).program
            for c0 in UInt32(0)..<128 {
                let next = StartFilter.following(program, c0)
                var exact = Latin1Set()
                for c in UInt32(0)..<256 where StartFilter.possible(program, [c0, c]) { exact.insert(c) }
                rows += 1
                if next == exact { tight += 1 }
                for c in UInt32(0)..<256 where exact.contains(c) && !next.contains(c) {
                    Issue.record("\(pattern.prefix(30)): \(c0) then \(c) admitted by the exact question only")
                }
                // One level deeper, for the letters that can follow.
                for c1 in UInt32(0x61)...0x7A where exact.contains(c1) {
                    let next2 = StartFilter.following(program, c0, c1)
                    var exact2 = Latin1Set()
                    for c in UInt32(0)..<256 where StartFilter.possible(program, [c0, c1, c]) { exact2.insert(c) }
                    rows += 1
                    if next2 == exact2 { tight += 1 }
                    for c in UInt32(0)..<256 where exact2.contains(c) && !next2.contains(c) {
                        Issue.record("\(pattern.prefix(30)): \(c0) \(c1) then \(c) admitted by the exact question only")
                    }
                }
            }
        }
        #expect(rows > 2000)
        #expect(Double(tight) > 0.9 * Double(rows), "\(tight) of \(rows) rows exactly as tight")
    }

    @Test("unsupported syntax is a clear error")
    func errors() {
        for bad in ["(?<=a)b", "(a", "a)", "*a", "[a", "a{2}+", "\\q", "(?P=x)"] {
            #expect(throws: RegexSyntaxError.self, "\(bad)") { _ = try PythonRegex(bad) }
        }
    }
}
