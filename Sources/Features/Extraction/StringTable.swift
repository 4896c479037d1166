/// The distinct strings (tokens, words, word-list matches and their lowercased forms) of one
/// revision and its parent, each stored once and named by a small dense integer.
///
/// Why: revscoring's frequency tables are Python dicts keyed by `str`. Building a Swift
/// `String` per token and hashing it with SipHash (and Swift's canonical-equivalence
/// comparison) dominated extraction profiles. Here a string is its code points: two ids are
/// equal exactly when Python's `==` holds (no Unicode normalization, unlike `String ==`), and
/// per-string answers (lowercase form, dictionary answer, uppercase test) are computed once
/// per id instead of once per occurrence.
public final class StringTable {
    /// The strings and their per-id answers: one value in one stored property, so that a call
    /// costs one exclusivity check, not one per array it touches.
    private var core = Core()
    /// Dictionary answers by dictionary name, then by id.
    private var answers: [String: [Int8]] = [:]

    public init() {}

    /// How many distinct strings the table holds.
    public var count: Int { core.set.count }

    /// The code points of string `id`.
    public func codePoints(_ id: Int32) -> ArraySlice<UInt32> { core.set.codePoints(id) }

    /// The string `id` as a Swift `String` (for dictionaries and output).
    public func string(_ id: Int32) -> String { String(codePoints: codePoints(id)) }

    /// The id of the string `s`, adding it when new.
    public func id(_ s: UnsafeBufferPointer<UInt32>) -> Int32 { core.id(s) }

    /// The id of code points `range` of `text`.
    public func id(_ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> Int32 {
        core.id(UnsafeBufferPointer(rebasing: text[range]))
    }

    /// The id of `str.lower()` of string `id`.
    public func lowercased(_ id: Int32) -> Int32 { core.lowercased(id) }

    /// `is_uppercase_word`: longer than one code point, and every code point changes when
    /// lowercased.
    public func isUppercaseWord(_ id: Int32) -> Bool { core.isUppercaseWord(id) }

    // Batch forms: one call per text, not per token. Each call into the table is an access to
    // `core` that Swift checks for exclusivity at run time; per token, those checks cost more
    // than the work.

    /// For each token of `text`, its id if its type is marked in `wanted` (indexed by raw
    /// value), else -1.
    func ids(_ text: UnsafeBufferPointer<UInt32>, _ tokens: ArraySlice<Token>, wanted: [Bool]) -> [Int32] {
        core.ids(text, tokens, wanted: wanted)
    }

    /// The ids that are uppercase words, in order.
    func uppercaseWords(_ ids: [Int32]) -> [Int32] { core.uppercaseWords(ids) }

    /// `dict_split` of `words`, as frequency tables of their lowercased forms: the words
    /// `dictionary` (named `name`) knows, and the others. The dictionary is asked once per
    /// distinct id, in one batch; then one pass lowers and counts (no per-word arrays between).
    func dictionarySplit(_ words: [Int32], by dictionary: MultiDictionary, name: String) -> (dict: FrequencyTable, nonDict: FrequencyTable) {
        var known = answers.removeValue(forKey: name) ?? []
        if known.count < count { known.append(contentsOf: repeatElement(-1, count: count - known.count)) }
        var asking: [Int32] = []
        for id in words where known[Int(id)] < 0 {
            known[Int(id)] = -2  // asked below
            asking.append(id)
        }
        if !asking.isEmpty {
            let said = core.set.withStorage { storage in
                dictionary.check(words: asking.map { core.set.range($0) }, in: storage, hashes: asking.map { core.set.hash($0) })
            }
            for (id, isKnown) in zip(asking, said) { known[Int(id)] = isKnown ? 1 : 0 }
        }
        var dict = FrequencyTable(), nonDict = FrequencyTable()
        for id in words {
            let lowered = core.lowercased(id)
            if known[Int(id)] == 1 { dict.add(lowered) } else { nonDict.add(lowered) }
        }
        answers[name] = known
        return (dict, nonDict)
    }

    /// The strings with their lowercase forms and uppercase tests, computed once per id
    /// (-1 until asked).
    struct Core {
        var set = StringSet()
        var lowered: [Int32] = []
        var uppercase: [Int8] = []

        mutating func id(_ s: UnsafeBufferPointer<UInt32>) -> Int32 {
            let id = set.id(s)
            if Int(id) == lowered.count {
                lowered.append(-1)
                uppercase.append(-1)
            }
            return id
        }

        mutating func ids(_ text: UnsafeBufferPointer<UInt32>, _ tokens: ArraySlice<Token>, wanted: [Bool]) -> [Int32] {
            var out: [Int32] = []
            out.reserveCapacity(tokens.count)
            for token in tokens {
                out.append(wanted[Int(token.type.rawValue)] ? id(UnsafeBufferPointer(rebasing: text[token.start..<token.end])) : -1)
            }
            return out
        }

        mutating func uppercaseWords(_ ids: [Int32]) -> [Int32] { ids.filter { isUppercaseWord($0) } }

        mutating func lowercased(_ id: Int32) -> Int32 {
            let known = lowered[Int(id)]
            if known >= 0 { return known }
            // No slice of the set's storage may be alive while `id` appends to it (that would
            // copy all of it): the lowered form is made in a statement of its own.
            let result: Int32
            if set.codePoints(id).allSatisfy({ $0 < 0x41 || ($0 > 0x5A && $0 < 0x80) }) {
                result = id  // nothing to lower
            } else {
                let lower = PythonUnicode.lowercased(codePoints: set.codePoints(id))
                result = lower.withUnsafeBufferPointer { self.id($0) }
            }
            lowered[Int(id)] = result
            return result
        }

        mutating func isUppercaseWord(_ id: Int32) -> Bool {
            let known = uppercase[Int(id)]
            if known >= 0 { return known == 1 }
            let s = set.codePoints(id)
            let result = s.count > 1 && s.allSatisfy(PythonUnicode.changesWhenLowercased)
            uppercase[Int(id)] = result ? 1 : 0
            return result
        }
    }
}

/// Interned code-point strings: open addressing over a power-of-two number of slots, each
/// slot an id and 32 bits of its hash (so a probe rarely touches a string that is not it).
struct StringSet {
    /// The code points of every string, back to back.
    private var storage: [UInt32] = []
    /// Where string `id` lies in `storage`: `starts[id]..<starts[id + 1]`.
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// `id << 32 | hash & 0xFFFF_FFFF`, or `empty`.
    private var slots = [UInt64](repeating: StringSet.empty, count: 1024)
    private static let empty = UInt64.max

