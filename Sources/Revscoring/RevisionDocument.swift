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
///
/// ``description`` is revscoring's `str(error)`, ``revscoringType`` its class name: ORES and
/// Lift Wing show both, and clients match on them.
public enum ExtractionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `RevisionNotFound`: the API knows no such revision (Lift Wing: `badrevids`).
    case revisionNotFound(revID: Int)
    /// `RevisionNotFound` for `revision.parent`.
    case parentRevisionNotFound(revID: Int, parentID: Int)
    /// `UserNotFound`: the editor's account is unknown to the API.
    case userNotFound(revID: Int, userText: String)
    /// `TextDeleted`: the revision's text is suppressed.
    case textDeleted(revID: Int)
    /// `TextDeleted` for `revision.parent.text`.
    case parentTextDeleted(revID: Int)
    /// `UserDeleted`: the editor is suppressed.
    case userDeleted(revID: Int)
    /// `CommentDeleted`: the edit summary is suppressed.
    case commentDeleted(revID: Int)
    /// A timestamp that is not a MediaWiki timestamp.
    case badTimestamp(revID: Int, String)

    /// The revision the error is about.
    public var revID: Int {
        switch self {
        case let .revisionNotFound(id), let .parentRevisionNotFound(id, _), let .userNotFound(id, _),
            let .textDeleted(id), let .parentTextDeleted(id), let .userDeleted(id), let .commentDeleted(id),
            let .badTimestamp(id, _):
            return id
        }
    }

    /// revscoring's error class (ORES's error `type`).
    public var revscoringType: String {
        switch self {
        case .revisionNotFound, .parentRevisionNotFound: return "RevisionNotFound"
        case .userNotFound: return "UserNotFound"
        case .textDeleted, .parentTextDeleted: return "TextDeleted"
        case .userDeleted: return "UserDeleted"
        case .commentDeleted: return "CommentDeleted"
        case .badTimestamp: return "ValueError"
        }
    }

    /// Whether the error is revscoring's `MissingResource` (Lift Wing: "Missing resource for
    /// rev-id …").
    public var isMissingResource: Bool {
        if case .badTimestamp = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case let .revisionNotFound(id): return "RevisionNotFound: Could not find revision ({revision}:\(id))"
        case let .parentRevisionNotFound(_, parent):
            return "RevisionNotFound: Could not find revision ({revision.parent}:\(parent))"
        case let .userNotFound(_, user): return "UserNotFound: Could not find user account ({revision.user}:\(pythonRepr(user)))"
        case .textDeleted: return "TextDeleted: Text deleted (datasource.revision.text)"
        case .parentTextDeleted: return "TextDeleted: Text deleted (datasource.revision.parent.text)"
        case .userDeleted: return "UserDeleted: User deleted ({revision.user})"
        case .commentDeleted: return "CommentDeleted: Comment deleted (datasource.revision.comment)"
        case let .badTimestamp(id, t): return "ValueError: revision \(id) has a malformed timestamp \(pythonRepr(t))"
        }
    }
}

/// Python's `repr` of a string, as revscoring's messages show names.
func pythonRepr(_ s: String) -> String {
    let quote: Unicode.Scalar = s.contains("'") && !s.contains("\"") ? "\"" : "'"
    let hex = Array("0123456789abcdef".unicodeScalars)
    var out = String.UnicodeScalarView()
    out.append(quote)
    for c in s.unicodeScalars {
        switch c {
        case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
        case "\n": out.append(contentsOf: "\\n".unicodeScalars)
        case "\r": out.append(contentsOf: "\\r".unicodeScalars)
        case "\t": out.append(contentsOf: "\\t".unicodeScalars)
        case quote: out.append(contentsOf: ["\\", c])
        case _ where c.value < 0x20 || c.value == 0x7F:
            out.append(contentsOf: ["\\", "x", hex[Int(c.value >> 4)], hex[Int(c.value & 0xF)]])
        default: out.append(c)
        }
    }
    out.append(quote)
    return String(out)
}
