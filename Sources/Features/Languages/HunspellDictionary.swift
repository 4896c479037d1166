import Foundation
internal import CHunspell
import Synchronization

/// A Hunspell dictionary, checked the way enchant's hunspell provider checks words (the path
/// revscoring takes through pyenchant): words longer than 300 UTF-8 bytes are unknown, words
/// are NFC-normalized, then `Hunspell::spell`.
public final class HunspellDictionary: Sendable {
    /// The dictionary's language tag, e.g. `en_US`.
    public let language: String
    /// Hunspell keeps internal state while checking, so calls are serialised.
    private let handle: Mutex<OpaquePointer>

    /// hunspell's MAXWORDLEN (100) × 3: enchant refuses longer UTF-8 words outright.
    static let maxWordUTF8Length = 300

    /// Opens `<directory>/<language>.aff` and `.dic`; `nil` when they are missing.
    public init?(language: String, directory: String = "/usr/share/hunspell") {
        let aff = "\(directory)/\(language).aff", dic = "\(directory)/\(language).dic"
        guard FileManager.default.fileExists(atPath: aff), FileManager.default.fileExists(atPath: dic),
              let h = Hunspell_create(aff, dic)
        else { return nil }
        self.language = language
        self.handle = Mutex(h)
    }

    deinit {
        handle.withLock { Hunspell_destroy($0) }
    }

    /// True when the dictionary accepts `word` (`enchant.Dict.check`).
    public func check(_ word: String) -> Bool { check(normalized: Self.nfc(word)) }

    /// `check` of a word already in NFC.
    func check(normalized: String) -> Bool {
        guard normalized.utf8.count <= Self.maxWordUTF8Length, !normalized.isEmpty else { return false }
        return handle.withLock { h in normalized.withCString { Hunspell_spell(h, $0) != 0 } }
    }

    /// NFC, as enchant applies it. Text with no code point from U+0300 on is already NFC (the
    /// first code point whose NFC quick check is not "yes" is U+0300), and Foundation's
    /// normalization is costly, so most words skip it.
    static func nfc(_ word: String) -> String {
        word.unicodeScalars.allSatisfy { $0.value < 0x300 } ? word : word.precomposedStringWithCanonicalMapping
    }
}

/// revscoring's `MultiDictChecker`: a word is known if any dictionary accepts it, after
/// `utf16_cleanup` (code points above U+FFFF become U+FFFD).
public struct MultiDictionary: Sendable {
    /// The dictionaries, tried in order.
    public let dictionaries: [HunspellDictionary]
    /// Answers shared by every revision a process extracts (pages repeat their words from one
    /// revision to the next); bounded, and emptied when full.
    private let answers = AnswerCache()
    static let maxCachedAnswers = 500_000

    private final class AnswerCache: Sendable {
        let table = Mutex(WordAnswerTable())
    }

    public init(_ dictionaries: [HunspellDictionary]) {
        self.dictionaries = dictionaries
    }

    /// `safe_dictionary_check(word)`.
    public func check(_ word: String) -> Bool {
        let codePoints = [UInt32](codePointsOf: word)
        return codePoints.withUnsafeBufferPointer { check(words: [0..<codePoints.count], in: $0)[0] }
    }

    /// `safe_dictionary_check` of each word, the words given as ranges of `text`'s code points.
    ///
    /// Many words at once so that the process-wide answers are locked twice per call (once to
    /// look up, once to add what Hunspell answered), not twice per word.
    public func check(words: [Range<Int>], in text: UnsafeBufferPointer<UInt32>) -> [Bool] {
        check(words: words, in: text, hashes: words.map { StringSet.hash(UnsafeBufferPointer(rebasing: text[$0])) })
    }

    /// The same, with each word's ``StringSet/hash(_:)`` already known (the string table keeps
    /// them), so that no word is hashed twice.
    func check(words: [Range<Int>], in text: UnsafeBufferPointer<UInt32>, hashes: [UInt64]) -> [Bool] {
        var result = [Bool](repeating: false, count: words.count)
        var misses: [Int] = []
        answers.table.withLock { table in
            for (k, known) in table.answers(words, in: text, hashes: hashes).enumerated() {
                if let known { result[k] = known } else { misses.append(k) }
            }
        }
        guard !misses.isEmpty else { return result }
        for k in misses { result[k] = uncachedCheck(String(codePoints: UnsafeBufferPointer(rebasing: text[words[k]]))) }
        answers.table.withLock { table in
            if table.count + misses.count > Self.maxCachedAnswers { table = WordAnswerTable() }
            for k in misses { table.insert(UnsafeBufferPointer(rebasing: text[words[k]]), hash: hashes[k], result[k]) }
        }
        return result
    }

    func uncachedCheck(_ word: String) -> Bool {
        var cleaned = word
        if word.unicodeScalars.contains(where: { $0.value > 0xFFFF }) {
            cleaned = String(String.UnicodeScalarView(word.unicodeScalars.map { $0.value > 0xFFFF ? "\u{FFFD}" : $0 }))
        }
        let normalized = HunspellDictionary.nfc(cleaned)
        return dictionaries.contains { $0.check(normalized: normalized) }
    }
}
