/// Python 3.11's view of Unicode, as revscoring's code sees it through `re` and `str`.
///
/// Swift's own Unicode properties follow a newer Unicode version and different definitions
/// (Swift's `\w` is not Python's `str.isalnum()`), so features that must equal revscoring's
/// use these tables, generated from the reference interpreter
/// (`Scripts/generate_unicode_tables.py`).
public enum PythonUnicode {
    /// The Unicode version of the tables (Python 3.11: 14.0.0).
    public static let version = PythonUnicodeTables.unicodeVersion

    @usableFromInline static let wordSet = CodePointSet(PythonUnicodeTables.word)
    @usableFromInline static let decimalSet = CodePointSet(PythonUnicodeTables.decimal)
    @usableFromInline static let spaceSet = CodePointSet(PythonUnicodeTables.space)
    static let casedSet = CodePointSet(PythonUnicodeTables.cased)
    static let caseIgnorableSet = CodePointSet(PythonUnicodeTables.caseIgnorable)
    static let lowercaseMap = CodePointMap(PythonUnicodeTables.lowercase)
    static let simpleLowercaseMap = CodePointMap(PythonUnicodeTables.simpleLowercase)
    static let extraCaseMap = CodePointMap(PythonUnicodeTables.extraCases)

    /// `re`'s `\w`: `str.isalnum()` or `_`.
    @inlinable public static func isWord(_ c: UInt32) -> Bool {
        if c < 0x80 { return asciiWord(c) }
        return wordSet.contains(c)
    }

    /// `re`'s `\d`: `str.isdecimal()`.
    @inlinable public static func isDecimal(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x30 && c <= 0x39 }
        return decimalSet.contains(c)
    }

    /// `re`'s `\s`: `str.isspace()`.
    @inlinable public static func isSpace(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) }
        return spaceSet.contains(c)
    }

    @inlinable static func asciiWord(_ c: UInt32) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }

    /// sre's `lower()` for IGNORECASE: the simple (one code point) lowercase mapping.
    public static func simpleLowercase(_ c: UInt32) -> UInt32 {
        if c < 0x80 { return c >= 0x41 && c <= 0x5A ? c + 32 : c }
        guard simpleLowercaseMap.maps(c) else { return c }
        return simpleLowercaseMap[c]?.first ?? c
    }

    /// sre's extra case-insensitive equivalents of a lowercase code point (e.g. `s` ~ `ſ`).
    static func extraCases(_ c: UInt32) -> [UInt32]? { extraCaseMap[c] }

    /// True when `str.lower()` changes this code point (used by revscoring's uppercase-word test,
    /// `c.lower() != c`).
    public static func changesWhenLowercased(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x41 && c <= 0x5A }
        return lowercaseMap.maps(c)
    }

    /// `str.lower()`: full lowercase mapping, with U+03A3 becoming final sigma (U+03C2) in the
    /// Final_Sigma context exactly as CPython decides it.
    public static func lowercased(_ s: some StringProtocol) -> String {
        // Most words are ASCII: lower them byte by byte.
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
        }
        return String(codePoints: lowercased(codePoints: s.unicodeScalars.map(\.value)))
    }

    /// `str.lower()` of code points.
    public static func lowercased<C: Collection>(codePoints s: C) -> [UInt32] where C.Element == UInt32 {
        let scalars = Array(s)
        var out: [UInt32] = []
        out.reserveCapacity(scalars.count)
        for (i, c) in scalars.enumerated() {
            if c < 0x80 {
                out.append(c >= 0x41 && c <= 0x5A ? c + 32 : c)
            } else {
                out.append(contentsOf: lowercased(scalars, at: i))
            }
        }
        return out
    }

    /// What `str.lower()` makes of code point `i` of `s` (one or more code points; a capital
    /// sigma depends on its neighbours).
    static func lowercased(_ s: [UInt32], at i: Int) -> [UInt32] {
        let c = s[i]
        if c < 0x80 { return [c >= 0x41 && c <= 0x5A ? c + 32 : c] }
        if c == 0x3A3 { return [finalSigma(s, at: i) ? 0x3C2 : 0x3C3] }
        return lowercaseMap[c] ?? [c]
    }

    /// CPython's `handle_capital_sigma`.
    static func finalSigma(_ s: [UInt32], at i: Int) -> Bool {
        var j = i - 1
        while j >= 0, caseIgnorableSet.contains(s[j]) { j -= 1 }
        var final = j >= 0 && casedSet.contains(s[j])
        if final && i + 1 < s.count {
            j = i + 1
            while j < s.count, caseIgnorableSet.contains(s[j]) { j += 1 }
            final = j == s.count || !casedSet.contains(s[j])
        }
        return final
    }
}

/// A set of code points from sorted ranges, with a bitmap for the Basic Multilingual Plane.
@usableFromInline
struct CodePointSet: Sendable {
    @usableFromInline let bmp: [UInt64]
    let starts: [UInt32]
    let ends: [UInt32]

    init(_ table: String) {
        var starts: [UInt32] = [], ends: [UInt32] = []
        for item in table.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = item.split(separator: "-")
            guard let a = UInt32(parts[0], radix: 16) else { continue }
            starts.append(a)
            ends.append(parts.count > 1 ? UInt32(parts[1], radix: 16) ?? a : a)
        }
        var bmp = [UInt64](repeating: 0, count: 0x10000 / 64)
        for (a, b) in zip(starts, ends) where a < 0x10000 {
            for c in a...min(b, 0xFFFF) { bmp[Int(c >> 6)] |= 1 << UInt64(c & 63) }
        }
        self.bmp = bmp
        self.starts = starts
        self.ends = ends
    }

    @inlinable func contains(_ c: UInt32) -> Bool {
        if c < 0x10000 { return bmp[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 }
        return containsAstral(c)
    }

    @usableFromInline func containsAstral(_ c: UInt32) -> Bool {
        var lo = 0, hi = starts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ends[mid] < c { lo = mid + 1 } else { hi = mid }
        }
        return lo < starts.count && starts[lo] <= c
    }
}

/// A map from code points to code point sequences.
struct CodePointMap: Sendable {
    let map: [UInt32: [UInt32]]
    /// The plane-0 code points with a mapping, one bit each: most code points have none (the
    /// dashes, quotes and accented small letters of English pages), and a bit test is much
    /// cheaper than a look-up in `map`.
    private let plane0Keys: [UInt64]

    init(_ table: String) {
        var map: [UInt32: [UInt32]] = [:]
        for item in table.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let key = UInt32(parts[0], radix: 16) else { continue }
            map[key] = parts[1].split(separator: ".").compactMap { UInt32($0, radix: 16) }
        }
        var keys = [UInt64](repeating: 0, count: 0x10000 / 64)
        for c in map.keys where c < 0x10000 { keys[Int(c >> 6)] |= 1 << UInt64(c & 63) }
        self.map = map
        self.plane0Keys = keys
    }

    subscript(c: UInt32) -> [UInt32]? { map[c] }

    /// Whether `c` has a mapping.
    @inline(__always) func maps(_ c: UInt32) -> Bool {
        c < 0x10000 ? plane0Keys[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 : map[c] != nil
    }
}
