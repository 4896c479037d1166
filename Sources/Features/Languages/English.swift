/// revscoring's `revscoring.languages.english` resources.
public enum English {
    /// `english.badwords`.
    public static let badwords: RegexWordList = compile("english.badwords", badwordRegexes)
    /// `english.informals`.
    public static let informals: RegexWordList = compile("english.informals", informalRegexes)

    private static func compile(_ name: String, _ regexes: [String]) -> RegexWordList {
        do {
            return try RegexWordList(name: name, regexes: regexes)
        } catch {
            // The lists are fixed data checked by tests; a failure here is a build defect.
            preconditionFailure("\(name) does not compile: \(error)")
        }
    }
}
