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

    /// The bare counts of one side (`revision` or `revision.parent`) that the modifier
    /// features are made of: what Lift Wing's `extended_output` shows (`trim`). revscoring
    /// gives them as floats.
    static func textCounts(_ side: String, _ analysis: @escaping @Sendable (RevisionContext) -> TextAnalysis) -> [Feature] {
        [
            Feature("wikitext.\(side).chars") { .float(Double(analysis($0).chars)) },
            Feature("len(<datasource.tokenized(datasource.\(side).text)>)") { .float(Double(analysis($0).tokenCount)) },
            Feature("len(<datasource.wikitext.\(side).words>)") { .float(Double(analysis($0).words.count)) },
            Feature("len(<datasource.wikitext.\(side).uppercase_words>)") { .float(Double(analysis($0).uppercaseWords.count)) },
            Feature("len(<datasource.wikitext.\(side).markups>)") { .float(Double(analysis($0).markupCount)) },
        ]
    }

    /// Names of the bare features of the parent's text.
    static let parentChars = "wikitext.revision.parent.chars"
    static let parentTokens = "len(<datasource.tokenized(datasource.revision.parent.text)>)"
    static let parentWords = "len(<datasource.wikitext.revision.parent.words>)"
    static let parentUppercaseWords = "len(<datasource.wikitext.revision.parent.uppercase_words>)"
    static let parentMarkups = "len(<datasource.wikitext.revision.parent.markups>)"

    /// editquality `wikitext.parent` (the parts that need no wikitext parse).
    static let parentText: [Feature] = textCounts("revision.parent") { $0.parent } + textCounts("revision") { $0.revision } + [
        Feature("log((\(parentChars) + 1))", modifies: [parentChars]) { logPlusOne($0.parent.chars) },
        Feature("log((\(parentTokens) + 1))", modifies: [parentTokens]) { logPlusOne($0.parent.tokenCount) },
        Feature("log((\(parentWords) + 1))", modifies: [parentWords]) { logPlusOne($0.parent.words.count) },
        Feature("log((\(parentUppercaseWords) + 1))", modifies: [parentUppercaseWords]) {
            logPlusOne($0.parent.uppercaseWords.count)
        },
        Feature("revision.parent.chars_per_word", modifies: [parentChars, parentWords]) {
            ratio($0.parent.chars, $0.parent.words.count)
        },
        Feature("revision.parent.words_per_token", modifies: [parentWords, parentTokens]) {
            ratio($0.parent.words.count, $0.parent.tokenCount)
        },
        Feature("revision.parent.uppercase_words_per_word", modifies: [parentUppercaseWords, parentWords]) {
            ratio($0.parent.uppercaseWords.count, $0.parent.words.count)
        },
        Feature("revision.parent.markups_per_token", modifies: [parentMarkups, parentTokens]) {
            ratio($0.parent.markupCount, $0.parent.tokenCount)
        },
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

    /// `revision.diff.<name>_change`: `sub(revision's, parent's)`, a float.
    static func change(_ name: String, _ revisionName: String, _ parentName: String,
                       _ count: @escaping @Sendable (TextAnalysis) -> Int) -> Feature {
        Feature("revision.diff.\(name)_change", modifies: [revisionName, parentName]) {
            .float(Double(count($0.revision) - count($0.parent)))
        }
    }

    /// editquality `wikitext.diff` (the parts that need no wikitext parse).
    static let textDiff: [Feature] =
        deltaFeatures(prefix: "wikitext.revision.diff.", tableName: "markup", integerSums: false) { $0.markupFrequency }
        + deltaFeatures(prefix: "wikitext.revision.diff.", tableName: "number", integerSums: false) { $0.numberFrequency }
        + deltaFeatures(prefix: "wikitext.revision.diff.", tableName: "uppercase_word", integerSums: false) { $0.uppercaseWordFrequency }
        + [
            change("chars", "wikitext.revision.chars", parentChars) { $0.chars },
            change("tokens", "len(<datasource.tokenized(datasource.revision.text)>)", parentTokens) { $0.tokenCount },
            change("words", "len(<datasource.wikitext.revision.words>)", parentWords) { $0.words.count },
            change("markups", "len(<datasource.wikitext.revision.markups>)", parentMarkups) { $0.markupCount },
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
            let (revisionName, parentName) = ("wikitext.revision.\(name)", "wikitext.revision.parent.\(name)")
            features.append(Feature(revisionName) { c throws(FeatureError) in .float(Double(count(try c.revision.parsed()))) })
            features.append(Feature(parentName) { c throws(FeatureError) in .float(Double(count(try c.parent.parsed()))) })
            if name != "tags" {
                features.append(Feature("log((\(parentName) + 1))", modifies: [parentName]) { c throws(FeatureError) in
                    logPlusOne(count(try c.parent.parsed()))
                })
            }
            features.append(Feature("revision.diff.\(name)_change", modifies: [revisionName, parentName]) { c throws(FeatureError) in
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

    static let secondsSinceRegistration = "temporal.revision.user.seconds_since_registration"

    /// `temporal.revision.user.seconds_since_registration`: 0 for anonymous editors; a
    /// registration after the edit counts as one year.
    static func secondsSinceRegistration(_ data: RevisionData) -> Int64 {
        guard data.userID != 0 else { return 0 }
        let registration = data.userRegistration ?? registrationEpoch
        return registration > data.timestamp ? 60 * 60 * 24 * 365 : data.timestamp - registration
    }

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
        Feature(secondsSinceRegistration) { .int(Int(secondsSinceRegistration($0.data))) },
        Feature("log((\(secondsSinceRegistration) + 1))", modifies: [secondsSinceRegistration]) {
            .float(log(Double(secondsSinceRegistration($0.data)) + 1))
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