    var count: Int { hashes.count }

    func codePoints(_ id: Int32) -> ArraySlice<UInt32> { storage[starts[Int(id)]..<starts[Int(id) + 1]] }

    /// String `id`'s ``hash(_:)``, kept from when it was added.
    func hash(_ id: Int32) -> UInt64 { hashes[Int(id)] }

    /// Where string `id` lies in the storage ``withStorage`` lends.
    func range(_ id: Int32) -> Range<Int> { starts[Int(id)]..<starts[Int(id) + 1] }

    /// Every string's code points, back to back.
    func withStorage<R>(_ body: (UnsafeBufferPointer<UInt32>) -> R) -> R { storage.withUnsafeBufferPointer(body) }

    @inline(__always) static func hash(_ s: UnsafeBufferPointer<UInt32>) -> UInt64 {
        // Two code points per step: half the dependent multiplies of one at a time.
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(s.count)
        var k = 0
        while k + 1 < s.count {
            h = (h ^ (UInt64(s[k]) | UInt64(s[k + 1]) << 32)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            k += 2
        }
        if k < s.count {
            h = (h ^ UInt64(s[k])) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
        }
        return h
    }

    /// The id of `s` if present, else the empty slot where it would go.
    @inline(__always) private func find(_ s: UnsafeBufferPointer<UInt32>, _ h: UInt64) -> (id: Int32?, slot: Int) {
        let mask = slots.count - 1
        let tag = h & 0xFFFF_FFFF
        var slot = Int(truncatingIfNeeded: h >> 32) & mask
        return storage.withUnsafeBufferPointer { stored in
            while true {
                let entry = slots[slot]
                if entry == Self.empty { return (nil, slot) }
                if entry & 0xFFFF_FFFF == tag {
                    let e = Int(entry >> 32)
                    let a = starts[e], b = starts[e + 1]
                    if b - a == s.count {
                        var same = true
                        for k in 0..<s.count where stored[a + k] != s[k] {
                            same = false
                            break
                        }
                        if same { return (Int32(e), slot) }
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    mutating func id(_ s: UnsafeBufferPointer<UInt32>) -> Int32 {
        let h = Self.hash(s)
        let (found, slot) = find(s, h)
        if let found { return found }
        let id = Int32(hashes.count)
        storage.append(contentsOf: s)
        starts.append(storage.count)
        hashes.append(h)
        slots[slot] = UInt64(id) << 32 | h & 0xFFFF_FFFF
        if hashes.count * 2 > slots.count {
            // Grow to keep probes short; re-place every id by its stored hash.
            slots = [UInt64](repeating: Self.empty, count: slots.count * 2)
            let mask = slots.count - 1
            for (k, h) in hashes.enumerated() {
                var s = Int(truncatingIfNeeded: h >> 32) & mask
                while slots[s] != Self.empty { s = (s + 1) & mask }
                slots[s] = UInt64(k) << 32 | h & 0xFFFF_FFFF
            }
        }
        return id
    }
}
