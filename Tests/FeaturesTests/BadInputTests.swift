import Foundation
import Testing
@testable import Features

/// Hostile and degenerate texts: extraction must finish without crashing.
@Suite("Bad input")
struct BadInputTests {
    func data(_ text: String, parent: String? = nil) -> RevisionData {
        RevisionData(text: text, parentText: parent, comment: "", timestamp: 1_451_606_400, namespace: 0,
                     userID: 0, userGroups: nil, userRegistration: nil)
    }

    /// Every implemented feature of one revision; a feature may refuse the text with a
    /// FeatureError (never crash).
    func extractAll(_ d: RevisionData) -> [Result<FeatureValue, FeatureError>] {
        let context = RevisionContext(d)
        return FeatureRegistry.standard.names.compactMap { name in
            FeatureRegistry.standard.feature(named: name).map { f in
                Result { () throws(FeatureError) -> FeatureValue in try f.value(in: context) }
            }
        }
    }

    @Test("degenerate texts", arguments: [
        "", "\n", "'", "''''''''''", String(repeating: "[[", count: 5000), String(repeating: "{{", count: 5000) + "}}",
        String(repeating: "<ref>", count: 3000), "<ref", "&", "\u{FFFD}\u{0}\u{1F600}", String(repeating: "\u{0301}", count: 1000),
    ])
    func degenerate(_ text: String) {
        #expect(!extractAll(data(text, parent: text)).isEmpty)
    }

    @Test("a 2 MB page of repeated laughter (long regex backtracking chains)")
    func longRepetition() {
        let text = String(repeating: "ha", count: 1_000_000)
        let values = extractAll(data(text))
        #expect(!values.isEmpty)
        // Everything but the informal-word features is computed; those report that the
        // backtracking outgrew the stack instead of crashing.
        let refused = values.filter { if case .failure = $0 { return true } else { return false } }
        #expect(refused.count <= 6)
    }

    @Test("moderate laughter (8 000 characters) still matches as Python does")
    func moderateRepetition() throws {
        let text = String(repeating: "ha", count: 4000)
        let matches = try English.informals.regex.matches(in: text)
        #expect(matches.count == 1)
        #expect(matches.first?.range == 0..<8000)
    }

    @Test("a 2 MB page of mixed wikitext")
    func bigPage() {
        var page = ""
        let pieces = ["== Heading ==\n", "Some '''bold''' text with a [[link|label]] and {{template|x=1}}.", " http://example.org/x ",
                      "<ref name=a>cite</ref>", "\n* item\n", "FUCK you lol!!! ", "1234 ", "\u{00E9}t\u{00E9} ", "Σίσυφος "]
        var i = 0
        while page.utf8.count < 2_000_000 {
            page += pieces[i % pieces.count]
            i += 1
        }
        #expect(!extractAll(data(page, parent: String(page.prefix(page.count / 2)))).isEmpty)
    }
}
