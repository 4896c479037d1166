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
    public func check(_ word: String) -> Bool {
        let normalized = word.precomposedStringWithCanonicalMapping
        guard normalized.utf8.count <= Self.maxWordUTF8Length, !normalized.isEmpty else { return false }
        return handle.withLock { h in normalized.withCString { Hunspell_spell(h, $0) != 0 } }
    }
}

/// revscoring's `MultiDictChecker`: a word is known if any dictionary accepts it, after
/// `utf16_cleanup` (code points above U+FFFF become U+FFFD).
public struct MultiDictionary: Sendable {
    /// The dictionaries, tried in order.
    public let dictionaries: [HunspellDictionary]
    /// Answers shared by every revision a process extracts (pages repeat their words from one
    /// revision to the next); bounded, and emptied when full. Keyed by code points in a
    /// ``StringTable`` (a `[String: Bool]` compared whole strings along its probe chains).
    private let answers = AnswerCache()
    static let maxCachedAnswers = 500_000

    private final class AnswerCache: @unchecked Sendable {
        // @unchecked: `table` (a StringTable, a class of its own) is only touched under `lock`.
        struct Table {
            var words = StringTable()
            var known: [Bool] = []
        }
        private let lock = Mutex(())
        private var table = Table()

        func withLock<R>(_ body: (inout Table) -> R) -> R { lock.withLock { _ in body(&table) } }
    }

    public init(_ dictionaries: [HunspellDictionary]) {
        self.dictionaries = dictionaries
    }

    /// `safe_dictionary_check(word)`.
    public func check(_ word: String) -> Bool {
        [UInt32](codePointsOf: word).withUnsafeBufferPointer { check(codePoints: $0) }
    }

    /// `safe_dictionary_check` of the word with these code points.
    public func check(codePoints word: UnsafeBufferPointer<UInt32>) -> Bool {
        if let known = answers.withLock({ table in table.words.existingID(word).map { table.known[Int($0)] } }) {
            return known
        }
        let result = uncachedCheck(String(codePoints: word))
        answers.withLock { table in
            if table.known.count >= Self.maxCachedAnswers { table = AnswerCache.Table() }
            let id = table.words.id(word)
            if Int(id) == table.known.count { table.known.append(result) }
        }
        return result
    }

    func uncachedCheck(_ word: String) -> Bool {
        var cleaned = word
        if word.unicodeScalars.contains(where: { $0.value > 0xFFFF }) {
            cleaned = String(String.UnicodeScalarView(word.unicodeScalars.map { $0.value > 0xFFFF ? "\u{FFFD}" : $0 }))
        }
        return dictionaries.contains { $0.check(cleaned) }
    }
}
