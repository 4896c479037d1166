#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FeatureRegistry {
    /// The features of editquality's enwiki goodfaith/damaging list that are implemented,
    /// under revscoring's names.
    public static let standard = FeatureRegistry(
        StandardFeatures.page + StandardFeatures.parentText + StandardFeatures.textDiff
            + StandardFeatures.user + StandardFeatures.comment
            + StandardFeatures.wordLists(English.badwords) + StandardFeatures.wordLists(English.informals)
            + (English.dictionary.map { StandardFeatures.dictionary("english.dictionary", $0) } ?? [])
            + StandardFeatures.parsed)
}

/// Feature definitions, grouped as editquality's feature lists group them.
enum StandardFeatures {
    /// revscoring's `log(x)` modifier: `math.log`, natural log.
    static func logPlusOne(_ x: Int) -> FeatureValue { .float(log(Double(x) + 1)) }

    /// `div(a, max(b, 1))`: Python true division.
    static func ratio(_ a: Int, _ b: Int) -> FeatureValue { .float(Double(a) / Double(max(b, 1))) }

    /// editquality `wikipedia.page`.
    static let page: [Feature] = [
        Feature("revision.page.is_articleish") { .bool([0, 118].contains($0.data.namespace)) },
        Feature("revision.page.is_mainspace") { .bool($0.data.namespace == 0) },
        Feature("revision.page.is_draftspace") { .bool($0.data.namespace == 118) },
    ]

    /// editquality `wikitext.parent` (the parts that need no wikitext parse).
    static let parentText: [Feature] = [
        Feature("log((wikitext.revision.parent.chars + 1))") { logPlusOne($0.parent.chars) },
        Feature("log((len(<datasource.tokenized(datasource.revision.parent.text)>) + 1))") { logPlusOne($0.parent.tokenCount) },
        Feature("log((len(<datasource.wikitext.revision.parent.words>) + 1))") { logPlusOne($0.parent.words.count) },
        Feature("log((len(<datasource.wikitext.revision.parent.uppercase_words>) + 1))") {
            logPlusOne($0.parent.uppercaseWords.count)
        },
        Feature("revision.parent.chars_per_word") { ratio($0.parent.chars, $0.parent.words.count) },
        Feature("revision.parent.words_per_token") { ratio($0.parent.words.count, $0.parent.tokenCount) },
        Feature("revision.parent.uppercase_words_per_word") { ratio($0.parent.uppercaseWords.count, $0.parent.words.count) },
        Feature("revision.parent.markups_per_token") { ratio($0.parent.markupCount, $0.parent.tokenCount) },
    ]

    /// The six `*_delta_*` features of a frequency table, with revscoring's types: the integer
    /// sums as `returns` says (`float` for wikitext tables, `int` for word lists).
    static func deltaFeatures(prefix: String, tableName: String, integerSums: Bool,
                              _ table: @escaping @Sendable (TextAnalysis) throws(FeatureError) -> FrequencyTable) -> [Feature] {
        @Sendable func sums(_ c: RevisionContext) throws(FeatureError) -> DeltaSums { try c.deltaSums(prefix + tableName, table) }
        @Sendable func count(_ v: Int) -> FeatureValue { integerSums ? .int(v) : .float(Double(v)) }
        return [
            Feature(prefix + tableName + "_delta_sum") { c throws(FeatureError) in count(try sums(c).sum) },
            Feature(prefix + tableName + "_delta_increase") { c throws(FeatureError) in count(try sums(c).increase) },
            Feature(prefix + tableName + "_delta_decrease") { c throws(FeatureError) in count(try sums(c).decrease) },
            Feature(prefix + tableName + "_prop_delta_sum") { c throws(FeatureError) in .float(try sums(c).propSum) },
            Feature(prefix + tableName + "_prop_delta_increase") { c throws(FeatureError) in .float(try sums(c).propIncrease) },
            Feature(prefix + tableName + "_prop_delta_decrease") { c throws(FeatureError) in .float(try sums(c).propDecrease) },
        ]
    }

    /// `_process_new_longest`: the revision's longest if it grew, else 1.
    static func newLongest(_ parent: Int, _ revision: Int) -> FeatureValue { .int(revision > parent ? revision : 1) }

    /// editquality `wikitext.diff` (the parts that need no wikitext parse).
    static let textDiff: [Feature] =
        deltaFeatures(prefix: "wikitext.revision.diff.", tableName: "markup", integerSums: false) { $0.markupFrequency }
        + deltaFeatures(prefix: "wikitext.revision.diff.", tableName: "number", integerSums: false) { $0.numberFrequency }
        + deltaFeatures(prefix: "wikitext.revision.diff.", tableName: "uppercase_word", integerSums: false) { $0.uppercaseWordFrequency }
        + [
            Feature("revision.diff.chars_change") { .float(Double($0.revision.chars - $0.parent.chars)) },
            Feature("revision.diff.tokens_change") { .float(Double($0.revision.tokenCount - $0.parent.tokenCount)) },
            Feature("revision.diff.words_change") { .float(Double($0.revision.words.count - $0.parent.words.count)) },
            Feature("revision.diff.markups_change") { .float(Double($0.revision.markupCount - $0.parent.markupCount)) },
            Feature("revision.diff.longest_new_token") { newLongest($0.parent.longestToken, $0.revision.longestToken) },
            Feature("revision.diff.longest_new_repeated_char") {
                newLongest($0.parent.longestRepeatedChar, $0.revision.longestRepeatedChar)
            },
        ]

