/// revscoring's `extractors.api.Extractor`: the root data of revisions, fetched from the
/// MediaWiki Action API with the queries Lift Wing's revscoring server makes.
///
/// For each batch of (at most 50) revisions: one `prop=revisions` query for the revisions,
/// then, concurrently, one for their parents and one `list=users` query for their registered
/// editors — the three calls of Lift Wing's `get_revscoring_extractor_cache`, batched as
/// revscoring's `_extract_many` batches them. A page creation (`parentid` 0) has no parent
/// query; an anonymous editor (`userid` 0) has no user query.
public struct APIExtractor: Sendable {
    /// The API client.
    public let client: MediaWikiAPIClient

    /// Lift Wing's `rvprop`.
    public static let revisionProperties = "content|userid|size|contentmodel|ids|user|comment|timestamp"
    /// Lift Wing's `usprop`.
    public static let userProperties = "groups|registration|editcount|gender"
    /// Revisions or users per query: the API's limit for ordinary clients.
    public static let batchSize = 50

    /// An extractor that asks `client`.
    public init(client: MediaWikiAPIClient) {
        self.client = client
    }

    /// The root data of one revision, or why revscoring could not extract it.
    ///
    /// - Throws: ``MediaWikiAPIError`` when the API itself fails.
    public func revisionData(for revID: Int) async throws(MediaWikiAPIError) -> Result<RevisionData, ExtractionError> {
        let results = try await revisionData(for: [revID])
        return results[revID] ?? .failure(.revisionNotFound(revID: revID))
    }

    /// The root data of each revision (keyed by rev id), or why revscoring could not extract it.
    ///
    /// - Throws: ``MediaWikiAPIError`` when the API itself fails.
    public func revisionData(for revIDs: [Int]) async throws(MediaWikiAPIError) -> [Int: Result<RevisionData, ExtractionError>] {
        var results: [Int: Result<RevisionData, ExtractionError>] = [:]
        var start = 0
        while start < revIDs.count {
            let batch = Array(revIDs[start..<min(start + Self.batchSize, revIDs.count)])
            start += batch.count
            for (id, result) in try await fetchBatch(batch) { results[id] = result }
        }
        return results
    }

    private func fetchBatch(_ revIDs: [Int]) async throws(MediaWikiAPIError) -> [Int: Result<RevisionData, ExtractionError>] {
        let revisions = try await revisionDocuments(revIDs)
        let parentIDs = Set(revIDs.compactMap { revisions[$0]?.parentID }.filter { $0 > 0 })
        let userNames = Set(revIDs.compactMap { id -> String? in
            guard let r = revisions[id], let user = r.userID, user > 0 else { return nil }
            return r.userName
        })
        async let parentsResult = result { () throws(MediaWikiAPIError) in try await revisionDocuments(Array(parentIDs)) }
        async let usersResult = result { () throws(MediaWikiAPIError) in try await userDocuments(Array(userNames)) }
        let parents = try await parentsResult.get()
        let users = try await usersResult.get()
        var out: [Int: Result<RevisionData, ExtractionError>] = [:]
        for id in revIDs {
            out[id] = Result { () throws(ExtractionError) in
                guard let revision = revisions[id] else { throw .revisionNotFound(revID: id) }
                return try revision.rootData(parents: parents, users: users)
            }
        }
        return out
    }

    /// Runs `body`, capturing its error (`async let` cannot carry typed throws).
    private func result<T: Sendable>(_ body: () async throws(MediaWikiAPIError) -> T) async -> Result<T, MediaWikiAPIError> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// `prop=revisions` for `revIDs`, in batches, keyed by rev id.
    func revisionDocuments(_ revIDs: [Int]) async throws(MediaWikiAPIError) -> [Int: APIRevision] {
        var docs: [Int: APIRevision] = [:]
        var start = 0
        while start < revIDs.count {
            let batch = revIDs[start..<min(start + Self.batchSize, revIDs.count)]
            start += batch.count
            let json = try await client.query([
                ("prop", "revisions"), ("revids", batch.map(String.init).joined(separator: "|")),
                ("rvslots", "main"), ("rvprop", Self.revisionProperties),
            ])
            for r in APIRevision.revisions(in: json) { docs[r.revID] = r }
        }
        return docs
    }

