/// revscoring's `longest_repeated_char`: the longest run of one code point in `text.lower()`,
/// for a revision and its parent together.
///
/// A scan of the lowered code points only ever carries three numbers: the last code point, the
/// run it ends and the longest run so far. The two texts share their first `prefix` and last
/// `suffix` code points, so the second text's scan takes the first's state where the shared
/// start ends, scans only its own middle, and adds a summary of the shared end (its leading
/// run, the longest run inside it, its trailing run) that the first text's scan made: the work
/// of one text and a middle instead of two texts (each ~2% of an extraction).
///
/// Exact because `lower()` maps each code point on its own — except U+03A3 CAPITAL SIGMA,
/// whose lowering looks at the code points around it, perhaps across the shared part's edge:
/// when the first text has one, the second is scanned whole.
struct RepeatedCharRuns {
    /// The last lowered code point (`.max` before the first).
    private(set) var previous: UInt32 = .max
    /// The length of the run that ends at `previous`.
    private(set) var run = 0
    /// The longest run so far.
    private(set) var best = 0
    /// Whether a capital sigma was lowered (see above).
    private(set) var sawSigma = false

    @inline(__always) private mutating func add(_ lower: UInt32) {
        run = lower == previous ? run &+ 1 : 1
        previous = lower
        best = max(best, run)
    }

    /// Adds the code points `s[range]`, each lowered as `lower()` lowers it within all of `s`.
    mutating func scan(_ s: [UInt32], _ range: Range<Int>) {
        // Lowered code point by code point (ASCII inline), not as a lowered copy of the text;
        // code points that lower() leaves alone skip the mapping look-up.
        var previous = self.previous, run = self.run, best = self.best
        let lowercase = PythonUnicode.lowercaseMap
        s.withUnsafeBufferPointer { p in
            for i in range {
                let c = p[i]
                let lower: UInt32
                if c < 0x80 {
                    lower = c &- 0x41 < 26 ? c | 0x20 : c
                } else if !lowercase.maps(c) {
                    lower = c  // unchanged by lower(): no mapping to look up
                } else {
                    // Rare: a mapping, perhaps to several code points.
                    self.previous = previous
                    self.run = run
                    self.best = best
                    if c == 0x3A3 { sawSigma = true }
                    for l in PythonUnicode.lowercased(s, at: i) { add(l) }
                    (previous, run, best) = (self.previous, self.run, self.best)
                    continue
                }
                run = lower == previous ? run &+ 1 : 1
                previous = lower
                best = max(best, run)
            }
        }
        (self.previous, self.run, self.best) = (previous, run, best)
    }

    /// What a scan of a region adds to any scan that reaches it.
    struct Region {
        /// The region's first lowered code point and how many lowered code points it begins
        /// with that are that one (`nil` for an empty region).
        var first: (code: UInt32, count: Int)?
        /// Whether the region is all one run.
        var whole: Bool
        /// The region scanned on its own.
        var alone: RepeatedCharRuns
    }

    /// Summarises `s[range]` (lowered within all of `s`) for ``append(_:)``.
    static func region(_ s: [UInt32], _ range: Range<Int>) -> Region {
        var alone = RepeatedCharRuns()
        alone.scan(s, range)
        guard let start = range.first else { return Region(first: nil, whole: true, alone: alone) }
        // The leading run: lowered code points until one differs (a few, almost always).
        let code = PythonUnicode.lowercased(s, at: start)[0]
        var count = 0
        for i in range {
            for l in PythonUnicode.lowercased(s, at: i) {
                guard l == code else { return Region(first: (code, count), whole: false, alone: alone) }
                count += 1
            }
        }
        return Region(first: (code, count), whole: true, alone: alone)
    }

    /// Continues this scan over a region summarised by ``region(_:_:)``: the same state as
    /// scanning the region's code points.
    mutating func append(_ region: Region) {
        guard let first = region.first else { return }
        let lead = first.code == previous ? run + first.count : first.count
        best = max(best, lead, region.alone.best)
        sawSigma = sawSigma || region.alone.sawSigma
        if region.whole {
            run = lead
            previous = first.code
        } else {
            run = region.alone.run
            previous = region.alone.previous
        }
    }

    /// `longest_repeated_char` of a text alone (1 for an empty text).
    static func longest(_ s: [UInt32]) -> Int {
        guard !s.isEmpty else { return 1 }
        var scan = RepeatedCharRuns()
        scan.scan(s, 0..<s.count)
        return scan.best
    }

    /// `longest_repeated_char` of two texts that share their first `prefix` and last `suffix`
    /// code points (as ``WikitextTokenizer/commonEnds(_:_:)`` measures them).
    static func longest(_ a: [UInt32], _ b: [UInt32], prefix: Int, suffix: Int) -> (a: Int, b: Int) {
        guard !a.isEmpty, !b.isEmpty, prefix + suffix <= min(a.count, b.count) else { return (longest(a), longest(b)) }
        var scanA = RepeatedCharRuns()
        scanA.scan(a, 0..<prefix)
        var scanB = scanA
        scanA.scan(a, prefix..<(a.count - suffix))
        let end = region(a, (a.count - suffix)..<a.count)
        scanA.append(end)
        guard !scanA.sawSigma else { return (scanA.best, longest(b)) }
        scanB.scan(b, prefix..<(b.count - suffix))
        scanB.append(end)
        return (scanA.best, scanB.best)
    }
}