    /// editquality's parse-based features (`wikitext.parent` logs and `wikitext.diff` changes).
    static let parsed: [Feature] = {
        let counts: [(String, @Sendable (WikitextParseCounts) -> Int)] = [
            ("headings", { $0.headings }), ("wikilinks", { $0.wikilinks }), ("external_links", { $0.externalLinks }),
            ("templates", { $0.templates }), ("ref_tags", { $0.refTags }), ("tags", { $0.tags }),
        ]
        var features: [Feature] = []
        for (name, count) in counts {
            if name != "tags" {
                features.append(Feature("log((wikitext.revision.parent.\(name) + 1))") { c throws(FeatureError) in
                    logPlusOne(count(try c.parent.parsed()))
                })
            }
            features.append(Feature("revision.diff.\(name)_change") { c throws(FeatureError) in
                .float(Double(count(try c.revision.parsed()) - count(try c.parent.parsed())))
            })
        }
        return features
    }()

    /// `revision.user.in_group(groups)`: false without user info.
    static func inGroup(_ name: String, _ groups: Set<String>) -> Feature {
        Feature(name) { c in .bool(c.data.userGroups.map { !groups.isDisjoint(with: $0) } ?? false) }
    }

    /// MediaWiki started recording registrations in 2006; revscoring assumes that date when
    /// a registered user has none.
    static let registrationEpoch: Int64 = 1_136_073_600  // 2006-01-01T00:00:00Z

    /// editquality `mediawiki.user_rights` and `mediawiki.protected_user`.
    static let user: [Feature] = [
        inGroup("revision.user.is_bot", ["bot"]),
        inGroup("revision.user.has_advanced_rights", ["checkuser", "bureaucrat", "oversight", "steward"]),
        inGroup("revision.user.is_admin", ["sysop"]),
        inGroup("revision.user.is_trusted", [
            "browsearchive", "deletedhistory", "interface-editor", "noratelimit", "accountcreator",
            "massmessage-sender", "templateeditor", "autopatrolled", "propertycreator", "centralnoticeadmin",
        ]),
        inGroup("revision.user.is_patroller", [
            "rollback", "abusefilter", "patroller", "reviewer", "autoreview", "autoreviewer", "editor", "autoeditor",
            "eliminator",
        ]),
        inGroup("revision.user.is_curator", ["import", "filemover", "suppressredirect"]),
        Feature("revision.user.is_anon") { .bool($0.data.userID == 0) },
        Feature("log((temporal.revision.user.seconds_since_registration + 1))") { c in
            guard c.data.userID != 0 else { return logPlusOne(0) }
            let registration = c.data.userRegistration ?? registrationEpoch
            let seconds = registration > c.data.timestamp ? 60 * 60 * 24 * 365 : c.data.timestamp - registration
            return .float(log(Double(seconds) + 1))
        },
    ]

    /// `revision.comment_matches(regex)`: `re.match` with `re.I`.
    static func commentMatches(_ name: String, _ pattern: String) -> Feature {
        let regex: PythonRegex
        do {
            regex = try PythonRegex(pattern, ignoreCase: true)
        } catch {
            preconditionFailure("\(name): \(error)")  // fixed data, checked by tests
        }
        return Feature(name) { c throws(FeatureError) in
            let result: Result<Bool, RegexMatchError> = Result { () throws(RegexMatchError) in try regex.matchesAtStart(c.data.comment) }
            switch result {
            case let .success(b): return .bool(b)
            case let .failure(e): throw .regex(e)
            }
        }
    }

    /// editquality `mediawiki.comment`.
    static let comment: [Feature] = [
        commentMatches("revision.comment.suggests_section_edit", #"^/\* [^\n]+ \*/"#),
        commentMatches("revision.comment.has_link", #".*\[\[[^\]]+\]\].*"#),
    ]

    /// A `Dictionary`'s diff features (`<name>.revision.diff.dict_word_*`, `non_dict_word_*`).
    /// Without the dictionaries installed these features are absent, and lists naming them
    /// fail to build with an error that says so.
    static func dictionary(_ name: String, _ dictionary: MultiDictionary) -> [Feature] {
        deltaFeatures(prefix: name + ".revision.diff.", tableName: "dict_word", integerSums: true) {
            $0.dictionaryFrequencies(name, dictionary).dict
        } + deltaFeatures(prefix: name + ".revision.diff.", tableName: "non_dict_word", integerSums: true) {
            $0.dictionaryFrequencies(name, dictionary).nonDict
        }
    }

    /// A `RegexMatches` list's diff features (`<list>.revision.diff.match_*`).
    static func wordLists(_ list: RegexWordList) -> [Feature] {
        deltaFeatures(prefix: list.name + ".revision.diff.", tableName: "match", integerSums: true) { t throws(FeatureError) in
            try t.matchFrequency(list)
        }
    }
}
