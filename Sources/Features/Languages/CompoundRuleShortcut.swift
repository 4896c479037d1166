/// When a Hunspell dictionary's compound rules can be left out without changing its answer.
///
/// Why: the English dictionaries define `COMPOUNDRULE`s for ordinal numbers ("21st", "113th"),
/// and Hunspell tries them on every word it does not find — two thirds of the time it spends
/// rejecting a word (a third of all dictionary time in a corpus extraction: names and
/// non-English words are rejected by all three dictionaries).
///
/// Why it is exact. With `COMPOUNDRULE` as the only way to compound (no `COMPOUNDFLAG` and its
/// kin), a compound is a sequence of dictionary entries whose flags the rules name, and its
/// first part starts the word (or a part Hunspell breaks the word into at `-`, its default
/// `BREAK`). When every entry carrying such a flag begins with an ASCII digit, a word that
/// begins with no digit (after Hunspell's own clean-up, which drops leading spaces) and holds
/// no `-` cannot be a compound, so the dictionary without its `COMPOUNDRULE` and
/// `COMPOUNDMIN` lines gives the same answer. Other directives could change that reasoning
/// (flag aliases, other flag formats, `IGNORE`, `BREAK`, conversions producing digits or
/// dashes, other compounding), so only an affix file made of the directives listed in
/// ``allowedDirectives`` qualifies; anything else keeps the full dictionary.
enum CompoundRuleShortcut {
    /// Directives that leave the argument above intact (the others disqualify the file).
    static let allowedDirectives: Set<String> = [
        "SET", "TRY", "ICONV", "NOSUGGEST", "ONLYINCOMPOUND", "COMPOUNDMIN", "COMPOUNDRULE", "WORDCHARS", "PFX", "SFX",
        "REP", "KEY", "MAP",
    ]

    /// The affix file without its compound rules, when `aff` and `dic` qualify (see above);
    /// `nil` when they do not, or define no compound rule (nothing to leave out).
    static func affixWithoutCompoundRules(aff: [UInt8], dic: [UInt8]) -> [UInt8]? {
        var kept: [ArraySlice<UInt8>] = []
        var ruleFlags = Set<UInt8>()
        var rules = 0
        // The first COMPOUNDRULE line gives the number of rules, the next ones the rules (a
        // rule may look like a number: its flags can be digits).
        var rulesToCome: Int? = nil
        for line in lines(aff) {
            let fields = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 })
            guard var directive = fields.first else { kept.append(line); continue }
            if directive.starts(with: [0xEF, 0xBB, 0xBF]) { directive = directive.dropFirst(3) }  // byte order mark
            if directive.first == UInt8(ascii: "#") || directive.isEmpty { kept.append(line); continue }
            guard let name = String(validating: directive, as: UTF8.self), allowedDirectives.contains(name) else { return nil }
            switch name {
            case "COMPOUNDRULE":
                guard fields.count > 1 else { return nil }
                if let left = rulesToCome, left > 0 {
                    // A rule's flags are its characters but * ? ( ).
                    rules += 1
                    rulesToCome = left - 1
                    ruleFlags.formUnion(fields[1].filter { !"*?()".utf8.contains($0) })
                } else if rulesToCome == nil, let count = Int(String(decoding: fields[1], as: UTF8.self)) {
                    rulesToCome = count
                } else {
                    return nil
                }
            case "COMPOUNDMIN":
                break
            case "ICONV":
                // An input conversion must not make a digit or a dash.
                if fields.count > 2, fields[2].contains(where: { (0x30...0x39).contains($0) || $0 == 0x2D }) { return nil }
                kept.append(line)
            default:
                kept.append(line)
            }
        }
        guard rules > 0 else { return nil }
        guard entriesWithFlagsBeginWithDigit(ruleFlags, in: dic) else { return nil }
        return Array(kept.joined(separator: [0x0A])) + [0x0A]
    }

    /// Whether every entry of `dic` (after its count line) carrying one of `flags` begins
    /// with an ASCII digit. One pass over the bytes (the file has ~50,000 lines; splitting it
    /// into lines first doubled the dictionary's load time).
    static func entriesWithFlagsBeginWithDigit(_ flags: Set<UInt8>, in dic: [UInt8]) -> Bool {
        var isFlag = [Bool](repeating: false, count: 256)
        for f in flags { isFlag[Int(f)] = true }
        return dic.withUnsafeBufferPointer { b in
            var i = 0
            // The count line.
            while i < b.count, b[i] != 0x0A { i += 1 }
            while i < b.count {
                i += 1  // past the line feed
                let lineStart = i
                // "stem/flags", then morphological fields after white space; "\/" is a slash in the stem.
                var inFlags = false, flagged = false
                while i < b.count, b[i] != 0x0A {
                    let c = b[i]
                    if c == 0x20 || c == 0x09 || c == 0x0D {
                        // The entry ends; skip the rest of the line.
                        while i < b.count, b[i] != 0x0A { i += 1 }
                        break
                    }
                    if inFlags {
                        flagged = flagged || isFlag[Int(c)]
                    } else if c == UInt8(ascii: "/"), i == lineStart || b[i - 1] != UInt8(ascii: "\\") {
                        inFlags = true
                    }
                    i += 1
                }
                if flagged, !(0x30...0x39).contains(b[lineStart]) { return false }
            }
            return true
        }
    }

    /// Whether Hunspell could read `word` as a compound under rules whose parts all begin
    /// with a digit: it begins with a digit or a space, or holds a `-` (a break point).
    static func mayBeCompound(_ word: String) -> Bool {
        let utf8 = word.utf8
        guard let first = utf8.first else { return false }
        return (0x30...0x39).contains(first) || first == 0x20 || utf8.contains(0x2D)
    }

    /// The lines of a file, without their line breaks (CR LF or LF).
    private static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { $0.last == 0x0D ? $0.dropLast() : $0 }
    }
}
