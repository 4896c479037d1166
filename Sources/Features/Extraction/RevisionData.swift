/// The root datasources of one revision: everything editquality's enwiki features read.
///
/// These are what revscoring's API extractor fills in from the MediaWiki API (or the reference
/// extractor from a revision document), with revscoring's conventions: a page creation has no
/// parent text, an anonymous user has no groups and no registration.
public struct RevisionData: Sendable, Equatable {
    /// `revision.text`.
    public var text: String
    /// `revision.parent.text`; `nil` for a page creation (tokenized as `""`).
    public var parentText: String?
    /// `revision.comment` (`""` for an empty summary).
    public var comment: String
    /// `revision.timestamp`, in seconds since 1970.
    public var timestamp: Int64
    /// `revision.page.namespace.id`.
    public var namespace: Int
    /// `revision.user.id`; 0 for anonymous editors.
    public var userID: Int
    /// `revision.user.info.groups`; `nil` when there is no user info (anonymous editors).
    public var userGroups: [String]?
    /// `revision.user.info.registration`, in seconds since 1970; `nil` when unknown.
    public var userRegistration: Int64?

    /// Creates root data.
    public init(text: String, parentText: String?, comment: String, timestamp: Int64, namespace: Int,
                userID: Int, userGroups: [String]?, userRegistration: Int64?) {
        self.text = text
        self.parentText = parentText
        self.comment = comment
        self.timestamp = timestamp
        self.namespace = namespace
        self.userID = userID
        self.userGroups = userGroups
        self.userRegistration = userRegistration
    }
}

/// MediaWiki timestamps (`2016-05-02T10:15:00Z` or `20160502101500`) as seconds since 1970,
/// as `mwtypes.Timestamp` reads them.
public enum MediaWikiTimestamp {
    /// Parses a timestamp; `nil` when it is not one of the two MediaWiki forms.
    public static func parse(_ text: String) -> Int64? {
        let digits = text.unicodeScalars.filter { ("0"..."9").contains($0) }.map { Int64($0.value - 48) }
        let iso = text.count == 20 && text.hasSuffix("Z") && Array(text)[10] == "T"
        let short = text.count == 14 && digits.count == 14
        guard (iso && digits.count == 14) || short else { return nil }
        func num(_ a: Int, _ n: Int) -> Int64 { digits[a..<(a + n)].reduce(0) { $0 * 10 + $1 } }
        let (y, mo, d, h, mi, s) = (num(0, 4), num(4, 2), num(6, 2), num(8, 2), num(10, 2), num(12, 2))
        guard (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        return daysFromCivil(y, mo, d) * 86_400 + h * 3_600 + mi * 60 + s
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
