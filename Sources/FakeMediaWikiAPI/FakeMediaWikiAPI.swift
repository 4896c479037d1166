import Foundation
import Hummingbird
import Logging
import Revscoring
import ServiceLifecycle
import Synchronization

/// A MediaWiki Action API that answers from revision documents (the corpus format), for
/// tests and benchmarks: no network, same answers every time.
///
/// It answers the two queries revscoring's API extractor makes, in `formatversion=1` shape:
/// `prop=revisions&revids=…` (unknown ids under `badrevids`) and `list=users&ususers=…`
/// (unknown names marked `missing`). A document's parent is served from its `parent_text`
/// (unless the parent is a document itself). A `null` text or `user_id` is served hidden
/// (`texthidden`/`userhidden`), as the API shows suppressed revisions; a `null` comment is
/// the empty summary, as in the corpus, and `"commenthidden": true` hides it.
public final class FakeMediaWikiAPI: Sendable {
    private let revisions: [Int: (page: JSONValue.Member, revision: JSONValue)]
    private let pages: [String: [JSONValue.Member]]
    private let users: [String: JSONValue]
    private let state = Mutex(State())
    private let faults: Faults
    private let recordsRequests: Bool

    /// Injected failures, to test clients' retries and timeouts.
    public struct Faults: Sendable {
        /// The first `failFirst` requests get HTTP 503.
        public var failFirst: Int
        /// Every answer waits this long first.
        public var delay: Duration
        /// Every query is answered `301 Moved Permanently` to the same query at this
        /// `api.php` URL (as a wiki's `http://` URL redirects to `https://`).
        public var redirect: String?

        /// No failures.
        public init(failFirst: Int = 0, delay: Duration = .zero, redirect: String? = nil) {
            self.failFirst = failFirst
            self.delay = delay
            self.redirect = redirect
        }
    }

    private struct State {
        var requests: [String] = []
        var requestCount = 0
        /// Serialized answers by query string: the answers never change, and a benchmark's
        /// fake API should spend the machine's cores on the servers it stands behind, not on
        /// building the same JSON again.
        var answers: [String: (status: Int, body: ByteBuffer)] = [:]
    }

    /// An API serving `documents` (JSON objects in the corpus format).
    ///
    /// `recordsRequests`: keep every query string for ``requests`` (tests); off for long load
    /// runs, where the log would only grow.
    public init(documents: [JSONValue], faults: Faults = Faults(), recordsRequests: Bool = true) {
        var revisions: [Int: (JSONValue.Member, JSONValue)] = [:]
        var pages: [String: [JSONValue.Member]] = [:]
        var users: [String: JSONValue] = [:]
        var parents: [Int: (JSONValue.Member, JSONValue)] = [:]
        for d in documents {
            guard let revID = d["rev_id"]?.intValue else { continue }
            let pageID = d["page_id"]?.intValue ?? 0
            let page: [JSONValue.Member] = [
                .init("pageid", .int(pageID)), .init("ns", d["namespace"] ?? .int(0)),
                .init("title", d["page_title"] ?? .string("")),
            ]
            // A page's namespace and title can differ between revisions of a history (moves):
            // each combination is its own page entry, so every revision keeps its own.
            var pageKey = "\(pageID)"
            if let known = pages[pageKey], known != page { pageKey = "\(pageID)/\(d["namespace"]?.intValue ?? 0)/\(d["page_title"]?.stringValue ?? "")" }
            pages[pageKey] = page
            let key = JSONValue.Member(pageKey, .int(pageID))
            let parentID = d["parent_id"]?.intValue ?? 0
            var rev: [JSONValue.Member] = [
                .init("revid", .int(revID)), .init("parentid", .int(parentID)),
                .init("timestamp", d["timestamp"] ?? .null),
            ]
            if let user = d["user_id"]?.intValue {
                rev += [.init("user", d["user_text"] ?? .string("")), .init("userid", .int(user))]
                if user > 0, let name = d["user_text"]?.stringValue {
                    users[name] = .object([
                        .init("userid", .int(user)), .init("name", .string(name)),
                        .init("editcount", .int(0)),
                        .init("registration", d["user_registration"] ?? .null),
                        .init("groups", d["user_groups"] ?? .array([])), .init("gender", .string("unknown")),
                    ])
                }
            } else {
                rev.append(.init("userhidden", .string("")))
            }
            if d["commenthidden"] == .bool(true) {
                rev.append(.init("commenthidden", .string("")))
            } else {
                rev.append(.init("comment", d["comment"]?.stringValue.map(JSONValue.string) ?? .string("")))
            }
            rev.append(.init("slots", .object([.init("main", Self.slot(d["text"]))])))
            revisions[revID] = (key, .object(rev))
            if parentID > 0 {
                parents[parentID] = (key, .object([
                    .init("revid", .int(parentID)), .init("parentid", .int(0)),
                    .init("timestamp", d["timestamp"] ?? .null), .init("user", .string("")), .init("userid", .int(0)),
                    .init("comment", .string("")),
                    .init("slots", .object([.init("main", Self.slot(d["parent_text"]))])),
                ]))
            }
        }
        for (id, parent) in parents where revisions[id] == nil { revisions[id] = parent }
        self.revisions = revisions.mapValues { (page: $0.0, revision: $0.1) }
        self.pages = pages
        self.users = users
        self.faults = faults
        self.recordsRequests = recordsRequests
    }

