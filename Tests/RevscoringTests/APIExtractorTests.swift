import AsyncHTTPClient
import FakeMediaWikiAPI
import Foundation
@testable import Revscoring
import Testing

/// A client of `url` with short timeouts and retry delays, so failures are fast.
func testClient(_ url: String, timeout: Duration = .seconds(10), attempts: Int = 3) -> MediaWikiAPIClient {
    MediaWikiAPIClient(configuration: .init(endpoint: url, timeout: timeout, maxAttempts: attempts, retryDelay: .milliseconds(5)))
}

/// A revision document with everything set, for edge cases; `changes` overrides fields.
func document(_ revID: Int, _ changes: [String: JSONValue] = [:]) -> JSONValue {
    var members: [JSONValue.Member] = [
        .init("rev_id", .int(revID)), .init("parent_id", .int(revID - 1)), .init("page_id", .int(7)),
        .init("page_title", .string("Page")), .init("namespace", .int(0)),
        .init("timestamp", .string("2016-05-02T10:15:00Z")), .init("comment", .string("fix")),
        .init("user_id", .int(42)), .init("user_text", .string("Editor O'Neil")),
        .init("user_groups", .array([.string("*"), .string("user"), .string("sysop")])),
        .init("user_registration", .string("2009-02-11T08:00:00Z")),
        .init("text", .string("Some [[text]] here.")), .init("parent_text", .string("Some text.")),
    ]
    for (k, v) in changes {
        if let i = members.firstIndex(where: { $0.key == k }) { members[i].value = v } else { members.append(.init(k, v)) }
    }
    return .object(members)
}

@Suite("MediaWiki API extractor")
struct APIExtractorTests {
    @Test("fetched root data equals the revision documents' (bundled samples)")
    func samplesRoundTrip() async throws {
        let docs = try readJSONLines(Paths.fixtures.appendingPathComponent("sample-revisions.jsonl"))
        try await checkRoundTrip(docs)
    }

    @Test("a client passed in (AsyncHTTPClient) fetches the same root data as the keep-alive transport")
    func asyncHTTPClientTransport() async throws {
        let docs = try readJSONLines(Paths.fixtures.appendingPathComponent("sample-revisions.jsonl"))
        let api = FakeMediaWikiAPI(documents: docs)
        let ids = docs.compactMap { $0["rev_id"]?.intValue }
        let (keepAlive, viaAHC) = try await api.withServer { url in
            let configuration = MediaWikiAPIClient.Configuration(endpoint: url, maxAttempts: 1)
            return (try await APIExtractor(client: MediaWikiAPIClient(configuration: configuration)).revisionData(for: ids),
                    try await APIExtractor(client: MediaWikiAPIClient(configuration: configuration, httpClient: .shared))
                        .revisionData(for: ids))
        }
        #expect(keepAlive.count == ids.count && keepAlive == viaAHC)
    }

    @Test("fetched root data equals the revision documents' for every corpus revision",
          .enabled(if: Paths.sharedAvailable, Paths.sharedSkipMessage))
    func corpusRoundTrip() async throws {
        let docs = try readJSONLines(Paths.shared.appendingPathComponent("corpus/enwiki-revisions.jsonl"))
        #expect(docs.count > 400)
        try await checkRoundTrip(docs)
    }

    func checkRoundTrip(_ docs: [JSONValue]) async throws {
        let api = FakeMediaWikiAPI(documents: docs)
        let ids = docs.compactMap { $0["rev_id"]?.intValue }
        let fetched = try await api.withServer { url in try await APIExtractor(client: testClient(url)).revisionData(for: ids) }
        var same = 0
        for doc in docs {
            let offline = try RevisionDocument(json: doc)
            let expected = Result { () throws(ExtractionError) in try offline.revisionData() }
            #expect(fetched[offline.revID] == expected, "rev \(offline.revID)")
            if fetched[offline.revID] == expected { same += 1 }
        }
        #expect(same == docs.count)
        // Batches of 50: one revisions query, one parents query, one users query per batch.
        let batches = (ids.count + 49) / 50
        #expect(api.requests.count <= 3 * batches)
    }

