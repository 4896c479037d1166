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

    @Test("unsupported syntax is a clear error")
    func errors() {
        for bad in ["(?<=a)b", "(a", "a)", "*a", "[a", "a{2}+", "\\q", "(?P=x)"] {
            #expect(throws: RegexSyntaxError.self, "\(bad)") { _ = try PythonRegex(bad) }
        }
    }
}