    /// Reads revision documents from a JSON-lines file.
    public convenience init(contentsOf url: URL, faults: Faults = Faults(), recordsRequests: Bool = true) throws {
        let data = try Data(contentsOf: url)
        var documents: [JSONValue] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            documents.append(try JSONValue.parse(line))
        }
        self.init(documents: documents, faults: faults, recordsRequests: recordsRequests)
    }

    private static func slot(_ text: JSONValue?) -> JSONValue {
        var members: [JSONValue.Member] = [.init("contentmodel", .string("wikitext")), .init("contentformat", .string("text/x-wiki"))]
        if case let .string(s)? = text { members.append(.init("*", .string(s))) } else { members.append(.init("texthidden", .string(""))) }
        return .object(members)
    }

    /// The query strings received so far, in order (empty unless `recordsRequests`).
    public var requests: [String] { state.withLock { $0.requests } }

    /// The answer to one query (`parameters` decoded): an HTTP status and a JSON body.
    public func answer(_ parameters: [String: String]) -> (status: Int, body: JSONValue) {
        func error(_ code: String, _ info: String) -> (Int, JSONValue) {
            (200, .object([.init("error", .object([.init("code", .string(code)), .init("info", .string(info))]))]))
        }
        guard parameters["action"] == "query", parameters["format"] == "json" else {
            return error("badvalue", "only action=query&format=json is served here")
        }
        if parameters["prop"] == "revisions", let ids = parameters["revids"] {
            var pageOrder: [String] = []
            var byPage: [String: (page: [JSONValue.Member], revisions: [JSONValue])] = [:]
            var bad: [JSONValue.Member] = []
            for part in ids.split(separator: "|") {
                guard let id = Int(part), let entry = revisions[id] else {
                    bad.append(.init(String(part), .object([.init("revid", Int(part).map(JSONValue.int) ?? .string(String(part))),
                                                             .init("missing", .string(""))])))
                    continue
                }
                let key = entry.page.key
                if byPage[key] == nil {
                    pageOrder.append(key)
                    byPage[key] = (pages[key] ?? [], [])
                }
                byPage[key]?.revisions.append(entry.revision)
            }
            var query: [JSONValue.Member] = []
            if !bad.isEmpty { query.append(.init("badrevids", .object(bad))) }
            if !pageOrder.isEmpty {
                query.append(.init("pages", .object(pageOrder.compactMap { key in
                    byPage[key].map { .init(key, .object($0.page + [.init("revisions", .array($0.revisions))])) }
                })))
            }
            return (200, .object([.init("batchcomplete", .string("")), .init("query", .object(query))]))
        }
        if parameters["list"] == "users", let names = parameters["ususers"] {
            let found = names.split(separator: "|").map { name in
                users[String(name)] ?? .object([.init("name", .string(String(name))), .init("missing", .string(""))])
            }
            return (200, .object([.init("batchcomplete", .string("")), .init("query", .object([.init("users", .array(found))]))]))
        }
        return error("badvalue", "unsupported query")
    }

    /// The routes: `GET /w/api.php`.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/w/api.php") { request, _ -> Response in
            let query = request.uri.query ?? ""
            let (failing, cached) = self.state.withLock { state in
                state.requestCount += 1
                if self.recordsRequests { state.requests.append(query) }
                return (state.requestCount <= self.faults.failFirst, state.answers[query])
            }
            if self.faults.delay > .zero { try await Task.sleep(for: self.faults.delay) }
            if failing { return Response(status: .serviceUnavailable) }
            if let redirect = self.faults.redirect {
                return Response(status: .movedPermanently, headers: [.location: redirect + "?" + query])
            }
            let answer: (status: Int, body: ByteBuffer)
            if let cached {
                answer = cached
            } else {
                var parameters: [String: String] = [:]
                for (k, v) in request.uri.queryParameters { parameters[String(k)] = String(v) }
                let (status, body) = self.answer(parameters)
                answer = (status, ByteBuffer(string: body.serialized()))
                self.state.withLock { $0.answers[query] = answer }
            }
            return Response(
                status: .init(code: answer.status), headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: answer.body))
        }
        return router
    }

    /// Serves the API on `host:port` (port 0: any free port) while `body` runs, and passes
    /// it the `api.php` URL.
    public func withServer<T: Sendable>(
        host: String = "127.0.0.1", port: Int = 0, _ body: @Sendable (String) async throws -> T
    ) async throws -> T {
        try await withLoopbackServer(router(), host: host, port: port) { base in try await body(base + "/w/api.php") }
    }
}

/// Serves `router` on `host:port` (port 0: any free port) while `body` runs, passing it the
/// base URL (`http://host:port`), then shuts the server down: test doubles of HTTP services.
public func withLoopbackServer<T: Sendable>(
    _ router: Router<BasicRequestContext>, host: String = "127.0.0.1", port: Int = 0,
    _ body: @Sendable (String) async throws -> T
) async throws -> T {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    var logger = Logger(label: "loopback-test-server")
    logger.logLevel = .critical
    let app = Application(
        router: router, configuration: .init(address: .hostname(host, port: port)),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
    let group = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let bound = await iterator.next() ?? port
        do {
            let value = try await body("http://\(host):\(bound)")
            await group.triggerGracefulShutdown()
            return value
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
    }
}