    /// `list=users` for `names`, in batches, keyed by name.
    func userDocuments(_ names: [String]) async throws(MediaWikiAPIError) -> [String: JSONValue] {
        var docs: [String: JSONValue] = [:]
        var start = 0
        while start < names.count {
            let batch = names[start..<min(start + Self.batchSize, names.count)]
            start += batch.count
            let json = try await client.query([
                ("list", "users"), ("ususers", batch.joined(separator: "|")), ("usprop", Self.userProperties),
            ])
            for user in json["query"]?["users"]?.arrayValue ?? [] {
                if let name = user["name"]?.stringValue { docs[name] = user }
            }
        }
        return docs
    }
}

/// One revision as the API describes it (`formatversion=1`), with its page's metadata.
struct APIRevision: Sendable {
    var revID: Int
    var parentID: Int?
    var namespace: Int?
    var timestamp: String?
    /// `nil` when hidden (`commenthidden`).
    var comment: String?
    /// `nil` when hidden (`userhidden`).
    var userID: Int?
    var userName: String?
    /// `nil` when hidden (`texthidden`) or absent.
    var text: String?

    /// The revisions of a `prop=revisions` answer (`query.pages.*.revisions`), each with its
    /// page's namespace, as revscoring's `_normalize_revisions` attaches it.
    static func revisions(in json: JSONValue) -> [APIRevision] {
        var out: [APIRevision] = []
        for page in json["query"]?["pages"]?.members ?? [] {
            let namespace = page.value["ns"]?.intValue
            for doc in page.value["revisions"]?.arrayValue ?? [] {
                guard let revID = doc["revid"]?.intValue else { continue }
                out.append(APIRevision(
                    revID: revID, parentID: doc["parentid"]?.intValue, namespace: namespace,
                    timestamp: doc["timestamp"]?.stringValue, comment: doc["comment"]?.stringValue,
                    userID: doc["userid"]?.intValue, userName: doc["user"]?.stringValue,
                    text: doc["slots"]?["main"]?["*"]?.stringValue))
            }
        }
        return out
    }

    /// The root datasources, with revscoring's errors in the order the enwiki feature list
    /// meets them: missing parent or user account first (the batch stage), then the parent's
    /// text, the text, the user, the comment.
    func rootData(parents: [Int: APIRevision], users: [String: JSONValue]) throws(ExtractionError) -> RevisionData {
        var parent: APIRevision? = nil
        if let parentID, parentID > 0 {
            guard let p = parents[parentID] else { throw .parentRevisionNotFound(revID: revID, parentID: parentID) }
            parent = p
        }
        var userDoc: JSONValue? = nil
        if let userID, userID > 0, let userName {
            guard let doc = users[userName] else { throw .userNotFound(revID: revID, userText: userName) }
            userDoc = doc
        }
        if let parent, parent.text == nil { throw .parentTextDeleted(revID: revID) }
        guard let text else { throw .textDeleted(revID: revID) }
        guard let userID, userName != nil else { throw .userDeleted(revID: revID) }
        guard let comment else { throw .commentDeleted(revID: revID) }
        guard let stamp = timestamp, let seconds = MediaWikiTimestamp.parse(stamp) else {
            throw .badTimestamp(revID: revID, timestamp ?? "")
        }
        var registration: Int64? = nil
        if let r = userDoc?["registration"]?.stringValue {
            guard let s = MediaWikiTimestamp.parse(r) else { throw .badTimestamp(revID: revID, r) }
            registration = s
        }
        let groups = userDoc.map { doc in doc["groups"]?.arrayValue?.compactMap(\.stringValue) }
        return RevisionData(
            text: text, parentText: parent?.text, comment: comment, timestamp: seconds, namespace: namespace ?? 0,
            userID: userID, userGroups: userID == 0 ? nil : groups ?? nil, userRegistration: registration)
    }
}
