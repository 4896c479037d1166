/// A revscoring `RegexMatches` word list (badwords, informals, ...): regexes matched
/// case-insensitively over a text, each wrapped as `(\b)(r1|r2|...)(\b)`.
public struct RegexWordList: Sendable {
    /// The list's revscoring name, e.g. `english.badwords`.
    public let name: String
    /// The compiled alternation.
    public let regex: PythonRegex

    /// Compiles a list as revscoring's `extractors.regex` does (`re.I`, `\b` wrapping).
    public init(name: String, regexes: [String], wrapping: (String, String) = (#"\b"#, #"\b"#)) throws(RegexSyntaxError) {
        self.name = name
        self.regex = try PythonRegex("(" + wrapping.0 + ")(" + regexes.joined(separator: "|") + ")(" + wrapping.1 + ")",
                                     ignoreCase: true)
    }
}
