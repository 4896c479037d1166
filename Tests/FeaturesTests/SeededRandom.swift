/// A small seeded generator (a 64-bit linear congruential one) for the randomized tests: the
/// same cases on every run and machine.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A number in `0..<n`.
    mutating func next(_ n: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(state >> 33) % n
    }

    /// `count` of `pieces` picked at random, one after the other, as code points.
    mutating func text(_ pieces: [String], _ count: Int) -> [UInt32] {
        (0..<count).flatMap { _ in pieces[next(pieces.count)].unicodeScalars.map(\.value) }
    }

    /// `text` edited as one revision edits its parent: by `kind`, a stretch of up to
    /// `maxLength` code points replaced with 1–3 pieces (0), 1–3 pieces inserted (1), a stretch
    /// deleted (2), or nothing (other kinds).
    mutating func edit(_ text: [UInt32], kind: Int, maxLength: Int, pieces: [String]) -> [UInt32] {
        var edited = text
        let at = next(text.count + 1), length = min(next(maxLength + 1), text.count - at)
        switch kind {
        case 0: edited.replaceSubrange(at..<(at + length), with: self.text(pieces, 1 + next(3)))
        case 1: edited.insert(contentsOf: self.text(pieces, 1 + next(3)), at: at)
        case 2: edited.removeSubrange(at..<(at + length))
        default: break
        }
        return edited
    }
}
