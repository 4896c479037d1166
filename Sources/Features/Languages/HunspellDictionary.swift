import Foundation
internal import CHunspell
import Synchronization

/// A Hunspell dictionary, checked the way enchant's hunspell provider checks words (the path
/// revscoring takes through pyenchant): words longer than 300 UTF-8 bytes are unknown, words
/// are NFC-normalized, then `Hunspell::spell`.
///
/// Words that cannot be compounds under the dictionary's compound rules are checked by a copy
/// of it loaded without them (see ``CompoundRuleShortcut``): the same answers, three times
/// faster for the words it rejects. The full dictionary is loaded the first time a word
/// needs it.
public final class HunspellDictionary: Sendable {
    /// The dictionary's language tag, e.g. `en_US`.
    public let language: String
    private let affixPath: String, dictionaryPath: String
    /// Hunspell keeps internal state while checking, so calls are serialised.
    private let handles: Mutex<Handles>

    private struct Handles {
        /// The dictionary as its files define it (`nil` until needed, when `withoutCompoundRules` is set).
        var full: OpaquePointer?
        /// The dictionary without its compound rules, when that cannot change an answer for
        /// the words ``CompoundRuleShortcut/mayBeCompound(_:)`` rules out.
        let withoutCompoundRules: OpaquePointer?
    }

    /// hunspell's MAXWORDLEN (100) × 3: enchant refuses longer UTF-8 words outright.
    static let maxWordUTF8Length = 300

    /// Opens `<directory>/<language>.aff` and `.dic`; `nil` when they are missing.
    public init?(language: String, directory: String = "/usr/share/hunspell") {
        let aff = "\(directory)/\(language).aff", dic = "\(directory)/\(language).dic"
        guard FileManager.default.fileExists(atPath: aff), FileManager.default.fileExists(atPath: dic) else { return nil }
        let shortcut = Self.loadWithoutCompoundRules(aff: aff, dic: dic)
        let full = shortcut == nil ? Hunspell_create(aff, dic) : nil
        guard shortcut != nil || full != nil else { return nil }
        self.language = language
        self.affixPath = aff
        self.dictionaryPath = dic
        self.handles = Mutex(Handles(full: full, withoutCompoundRules: shortcut))
    }

    /// The dictionary loaded from a copy of its affix file without compound rules, when
    /// ``CompoundRuleShortcut`` finds that exact.
    private static func loadWithoutCompoundRules(aff: String, dic: String) -> OpaquePointer? {
        guard let affBytes = FileManager.default.contents(atPath: aff), let dicBytes = FileManager.default.contents(atPath: dic),
              let variant = CompoundRuleShortcut.affixWithoutCompoundRules(aff: [UInt8](affBytes), dic: [UInt8](dicBytes))
        else { return nil }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("revscoring-\(UUID().uuidString).aff").path
        guard FileManager.default.createFile(atPath: path, contents: Data(variant)) else { return nil }
        defer { try? FileManager.default.removeItem(atPath: path) }
        return Hunspell_create(path, dic)
    }

    deinit {
        handles.withLock { h in
            if let full = h.full { Hunspell_destroy(full) }
            if let other = h.withoutCompoundRules { Hunspell_destroy(other) }
        }
    }

    /// True when the dictionary accepts `word` (`enchant.Dict.check`).
    public func check(_ word: String) -> Bool { check(normalized: Self.nfc(word)) }

    /// `check` of a word already in NFC.
    func check(normalized: String) -> Bool { check(normalized: normalized, shortcut: true) }

    /// `check` with the dictionary as its files define it, whatever the word (for tests).
    func checkWithFullDictionary(_ word: String) -> Bool { check(normalized: Self.nfc(word), shortcut: false) }

    private func check(normalized: String, shortcut: Bool) -> Bool {
        guard normalized.utf8.count <= Self.maxWordUTF8Length, !normalized.isEmpty else { return false }
        return handles.withLock { h in
            if shortcut, let copy = h.withoutCompoundRules, !CompoundRuleShortcut.mayBeCompound(normalized) {
                return Self.spell(copy, normalized)
            }
            return Self.spell(Self.full(&h, affixPath, dictionaryPath), normalized)
        }
    }

    /// Whether a copy without compound rules serves the words that cannot be compounds.
    var usesCompoundRuleShortcut: Bool { handles.withLock { $0.withoutCompoundRules != nil } }

    private static func spell(_ handle: OpaquePointer, _ word: String) -> Bool {
        word.withCString { Hunspell_spell(handle, $0) != 0 }
    }

    /// The full dictionary, loaded when first needed. Hunspell_create fails only when out of
    /// memory; the copy without compound rules then answers (it differs only on compounds).
    private static func full(_ h: inout Handles, _ aff: String, _ dic: String) -> OpaquePointer {
        if let full = h.full { return full }
        h.full = Hunspell_create(aff, dic)
        guard let full = h.full ?? h.withoutCompoundRules else { preconditionFailure("no Hunspell handle") }
        return full
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