    @Test("suppressed and missing things give revscoring's errors, and the other revisions are fine")
    func revscoringErrors() async throws {
        let docs = [
            document(101), document(201, ["text": .null]), document(301, ["user_id": .null]),
            document(401, ["commenthidden": .bool(true)]), document(501, ["parent_text": .null]),
            document(601, ["user_id": .int(0), "user_text": .string("192.0.2.7"), "user_groups": .null, "user_registration": .null]),
            document(701, ["parent_id": .null]),
        ]
        let api = FakeMediaWikiAPI(documents: docs)
        let ids = [101, 201, 301, 401, 501, 601, 701, 999]
        let fetched = try await api.withServer { url in try await APIExtractor(client: testClient(url)).revisionData(for: ids) }
        #expect(try fetched[101]?.get().userGroups == ["*", "user", "sysop"])
        #expect(fetched[201] == .failure(.textDeleted(revID: 201)))
        #expect(fetched[301] == .failure(.userDeleted(revID: 301)))
        #expect(fetched[401] == .failure(.commentDeleted(revID: 401)))
        #expect(fetched[501] == .failure(.parentTextDeleted(revID: 501)))
        let anonymous = try #require(try fetched[601]?.get())
        #expect(anonymous.userID == 0 && anonymous.userGroups == nil && anonymous.userRegistration == nil)
        #expect(try fetched[701]?.get().parentText == nil)
        #expect(fetched[999] == .failure(.revisionNotFound(revID: 999)))
        #expect(ExtractionError.revisionNotFound(revID: 999).description == "RevisionNotFound: Could not find revision ({revision}:999)")
        #expect(ExtractionError.userNotFound(revID: 1, userText: "Editor O'Neil").description
                == #"UserNotFound: Could not find user account ({revision.user}:"Editor O'Neil")"#)
        // No user query for the anonymous editor, no parent query for the page creation.
        let userQueries = api.requests.filter { $0.contains("list=users") }
        #expect(userQueries.count == 1 && !userQueries[0].contains("192.0.2.7"))
        #expect(!api.requests.contains { $0.contains("revids=700") })
    }

