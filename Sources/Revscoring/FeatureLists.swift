/// Feature lists per wiki, as revscoring names them (the names a model file records).
public enum FeatureLists {
    /// `editquality.feature_lists.enwiki.goodfaith` (identical to `enwiki.damaging`): 80
    /// features in model order.
    public static let enwikiGoodfaith: [String] = [
        "revision.page.is_articleish",
        "revision.page.is_mainspace",
        "revision.page.is_draftspace",
        "log((wikitext.revision.parent.chars + 1))",
        "log((len(<datasource.tokenized(datasource.revision.parent.text)>) + 1))",
        "log((len(<datasource.wikitext.revision.parent.words>) + 1))",
        "log((len(<datasource.wikitext.revision.parent.uppercase_words>) + 1))",
        "log((wikitext.revision.parent.headings + 1))",
        "log((wikitext.revision.parent.wikilinks + 1))",
        "log((wikitext.revision.parent.external_links + 1))",
        "log((wikitext.revision.parent.templates + 1))",
        "log((wikitext.revision.parent.ref_tags + 1))",
        "revision.parent.chars_per_word",
        "revision.parent.words_per_token",
        "revision.parent.uppercase_words_per_word",
        "revision.parent.markups_per_token",
        "wikitext.revision.diff.markup_delta_sum",
        "wikitext.revision.diff.markup_delta_increase",
        "wikitext.revision.diff.markup_delta_decrease",
        "wikitext.revision.diff.markup_prop_delta_sum",
        "wikitext.revision.diff.markup_prop_delta_increase",
        "wikitext.revision.diff.markup_prop_delta_decrease",
        "wikitext.revision.diff.number_delta_sum",
        "wikitext.revision.diff.number_delta_increase",
        "wikitext.revision.diff.number_delta_decrease",
        "wikitext.revision.diff.number_prop_delta_sum",
        "wikitext.revision.diff.number_prop_delta_increase",
        "wikitext.revision.diff.number_prop_delta_decrease",
        "wikitext.revision.diff.uppercase_word_delta_sum",
        "wikitext.revision.diff.uppercase_word_delta_increase",
        "wikitext.revision.diff.uppercase_word_delta_decrease",
        "wikitext.revision.diff.uppercase_word_prop_delta_sum",
        "wikitext.revision.diff.uppercase_word_prop_delta_increase",
        "wikitext.revision.diff.uppercase_word_prop_delta_decrease",
        "revision.diff.chars_change",
        "revision.diff.tokens_change",
        "revision.diff.words_change",
        "revision.diff.markups_change",
        "revision.diff.headings_change",
        "revision.diff.external_links_change",
        "revision.diff.wikilinks_change",
        "revision.diff.templates_change",
        "revision.diff.tags_change",
        "revision.diff.ref_tags_change",
        "revision.diff.longest_new_token",
        "revision.diff.longest_new_repeated_char",
        "revision.user.is_bot",
        "revision.user.has_advanced_rights",
        "revision.user.is_admin",
        "revision.user.is_trusted",
        "revision.user.is_patroller",
        "revision.user.is_curator",
        "revision.user.is_anon",
        "log((temporal.revision.user.seconds_since_registration + 1))",
        "revision.comment.suggests_section_edit",
        "revision.comment.has_link",
        "english.badwords.revision.diff.match_delta_sum",
        "english.badwords.revision.diff.match_delta_increase",
        "english.badwords.revision.diff.match_delta_decrease",
        "english.badwords.revision.diff.match_prop_delta_sum",
        "english.badwords.revision.diff.match_prop_delta_increase",
        "english.badwords.revision.diff.match_prop_delta_decrease",
        "english.informals.revision.diff.match_delta_sum",
        "english.informals.revision.diff.match_delta_increase",
        "english.informals.revision.diff.match_delta_decrease",
        "english.informals.revision.diff.match_prop_delta_sum",
        "english.informals.revision.diff.match_prop_delta_increase",
        "english.informals.revision.diff.match_prop_delta_decrease",
        "english.dictionary.revision.diff.dict_word_delta_sum",
        "english.dictionary.revision.diff.dict_word_delta_increase",
        "english.dictionary.revision.diff.dict_word_delta_decrease",
        "english.dictionary.revision.diff.dict_word_prop_delta_sum",
        "english.dictionary.revision.diff.dict_word_prop_delta_increase",
        "english.dictionary.revision.diff.dict_word_prop_delta_decrease",
        "english.dictionary.revision.diff.non_dict_word_delta_sum",
        "english.dictionary.revision.diff.non_dict_word_delta_increase",
        "english.dictionary.revision.diff.non_dict_word_delta_decrease",
        "english.dictionary.revision.diff.non_dict_word_prop_delta_sum",
        "english.dictionary.revision.diff.non_dict_word_prop_delta_increase",
        "english.dictionary.revision.diff.non_dict_word_prop_delta_decrease",
    ]

    /// `editquality.feature_lists.enwiki.damaging`: the same list as goodfaith.
    public static let enwikiDamaging = enwikiGoodfaith

    /// The feature names of a known list (`enwiki.goodfaith`, `enwiki.damaging`).
    public static func named(_ name: String) -> [String]? {
        switch name {
        case "enwiki.goodfaith", "editquality.feature_lists.enwiki.goodfaith": return enwikiGoodfaith
        case "enwiki.damaging", "editquality.feature_lists.enwiki.damaging": return enwikiDamaging
        default: return nil
        }
    }
}
