/// Yes/no answers for words (a dictionary's), keyed by the words' code points: the table a
/// process keeps so that each distinct word goes to Hunspell once.
///
/// Why this shape: the table is large (hundreds of thousands of words) and is asked about
/// every distinct word of every revision, so each question is a cache miss or several. A slot
/// holds a short word's code points (up to 12 Latin-1 code points: most English words), its
/// hash tag and its answer in 16 bytes, so a question about such a word touches one line of
/// memory; only longer or non-Latin-1 words are compared against storage kept aside.
struct WordAnswerTable {
    /// `lo`: bit 0 occupied, bit 1 answer, bit 2 stored aside, bits 8..31 hash tag, bits
    /// 32..63 code points 0–3 (inline) or the length (aside). `hi`: code points 4–11 (inline)
    /// or the offset in `aside`.
    private struct Slot {
        var lo: UInt64 = 0
        var hi: UInt64 = 0
    }

    private var slots: [Slot]
    /// Code points of words too long or too wide to be held in their slot, back to back.
    private var aside: [UInt32] = []
    /// How many words the table holds.
    private(set) var count = 0

    private static let occupied: UInt64 = 1
    private static let answerBit: UInt64 = 2
    private static let asideBit: UInt64 = 4
    static let inlineLength = 12

    init(capacity: Int = 4096) {
        var n = 16
        while n < capacity { n *= 2 }
        slots = [Slot](repeating: Slot(), count: n)
    }

    /// The slot's contents for `word`, answer bit clear; `hi` is unset for words stored aside.
    @inline(__always) private static func key(_ word: UnsafeBufferPointer<UInt32>, hash: UInt64) -> (lo: UInt64, hi: UInt64, aside: Bool) {
        let tag = (hash & 0xFF_FFFF) << 8 | occupied
        guard word.count <= inlineLength else { return (tag | asideBit | UInt64(word.count) << 32, 0, true) }
        var lo: UInt64 = 0, hi: UInt64 = 0
        for (k, c) in word.enumerated() {
            guard c < 256 else { return (tag | asideBit | UInt64(word.count) << 32, 0, true) }
            if k < 4 { lo |= UInt64(c) << (8 * UInt64(k)) } else { hi |= UInt64(c) << (8 * UInt64(k - 4)) }
        }
        // The length goes in the tag bits' neighbour so that "a" and "a\0" differ.
        return (tag | UInt64(word.count) << 3 | lo << 32, hi, false)
    }

    /// Where `word` is, or the empty slot where it would go.
    @inline(__always) private func find(_ word: UnsafeBufferPointer<UInt32>, _ hash: UInt64) -> (found: Bool, slot: Int) {
        let (lo, hi, isAside) = Self.key(word, hash: hash)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash >> 32) & mask
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let s = slots[slot]
                if s.lo == 0 { return (false, slot) }
                if s.lo & ~Self.answerBit == lo {
                    if !isAside {
                        if s.hi == hi { return (true, slot) }
                    } else if aside.withUnsafeBufferPointer({ stored in
                        let start = Int(s.hi)
                        return word.indices.allSatisfy { stored[start + $0] == word[$0] }
                    }) {
                        return (true, slot)
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The answer for `word`, if the table has it.
    func answer(_ word: UnsafeBufferPointer<UInt32>) -> Bool? {
        let (found, slot) = find(word, StringSet.hash(word))
        return found ? slots[slot].lo & Self.answerBit != 0 : nil
    }

    /// The answers for many words (ranges of `text`), `nil` where the table has none.
    ///
    /// `hashes` are the words' ``StringSet/hash(_:)``.
    ///
    /// Why two passes: each look-up is a cache miss in a large table. The first pass only
    /// loads each word's first slot — independent loads the processor overlaps — so that the
    /// second pass, which compares, finds them in cache.
    mutating func answers(_ words: [Range<Int>], in text: UnsafeBufferPointer<UInt32>, hashes: [UInt64]) -> [Bool?] {
        let mask = slots.count - 1
        var touched: UInt64 = 0
        slots.withUnsafeBufferPointer { slots in
            for h in hashes { touched ^= slots[Int(truncatingIfNeeded: h >> 32) & mask].lo }
        }
        sink = touched  // keeps the loads
        return words.indices.map { k in
            let (found, slot) = find(UnsafeBufferPointer(rebasing: text[words[k]]), hashes[k])
            return found ? slots[slot].lo & Self.answerBit != 0 : nil
        }
    }

    /// Where the first pass of ``answers(_:in:hashes:)`` leaves what it loaded.
    private var sink: UInt64 = 0

    /// Records `answer` for `word`, whose ``StringSet/hash(_:)`` is `hash` (a word already
    /// present keeps its answer).
    mutating func insert(_ word: UnsafeBufferPointer<UInt32>, hash: UInt64, _ answer: Bool) {
        let (found, slot) = find(word, hash)
        guard !found else { return }
        var (lo, hi, isAside) = Self.key(word, hash: hash)
        if isAside {
            hi = UInt64(aside.count)
            aside.append(contentsOf: word)
        }
        if answer { lo |= Self.answerBit }
        slots[slot] = Slot(lo: lo, hi: hi)
        count += 1
        if count * 2 > slots.count { grow() }
    }

    /// Twice the slots, every word placed again (its hash recomputed from what the slot holds).
    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        var word = [UInt32](repeating: 0, count: Self.inlineLength)
        for s in old where s.lo != 0 {
            let hash: UInt64
            if s.lo & Self.asideBit != 0 {
                let start = Int(s.hi), length = Int(s.lo >> 32)
                hash = aside.withUnsafeBufferPointer { StringSet.hash(UnsafeBufferPointer(rebasing: $0[start..<start + length])) }
            } else {
                let length = Int(s.lo >> 3 & 0x1F)
                for k in 0..<length {
                    word[k] = UInt32(truncatingIfNeeded: (k < 4 ? s.lo >> (32 + 8 * UInt64(k)) : s.hi >> (8 * UInt64(k - 4))) & 0xFF)
                }
                hash = word.withUnsafeBufferPointer { StringSet.hash(UnsafeBufferPointer(rebasing: $0[0..<length])) }
            }
            var slot = Int(truncatingIfNeeded: hash >> 32) & mask
            while slots[slot].lo != 0 { slot = (slot + 1) & mask }
            slots[slot] = s
        }
    }
}