    @Test("a parent or account the API does not know is RevisionNotFound / UserNotFound")
    func missingParentAndUser() async throws {
        let api = FakeMediaWikiAPI(documents: [document(21)])
        let data = APIRevision.revisions(in: api.answer([
            "action": "query", "format": "json", "prop": "revisions", "revids": "21",
        ]).body)
        let revision = try #require(data.first)
        #expect(throws: ExtractionError.parentRevisionNotFound(revID: 21, parentID: 20)) {
            try revision.rootData(parents: [:], users: ["Editor O'Neil": .object([])])
        }
        #expect(throws: ExtractionError.userNotFound(revID: 21, userText: "Editor O'Neil")) {
            try revision.rootData(parents: [20: revision], users: [:])
        }
    }

    @Test("5xx answers are retried a bounded number of times")
    func retries() async throws {
        let api = FakeMediaWikiAPI(documents: [document(101)], faults: .init(failFirst: 2))
        let result = try await api.withServer { url in try await APIExtractor(client: testClient(url)).revisionData(for: 101) }
        #expect(try result.get().text == "Some [[text]] here.")
        let failing = FakeMediaWikiAPI(documents: [document(101)], faults: .init(failFirst: 100))
        await #expect(throws: MediaWikiAPIError.self) {
            try await failing.withServer { url in try await APIExtractor(client: testClient(url, attempts: 3)).revisionData(for: 101) }
        }
        #expect(failing.requests.count == 3)
    }

    @Test("a slow API is a timeout; a closed port is unreachable")
    func timeoutAndUnreachable() async throws {
        let slow = FakeMediaWikiAPI(documents: [document(101)], faults: .init(delay: .seconds(2)))
        let error = try await slow.withServer { url in
            await #expect(throws: MediaWikiAPIError.self) {
                try await APIExtractor(client: testClient(url, timeout: .milliseconds(200), attempts: 1)).revisionData(for: 101)
            }
        }
        if case .timeout? = error {} else { Issue.record("expected a timeout, got \(String(describing: error))") }
        let closed = await #expect(throws: MediaWikiAPIError.self) {
            try await APIExtractor(client: testClient("http://127.0.0.1:9/w/api.php", attempts: 2)).revisionData(for: 1)
        }
        if case .unreachable? = closed {} else { Issue.record("expected unreachable, got \(String(describing: closed))") }
    }

    @Test("http endpoints are split into host, port and target prefix; others go to AsyncHTTPClient")
    func plainEndpoints() {
        let endpoint = PlainHTTPEndpoint("http://127.0.0.1:8080/w/api.php")
        #expect(endpoint?.host == "127.0.0.1" && endpoint?.port == 8080 && endpoint?.authority == "127.0.0.1:8080")
        #expect(endpoint?.prefixLength == "http://127.0.0.1:8080".utf8.count)
        #expect(PlainHTTPEndpoint("HTTP://api-ro.discovery.wmnet/w/api.php")?.port == 80)
        #expect(PlainHTTPEndpoint("http://localhost:6500")?.prefixLength == 21)
        #expect(PlainHTTPEndpoint("http://[::1]:81/w/api.php")?.host == "::1")
        for url in ["https://en.wikipedia.org/w/api.php", "http://user@host/w/api.php", "http://host:0/", "http://host:x/",
                    "http:///w/api.php", "http://", "ftp://host/", "http://[::1/"] {
            #expect(PlainHTTPEndpoint(url) == nil, "\(url)")
        }
    }

    @Test("keep-alive connections: many queries in parallel, answers over the limit refused, a restarted API reached again")
    func keepAliveConnections() async throws {
        let api = FakeMediaWikiAPI(documents: (1001...1020).map { document($0, ["text": .string("text of \($0)")]) })
        let port = try await api.withServer { url in
            let client = testClient(url)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for round in 0..<5 {
                    for id in 1001...1020 {
                        group.addTask {
                            let data = try await APIExtractor(client: client).revisionData(for: id)
                            #expect(try data.get().text == "text of \(id)", "round \(round)")
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let small = MediaWikiAPIClient(configuration: .init(endpoint: url, maxAttempts: 1, maxResponseBytes: 100))
            let error = await #expect(throws: MediaWikiAPIError.self) {
                try await small.query([("prop", "revisions"), ("revids", "1001")])
            }
            #expect(error == .responseTooLarge(url: url, limit: 100))
            return try #require(PlainHTTPEndpoint(url)).port
        }
        // The first server closed its connections on shutdown: the pooled ones are dead, and a
        // new server on the same port is reached without an error.
        let again = FakeMediaWikiAPI(documents: [document(1001, ["text": .string("again")])])
        try await again.withServer(port: port) { url in
            for _ in 0..<3 {
                let data = try await APIExtractor(client: testClient(url, attempts: 1)).revisionData(for: 1001)
                #expect(try data.get().text == "again")
            }
        }
    }

    @Test("a redirect from an http:// endpoint is followed")
    func redirects() async throws {
        let api = FakeMediaWikiAPI(documents: [document(1001, ["text": .string("moved")])])
        try await api.withServer { target in
            let moved = FakeMediaWikiAPI(documents: [], faults: .init(redirect: target))
            try await moved.withServer { url in
                let data = try await APIExtractor(client: testClient(url, attempts: 1)).revisionData(for: 1001)
                #expect(try data.get().text == "moved")
                // Each query reaches the moved endpoint twice (keep-alive, then AsyncHTTPClient), the target once.
                #expect(!api.requests.isEmpty && moved.requests.count == 2 * api.requests.count)
            }
        }
    }

    @Test("the API's own error object and non-JSON answers are reported")
    func apiErrors() async throws {
        let api = FakeMediaWikiAPI(documents: [])
        let error = try await api.withServer { url in
            await #expect(throws: MediaWikiAPIError.self) {
                try await testClient(url).query([("list", "allpages")])
            }
        }
        #expect(error == .apiError(code: "badvalue", info: "unsupported query"))
    }

    @Test("query strings are percent-encoded")
    func percentEncoding() {
        #expect(MediaWikiAPIClient.percentEncoded("content|ids") == "content%7Cids")
        #expect(MediaWikiAPIClient.percentEncoded("Zoë O'Neil & co") == "Zo%C3%AB%20O%27Neil%20%26%20co")
        let parameters = [("ususers", "Zoë O'Neil"), ("usprop", "groups|registration")]
        #expect(testClient("http://h/w/api.php").requestURL(for: parameters)
                == "http://h/w/api.php?ususers=Zo%C3%AB%20O%27Neil&usprop=groups%7Cregistration")
        #expect(testClient("http://h/w/api.php?maxlag=5").requestURL(for: parameters)
                == "http://h/w/api.php?maxlag=5&ususers=Zo%C3%AB%20O%27Neil&usprop=groups%7Cregistration")
        #expect(testClient("http://h/w/api.php").requestURL(for: []) == "http://h/w/api.php")
        // Every scalar up to U+0800 and some beyond, alone and between unreserved runs, as
        // Foundation encodes it with RFC 3986's unreserved set.
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let scalars = (0..<0x800).compactMap(Unicode.Scalar.init) + ["\u{FFFD}", "\u{1F600}", "\u{10FFFF}"]
        for scalar in scalars {
            for text in [String(scalar), "ab\(scalar)~9\(scalar)\(scalar)Z"] {
                #expect(MediaWikiAPIClient.percentEncoded(text) == text.addingPercentEncoding(withAllowedCharacters: unreserved))
            }
        }
    }

    @Test("wiki database names map to their hosts")
    func wikiHosts() {
        #expect(WikiHost.host(for: "enwiki") == "en.wikipedia.org")
        #expect(WikiHost.host(for: "zh_min_nanwiki") == "zh-min-nan.wikipedia.org")
        #expect(WikiHost.host(for: "wikidatawiki") == "www.wikidata.org")
        #expect(WikiHost.host(for: "frwiktionary") == "fr.wiktionary.org")
        #expect(WikiHost.host(for: "wiki") == nil)
        #expect(WikiHost.host(for: "en wiki") == nil)
    }
}

@Suite("model info")
struct ModelInfoTests {
    @Test("statistics read as revscoring's model.info.format() shows them, for every fixture model")
    func statisticsText() throws {
        for line in try readJSONLines(Paths.fixtures.appendingPathComponent("info-statistics.jsonl")) {
            let name = try #require(line["model"]?.stringValue)
            let expected = try #require(line["lines"]?.arrayValue).compactMap(\.stringValue)
            let model = try Model(contentsOf: Paths.fixtures.appendingPathComponent("models/\(name)"))
            let report = StatisticsReport(statistics: model.info.statistics, labels: model.info.labels)
            #expect(report.lines.map { "\t" + $0 } == expected, "\(name)")
        }
    }
}
