import Foundation
import Testing
@testable import Features
import Revscoring

@Suite("Python-compatible regular expressions")
struct RegexTests {
    @Test("finditer spans and groups equal Python's re (Fixtures/regex-cases.jsonl)")
    func cases() throws {
        let lines = try jsonLines(SharedPaths.fixtures.appendingPathComponent("regex-cases.jsonl"))
        #expect(lines.count > 150)
        var failures = 0
        let named = lines.first?["patterns"]
        for line in lines.dropFirst() {
            guard let pattern = line["pattern"]?.stringValue ?? line["pattern_name"]?.stringValue.flatMap({ named?[$0]?.stringValue }),
                  let text = line["text"]?.stringValue,
                  case let .bool(ignoreCase)? = line["ignore_case"], let expected = line["matches"]
            else { Issue.record("bad case line"); continue }
            let regex = try PythonRegex(pattern, ignoreCase: ignoreCase)
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

    @Test("unsupported syntax is a clear error")
    func errors() {
        for bad in ["(?<=a)b", "(a", "a)", "*a", "[a", "a{2}+", "\\q", "(?P=x)"] {
            #expect(throws: RegexSyntaxError.self, "\(bad)") { _ = try PythonRegex(bad) }
        }
    }
}
