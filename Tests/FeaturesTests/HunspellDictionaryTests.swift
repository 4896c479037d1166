import Foundation
import Testing
@testable import Features
import Revscoring

/// The dictionaries answer through a copy without compound rules for words that cannot be
/// compounds (see `CompoundRuleShortcut`): those answers must be the full dictionaries'.
@Suite("Hunspell dictionaries")
struct HunspellDictionaryTests {
    static let languages = ["en_US", "en_GB", "en_AU"]
    static var installed: Bool { English.dictionary != nil }

    /// Words meant to reach every path: ordinals and other compounds of the number rules,
    /// digits inside words, break points, leading spaces, case variants, apostrophes, dots.
    static let crafted = [
        "21st", "11th", "113th", "1st", "1th", "5th", "101st", "21ST", "21St", "A2", "THE21ST", "A-21st", "foo-22nd", "2nd-rate",
        "well-known", "-21st", "21st-", " 21st", " word", "colour", "color", "Colour", "COLOUR", "colours", "Anarchism",
        "anarchist's", "don't", "O'Neil", "naïve", "cafe\u{301}", "etc.", "e.g.", "U.S.", "xyzzyq", "Hesychius", "_", "a_b",
        "réaliser", "ﬁne", "Straße", "ǅemal", "1", "12", "1,000", "3.14", "4-5", "",
    ]

    @Test("the English dictionaries take the shortcut", .enabled(if: installed, "hunspell-en-* dictionaries are not installed"))
    func shortcutApplies() throws {
        for language in Self.languages {
            let dictionary = try #require(HunspellDictionary(language: language))
            #expect(dictionary.usesCompoundRuleShortcut, "\(language) checks every word with its compound rules")
        }
    }

    @Test("answers equal the full dictionaries' for crafted and page words",
          .enabled(if: installed, "hunspell-en-* dictionaries are not installed"))
    func sameAnswers() throws {
        var words = Self.crafted
        for name in ["sample-revisions.jsonl", "edge-revisions.jsonl"] {
            for line in try jsonLines(SharedPaths.fixtures.appendingPathComponent(name)) {
                for key in ["text", "parent_text"] {
                    guard let text = line[key]?.stringValue else { continue }
                    let analysis = TextAnalysis(text)
                    words += analysis.words.map { analysis.strings.string($0) }
                }
            }
        }
        var differences: [String] = []
        var accepted = 0
        for language in Self.languages {
            let dictionary = try #require(HunspellDictionary(language: language))
            for word in Set(words) {
                let full = dictionary.checkWithFullDictionary(word)
                if dictionary.check(word) != full { differences.append("\(language) \(word.debugDescription)") }
                if full { accepted += 1 }
            }
        }
        #expect(differences.isEmpty, "\(differences.prefix(20))")
        // The list must hold both answers, and compounds only the full dictionary knows.
        #expect(accepted > 100)
        let us = try #require(HunspellDictionary(language: "en_US"))
        #expect(us.check("21st") && us.check("A-21st") && !us.check("xyzzyq"))
    }

    static let englishLikeAffix = """
        \u{FEFF}# a comment after a byte order mark
        SET UTF-8
        TRY esiaénrtolcdugmfphbyvkw
        ICONV 1
        ICONV ’ '
        COMPOUNDMIN 1
        ONLYINCOMPOUND c
        COMPOUNDRULE 2
        COMPOUNDRULE n*1t
        COMPOUNDRULE n*mp
        WORDCHARS 0123456789’
        SFX S Y 1
        SFX S 0 s .
        """
    static let englishLikeDictionary = "6\n1/n1\n2/nm\n1st/p\n1th/tc\nword/S\nother\n"

    @Test("the affix file without compound rules keeps every other line")
    func variant() throws {
        let variant = try #require(CompoundRuleShortcut.affixWithoutCompoundRules(
            aff: Array(Self.englishLikeAffix.utf8), dic: Array(Self.englishLikeDictionary.utf8)))
        let lines = String(decoding: variant, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines == Self.englishLikeAffix.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("COMPOUND") })
    }

    /// Affix and dictionary files the argument does not cover.
    static let uncovered: [(String, String)] = {
        let aff = englishLikeAffix, dic = englishLikeDictionary
        let noRules = aff.split(separator: "\n").filter { !$0.hasPrefix("COMPOUNDRULE") }.joined(separator: "\n")
        var cases: [(String, String)] = []
        // A part of a compound that begins with a letter.
        cases.append((aff, "2\nword/n\n1/1\n"))
        // Other ways to compound, other flag formats, flag aliases, ignored characters, break points.
        for extra in ["COMPOUNDFLAG X", "FLAG long", "AF 1\nAF nm", "IGNORE x", "BREAK 1\nBREAK _"] {
            cases.append((aff + "\n" + extra, dic))
        }
        // A conversion that makes a digit or a dash.
        cases.append((aff.replacingOccurrences(of: "ICONV ’ '", with: "ICONV ¹ 1"), dic))
        cases.append((aff.replacingOccurrences(of: "ICONV ’ '", with: "ICONV – -"), dic))
        // No compound rules: nothing to leave out.
        cases.append((String(noRules), dic))
        return cases
    }()

    @Test("files the argument does not cover keep their compound rules")
    func refused() {
        for (aff, dic) in Self.uncovered {
            #expect(CompoundRuleShortcut.affixWithoutCompoundRules(aff: Array(aff.utf8), dic: Array(dic.utf8)) == nil, "\(aff)")
        }
    }

    @Test("a dictionary whose compounds begin with letters answers with them")
    func letterCompounds() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hunspell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "SET UTF-8\nCOMPOUNDMIN 1\nCOMPOUNDRULE 1\nCOMPOUNDRULE ab\n".write(
            to: directory.appendingPathComponent("xx.aff"), atomically: true, encoding: .utf8)
        try "2\nfoo/a\nbar/b\n".write(to: directory.appendingPathComponent("xx.dic"), atomically: true, encoding: .utf8)
        let dictionary = try #require(HunspellDictionary(language: "xx", directory: directory.path))
        #expect(!dictionary.usesCompoundRuleShortcut)
        #expect(dictionary.check("foobar") && dictionary.check("foo") && !dictionary.check("barfoo"))
    }
}
