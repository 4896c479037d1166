import Testing
@testable import Features

@Suite("Dictionary answer table")
struct WordAnswerTableTests {
    /// Words of every shape the slots tell apart: empty, inline (1–12 Latin-1 code points,
    /// including U+0000 and U+00FF), aside (13+ code points, or one code point past Latin-1),
    /// and near-twins ("a" vs "a\0", a 12- vs 13-code-point word with the same start).
    static func words() -> [[UInt32]] {
        var out: [[UInt32]] = [[], [0], [0x61], [0x61, 0], [0xFF], [0x100], [0x61, 0x1F600]]
        let base = Array("abcdefghijklmnop".unicodeScalars.map(\.value))
        for n in 1...16 { out.append(Array(base.prefix(n))) }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {  // enough to grow the table several times
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 60) + 1
            var w: [UInt32] = []
            for k in 0..<length {
                let r = (state >> UInt64(4 * (k % 12))) & 0xFF
                w.append(k == 7 && state & 0x10 != 0 ? 0x3B1 + UInt32(r & 7) : UInt32(r % 26) + 0x61)
            }
            out.append(w)
        }
        return out
    }

    @Test("answers what was recorded, for every word shape, across growth")
    func recordsAndAnswers() {
        var table = WordAnswerTable(capacity: 16)
        var oracle: [[UInt32]: Bool] = [:]
        for (k, w) in Self.words().enumerated() {
            let answer = k % 3 == 0
            let before = w.withUnsafeBufferPointer { table.answer($0) }
            #expect(before == oracle[w], "\(w) before insert")
            w.withUnsafeBufferPointer { table.insert($0, hash: StringSet.hash($0), answer) }
            if oracle[w] == nil { oracle[w] = answer }
        }
        #expect(table.count == oracle.count)
        // All at once, as production asks: the words back to back in one text.
        let recorded = Array(oracle)
        var text: [UInt32] = [], ranges: [Range<Int>] = []
        for (w, _) in recorded {
            ranges.append(text.count..<(text.count + w.count))
            text += w
        }
        let answers = text.withUnsafeBufferPointer { t in
            table.answers(ranges, in: t, hashes: ranges.map { StringSet.hash(UnsafeBufferPointer(rebasing: t[$0])) })
        }
        #expect(answers == recorded.map { Optional($0.1) })
        // Words never recorded: prefixes and extensions of recorded ones.
        for w in [[0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70, 0x71] as [UInt32], [0x61, 0, 0], [0x100, 0]]
        where oracle[w] == nil {
            #expect(w.withUnsafeBufferPointer { table.answer($0) } == nil, "\(w)")
        }
    }
}
