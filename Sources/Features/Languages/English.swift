/// revscoring's `revscoring.languages.english` resources.
public enum English {
    /// `english.badwords`.
    public static let badwords: RegexWordList = compile("english.badwords", badwordRegexes)
    /// `english.informals`.
    public static let informals: RegexWordList = compile("english.informals", informalRegexes)

    /// `english.dictionary`: Hunspell en_US, en_GB and en_AU (Debian's hunspell-en-us,
    /// hunspell-en-gb, hunspell-en-au); `nil` when any of them is not installed.
    public static let dictionary: MultiDictionary? = {
        let dictionaries = ["en_US", "en_GB", "en_AU"].compactMap { HunspellDictionary(language: $0) }
        return dictionaries.count == 3 ? MultiDictionary(dictionaries) : nil
    }()

    private static func compile(_ name: String, _ regexes: [String]) -> RegexWordList {
        do {
            return try RegexWordList(name: name, regexes: regexes)
        } catch {
            // The lists are fixed data checked by tests; a failure here is a build defect.
            preconditionFailure("\(name) does not compile: \(error)")
        }
    }
}
