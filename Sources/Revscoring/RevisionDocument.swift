/// A revision as a JSON document: the corpus/dump format
/// (`rev_id, parent_id, namespace, timestamp, comment, user_id, user_groups,
/// user_registration, text, parent_text`, other keys ignored).
public struct RevisionDocument: Sendable, Equatable {
    public var revID: Int
    public var parentID: Int?
    public var namespace: Int
    public var timestamp: String
    /// `nil` when the dump has none (an empty or suppressed summary).
    public var comment: String?
    /// `nil` when the user is suppressed.
    public var userID: Int?
    public var userGroups: [String]?
    public var userRegistration: String?
    /// `nil` when the text is suppressed.
    public var text: String?
    public var parentText: String?

    /// Reads a document from JSON.
    public init(json: JSONValue) throws(RevisionDocumentError) {
        guard case .object = json else { throw .notAnObject }
        func int(_ key: String, required: Bool) throws(RevisionDocumentError) -> Int? {
            switch json[key] {
            case let .int(i)?: return i
            case .null?, nil:
                if required { throw .missingField(key) }
                return nil
            default: throw .wrongType(field: key, expected: "an integer")
            }
        }
        func string(_ key: String, required: Bool) throws(RevisionDocumentError) -> String? {
            switch json[key] {
            case let .string(s)?: return s
            case .null?, nil:
                if required { throw .missingField(key) }
                return nil
            default: throw .wrongType(field: key, expected: "a string")
            }
        }
        revID = try int("rev_id", required: true) ?? 0
        parentID = try int("parent_id", required: false)
        namespace = try int("namespace", required: true) ?? 0
        timestamp = try string("timestamp", required: true) ?? ""
        comment = try string("comment", required: false)
        userID = try int("user_id", required: false)
        userRegistration = try string("user_registration", required: false)
        text = try string("text", required: false)
        parentText = try string("parent_text", required: false)
        switch json["user_groups"] {
        case .null?, nil: userGroups = nil
        case let .array(items)?:
            var groups: [String] = []
            for item in items {
                guard case let .string(g) = item else { throw .wrongType(field: "user_groups", expected: "a list of strings") }
                groups.append(g)
            }
            userGroups = groups
        default: throw .wrongType(field: "user_groups", expected: "a list of strings")
        }
    }

    /// The root datasources, as revscoring's API extractor would fill them (and the reference
    /// extractor does): a suppressed text or user is an error; a missing comment is the empty
    /// summary; a page creation has no parent text; an anonymous user has no groups or
    /// registration.
    public func revisionData() throws(ExtractionError) -> RevisionData {
        guard let text else { throw .textDeleted(revID: revID) }
        guard let userID else { throw .userDeleted(revID: revID) }
        guard let timestamp = MediaWikiTimestamp.parse(self.timestamp) else {
            throw .badTimestamp(revID: revID, self.timestamp)
        }
        var parent: String? = nil
        if let parentID, parentID != 0 {
            guard let parentText else { throw .parentTextDeleted(revID: revID) }
            parent = parentText
        }
        var registration: Int64? = nil
        if userID != 0, let r = userRegistration {
            guard let seconds = MediaWikiTimestamp.parse(r) else { throw .badTimestamp(revID: revID, r) }
            registration = seconds
        }
        return RevisionData(
            text: text, parentText: parent, comment: comment ?? "", timestamp: timestamp, namespace: namespace,
            userID: userID, userGroups: userID == 0 ? nil : (userGroups ?? []), userRegistration: registration)
    }
}

/// What is wrong with a revision document.
public enum RevisionDocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnObject
    case missingField(String)
    case wrongType(field: String, expected: String)

    public var description: String {
        switch self {
        case .notAnObject: return "a revision document must be a JSON object"
        case let .missingField(f): return "revision document has no \"\(f)\""
        case let .wrongType(f, expected): return "revision document field \"\(f)\" must be \(expected)"
        }
    }
}

/// Why features cannot be extracted for a revision (revscoring's extraction errors).
public enum ExtractionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `TextDeleted`: the revision's text is suppressed.
    case textDeleted(revID: Int)
    /// `TextDeleted` for `revision.parent.text`.
    case parentTextDeleted(revID: Int)
    /// `UserDeleted`: the editor is suppressed.
    case userDeleted(revID: Int)
    /// A timestamp that is not a MediaWiki timestamp.
    case badTimestamp(revID: Int, String)

    public var description: String {
        switch self {
        case let .textDeleted(id): return "TextDeleted: the text of revision \(id) is deleted"
        case let .parentTextDeleted(id): return "TextDeleted: the parent text of revision \(id) is deleted"
        case let .userDeleted(id): return "UserDeleted: the user of revision \(id) is deleted"
        case let .badTimestamp(id, t): return "revision \(id) has a malformed timestamp \(t.debugDescription)"
        }
    }
}
