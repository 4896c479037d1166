import FakeMediaWikiAPI
import Foundation
import Synchronization
import Hummingbird
import HummingbirdTesting
import Revscoring
import RevscoringServer
import Testing

enum ServerPaths {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let smallModel = fixtures.appendingPathComponent("models/enwiki.goodfaith.gradient_boosting.small.model")
}

/// The fixture documents.
func fixtureDocuments() throws -> [JSONValue] {
    let data = try Data(contentsOf: ServerPaths.fixtures.appendingPathComponent("sample-revisions.jsonl"))
    return try data.split(separator: 0x0A).filter { !$0.isEmpty }.map { try JSONValue.parse($0) }
}

/// A server of the small fixture model as `enwiki-goodfaith`, fetching from `api` (if any),
/// with a short batch latency so tests do not wait.
func makeServer(api: String?, maxBodyBytes: Int = 1 << 20) throws -> ModelServer {
    let scorer = try Scorer(name: "goodfaith", model: try Model(contentsOf: ServerPaths.smallModel))
    let extractors = api.map { ["enwiki": APIExtractor(client: MediaWikiAPIClient(configuration: .init(
        endpoint: $0, timeout: .seconds(5), maxAttempts: 1)))] } ?? [:]
    return ModelServer(models: [ServedModel(wiki: "enwiki", scorer: scorer, maxLatency: .milliseconds(5))],
                       extractors: extractors, maxBodyBytes: maxBodyBytes)
}

/// Sends one request to the server's router in process; returns status and parsed body.
func call(_ server: ModelServer, _ method: HTTPRequest.Method, _ uri: String, body: String? = nil) async throws -> (Int, JSONValue) {
    let app = Application(router: server.router())
    return try await app.test(.router) { client in
        try await client.execute(uri: uri, method: method, body: body.map { ByteBuffer(string: $0) }) { response in
            (response.status.code, try JSONValue.parse(response.body.readableBytesView))
        }
    }
}

@Suite("model server routes (KServe V1/V2, Lift Wing shapes)")
struct RouteTests {
    @Test("health, model lists and readiness")
    func health() async throws {
        let server = try makeServer(api: nil)
        #expect(try await call(server, .get, "/") == (200, .object([.init("status", .string("alive"))])))
        #expect(try await call(server, .get, "/v1/models") == (200, .object([.init("models", .array([.string("enwiki-goodfaith")]))])))
        #expect(try await call(server, .get, "/v1/models/enwiki-goodfaith").1["ready"] == .bool(true))
        #expect(try await call(server, .get, "/v2/health/live") == (200, .object([.init("live", .bool(true))])))
        #expect(try await call(server, .get, "/v2/health/ready") == (200, .object([.init("ready", .bool(true))])))
        #expect(try await call(server, .get, "/v2/models/enwiki-goodfaith/ready").1["ready"] == .bool(true))
        let metadata = try await call(server, .get, "/v2/models/enwiki-goodfaith")
        #expect(metadata.0 == 200 && metadata.1["inputs"]?.arrayValue?.first?["shape"] == .array([.int(-1), .int(80)]))
        let unknown = try await call(server, .get, "/v1/models/enwiki-damaging")
        #expect(unknown == (404, .object([.init("error", .string("Model with name enwiki-damaging does not exist."))])))
        #expect(try await call(server, .get, "/v2/models/nope").0 == 404)
        #expect(try await call(server, .post, "/v1/models/nope:predict", body: #"{"rev_id": 1}"#).0 == 404)
        let noRoute = try await call(server, .get, "/v3/whatever")
        #expect(noRoute.0 == 404 && noRoute.1["error"] != nil)
    }

    @Test("a rev_id request gives Lift Wing's response, equal to offline scoring; extended_output adds features")
    func liftWingPredict() async throws {
        let docs = try fixtureDocuments()
        let api = FakeMediaWikiAPI(documents: docs)
        let model = try Model(contentsOf: ServerPaths.smallModel)
        let features = try FeatureList(name: "goodfaith", featureNames: model.featureNames)
        try await api.withServer { url in
            let server = try makeServer(api: url)
            for doc in docs {
                let document = try RevisionDocument(json: doc)
                let offline = try model.score(try features.values(for: try document.revisionData()))
                let (status, body) = try await call(server, .post, "/v1/models/enwiki-goodfaith:predict",
                                                    body: #"{"rev_id": \#(document.revID)}"#)
                #expect(status == 200)
                #expect(body["enwiki"]?["models"]?["goodfaith"]?["version"] == model.info.version.map(JSONValue.string))
                #expect(body["enwiki"]?["scores"]?["\(document.revID)"]?["goodfaith"]?["score"] == offline.json)
                #expect(body["enwiki"]?["scores"]?["\(document.revID)"]?["goodfaith"]?["features"] == nil)
            }
            let extended = try await call(server, .post, "/v1/models/enwiki-goodfaith:predict",
                                          body: #"{"rev_id": 9000001, "extended_output": true}"#)
            let values = extended.1["enwiki"]?["scores"]?["9000001"]?["goodfaith"]?["features"]?.members
            #expect(values?.count == 78)
            #expect(values?.first?.key == "feature.revision.page.is_articleish")
            // A revision-create event's rev_id wins over the body's.
            let event = try await call(server, .post, "/v1/models/enwiki-goodfaith:predict", body: """
                {"rev_id": 1, "event": {"$schema": "/mediawiki/revision/create/2.0.0", "rev_id": 9000002}}
                """)
            #expect(event.0 == 200 && event.1["enwiki"]?["scores"]?["9000002"] != nil)
            let pageChange = try await call(server, .post, "/v1/models/enwiki-goodfaith:predict", body: """
                {"event": {"$schema": "/mediawiki/page/change/1.1.0", "revision": {"rev_id": 9000003}}}
                """)
            #expect(pageChange.0 == 200 && pageChange.1["enwiki"]?["scores"]?["9000003"] != nil)
        }
    }

    @Test("Server-Timing: the MediaWiki API's part of a rev_id request within its total; none for feature rows")
    func serverTiming() async throws {
        let docs = try fixtureDocuments()
        let api = FakeMediaWikiAPI(documents: docs)
        try await api.withServer { url in
            let app = Application(router: try makeServer(api: url).router())
            try await app.test(.router) { client in
                /// (mwapi, total) in milliseconds, from `mwapi;dur=0.412, total;dur=0.603`.
                func timing(_ body: String) async throws -> (Double, Double)? {
                    try await client.execute(uri: "/v1/models/enwiki-goodfaith:predict", method: .post,
                                             body: ByteBuffer(string: body)) { response in
                        #expect(response.status.code == 200)
                        guard let value = response.headers[.init("Server-Timing")!] else { return nil }
                        let parts = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                        guard parts.count == 2, parts[0].hasPrefix("mwapi;dur="), parts[1].hasPrefix("total;dur="),
                              let mwapi = Double(parts[0].dropFirst(10)), let total = Double(parts[1].dropFirst(10))
                        else { return (-1, -1) }
                        return (mwapi, total)
                    }
                }
                let revision = try #require(try await timing(#"{"rev_id": 9000001}"#))
                #expect(revision.0 > 0 && revision.0 <= revision.1, "mwapi \(revision.0) ms of total \(revision.1) ms")
                let rows = Array(repeating: "0", count: 80).joined(separator: ",")
                let features = try #require(try await timing(#"{"instances": [[\#(rows)]]}"#))
                #expect(features.0 == 0 && features.1 > 0, "mwapi \(features.0) ms of total \(features.1) ms")
            }
        }
    }

    @Test("/metrics: KServe's request timings, batch sizes, MediaWiki API calls, answers by status")
    func metrics() async throws {
        let docs = try fixtureDocuments()
        let api = FakeMediaWikiAPI(documents: docs)
        try await api.withServer { url in
            let metrics = ServerMetrics()
            let scorer = try Scorer(name: "goodfaith", model: try Model(contentsOf: ServerPaths.smallModel))
            var configuration = MediaWikiAPIClient.Configuration(endpoint: url, maxAttempts: 1)
            configuration.observer = { elapsed, error in metrics.recordAPICall(elapsed: elapsed, error: error) }
            let server = ModelServer(
                models: [ServedModel(wiki: "enwiki", scorer: scorer, maxLatency: .milliseconds(5), metrics: metrics)],
                extractors: ["enwiki": APIExtractor(client: MediaWikiAPIClient(configuration: configuration))], metrics: metrics)
            #expect(try await call(server, .post, "/v1/models/enwiki-goodfaith:predict", body: #"{"rev_id": 9000001}"#).0 == 200)
            #expect(try await call(server, .post, "/v1/models/enwiki-goodfaith:predict", body: #"{"rev_id": "x"}"#).0 == 400)
            let app = Application(router: server.router())
            let text = try await app.test(.router) { client in
                try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            }
            for needle in [
                #"request_preprocess_seconds_count{model_name="enwiki-goodfaith"} 1"#,
                #"request_predict_seconds_count{model_name="enwiki-goodfaith"} 1"#,
                #"request_postprocess_seconds_count{model_name="enwiki-goodfaith"} 1"#,
                #"inference_batch_size_instances_count{model_name="enwiki-goodfaith"} 1"#,
                #"mwapi_request_seconds_count{outcome="ok"} 3"#,
                #"revscoring_responses_total{model_name="enwiki-goodfaith",status="200"} 1"#,
                #"revscoring_responses_total{model_name="enwiki-goodfaith",status="400"} 1"#,
            ] {
                #expect(text.contains(needle), "\(needle)\n\(text)")
            }
        }
    }

    @Test("a request with an event sends Lift Wing's revision-score event to EventGate; without one, none")
    func events() async throws {
        let received = Mutex<[JSONValue]>([])
        let eventGate = Router()
        eventGate.post("/v1/events") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let json = try JSONValue.parse(body.readableBytesView)
            received.withLock { $0.append(json) }
            return Response(status: .created)
        }
        let api = FakeMediaWikiAPI(documents: try fixtureDocuments())
        try await withLoopbackServer(eventGate) { eventGateURL in
            try await api.withServer { url in
                let sink = EventGateSink(url: eventGateURL + "/v1/events")
                let scorer = try Scorer(name: "goodfaith", model: try Model(contentsOf: ServerPaths.smallModel))
                let server = ModelServer(
                    models: [ServedModel(wiki: "enwiki", scorer: scorer, maxLatency: .milliseconds(5))],
                    extractors: ["enwiki": APIExtractor(client: MediaWikiAPIClient(configuration: .init(endpoint: url)))],
                    events: (sink, "mediawiki.revision-score-test"))
                let source = #"{"$schema": "/mediawiki/revision/create/1.1.0", "meta": {"request_id": "abc", "domain": "en.wikipedia.org", "dt": "x"}, "database": "enwiki", "page_id": 901, "page_title": "Lake_Ottersee", "page_namespace": 0, "page_is_redirect": false, "rev_id": 9000002, "rev_parent_id": 8900001, "rev_timestamp": "2016-05-02T10:20:00Z", "performer": {"user_text": "Limnologist"}}"#
                let (status, body) = try await call(server, .post, "/v1/models/enwiki-goodfaith:predict", body: #"{"event": \#(source)}"#)
                #expect(status == 200)
                #expect(try await call(server, .post, "/v1/models/enwiki-goodfaith:predict", body: #"{"rev_id": 9000003}"#).0 == 200)
                await sink.drain()
                let events = received.withLock { $0 }
                #expect(events.count == 1)
                let event = try #require(events.first)
                #expect(event["$schema"] == .string("/mediawiki/revision/score/3.0.0"))
                #expect(event["meta"]?["stream"] == .string("mediawiki.revision-score-test"))
                #expect(event["meta"]?["request_id"] == .string("abc") && event["meta"]?["domain"] == .string("en.wikipedia.org"))
                #expect(event["meta"]?["id"]?.stringValue?.count == 36)
                #expect(event["dt"] == .string("2016-05-02T10:20:00Z") && event["rev_id"] == .int(9000002))
                #expect(event["rev_parent_id"] == .int(8900001) && event["performer"]?["user_text"] == .string("Limnologist"))
                let score = body["enwiki"]?["scores"]?["9000002"]?["goodfaith"]?["score"]
                let expectedPrediction: JSONValue = score?["prediction"] == .bool(true) ? .array([.string("true")]) : .array([.string("false")])
                #expect(event["scores"]?["goodfaith"]?["prediction"] == expectedPrediction)
                #expect(event["scores"]?["goodfaith"]?["probability"] == score?["probability"])
                #expect(event["scores"]?["goodfaith"]?["model_version"] == .string("0.1.0-fixture"))
            }
        }
    }

    @Test("page/change events: rev_parent_id is read from revision (Lift Wing's flaw fixed)")
    func pageChangeEvent() throws {
        let source = try JSONValue.parse(#"{"$schema": "/mediawiki/page/change/1.1.0", "dt": "2024-01-01T00:00:00Z", "wiki_id": "enwiki", "page": {"page_id": 1, "page_title": "A", "namespace_id": 0, "is_redirect": false}, "revision": {"rev_id": 10, "rev_parent_id": 9, "rev_dt": "2024-01-01T00:00:00Z"}, "performer": {"user_text": "X", "groups": ["*"], "is_bot": false}}"#)
        let score = Score(prediction: .bool(false), probability: [(.bool(false), 0.75), (.bool(true), 0.25)])
        let event = try RevisionScoreEvent.make(source: source, stream: "s", model: "damaging", version: "1", score: score, id: "fixed")
        #expect(event["rev_parent_id"] == .int(9) && event["database"] == .string("enwiki"))
        #expect(event["performer"] == .object([.init("user_text", .string("X")), .init("user_groups", .array([.string("*")])),
                                               .init("user_is_bot", .bool(false))]))
        #expect(event["scores"]?["damaging"]?["prediction"] == .array([.string("false")]))
        var incomplete = source
        if case var .object(m) = incomplete { m.removeAll { $0.key == "page" }; incomplete = .object(m) }
        #expect(throws: RevisionScoreEvent.BuildError.self) {
            try RevisionScoreEvent.make(source: incomplete, stream: "s", model: "damaging", version: "1", score: score)
        }
    }

    @Test("instances: feature vectors and rev_id requests in one KServe V1 request")
    func instances() async throws {
        let docs = try fixtureDocuments()
        let api = FakeMediaWikiAPI(documents: docs)
        let model = try Model(contentsOf: ServerPaths.smallModel)
        let rows = try String(contentsOf: ServerPaths.fixtures.appendingPathComponent("sample-features.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONValue.parse(String($0)) }
        let vectors = rows.compactMap { $0["features"] }
        try await api.withServer { url in
            let server = try makeServer(api: url)
            let body = JSONValue.object([.init("instances", .array(vectors + [.object([.init("rev_id", .int(9000004))])]))])
            let (status, json) = try await call(server, .post, "/v1/models/enwiki-goodfaith:predict", body: body.serialized())
            #expect(status == 200)
            let predictions = try #require(json["predictions"]?.arrayValue)
            #expect(predictions.count == vectors.count + 1)
            for (vector, prediction) in zip(vectors, predictions) {
                #expect(prediction == (try model.score(try vector.featureValues())).json)
            }
            #expect(predictions.last?["enwiki"]?["scores"]?["9000004"] != nil)
        }
    }

    @Test("V2 infer: an FP64 tensor of rows in, probabilities out; wrong shapes are 400")
    func inferV2() async throws {
        let server = try makeServer(api: nil)
        let model = try Model(contentsOf: ServerPaths.smallModel)
        let rows = try String(contentsOf: ServerPaths.fixtures.appendingPathComponent("sample-features.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONValue.parse(String($0)).featureValues() }
        let data = JSONValue.array(rows.map { .array($0.map(JSONValue.double)) })
        let request = JSONValue.object([.init("id", .string("r1")), .init("inputs", .array([.object([
            .init("name", .string("input-0")), .init("shape", .array([.int(rows.count), .int(80)])),
            .init("datatype", .string("FP64")), .init("data", data),
        ])]))])
        let (status, json) = try await call(server, .post, "/v2/models/enwiki-goodfaith/infer", body: request.serialized())
        #expect(status == 200)
        #expect(json["id"] == .string("r1"))
        let output = try #require(json["outputs"]?.arrayValue?.first)
        #expect(output["shape"] == .array([.int(rows.count), .int(2)]))
        let expected = try rows.flatMap { try model.score($0).probability.map { JSONValue.double($0.value) } }
        #expect(output["data"] == .array(expected))
        let wrongShape = request.serialized().replacingOccurrences(of: "[\(rows.count),80]", with: "[\(rows.count),79]")
        #expect(try await call(server, .post, "/v2/models/enwiki-goodfaith/infer", body: wrongShape).0 == 400)
        let wrongCount = #"{"inputs": [{"name": "x", "shape": [2, 80], "datatype": "FP64", "data": [1, 2, 3]}]}"#
        #expect(try await call(server, .post, "/v2/models/enwiki-goodfaith/infer", body: wrongCount).0 == 400)
    }

    @Test("bad requests get 400/413 with Lift Wing's messages; an API outage is 503, a slow API 504")
    func errors() async throws {
        let api = FakeMediaWikiAPI(documents: try fixtureDocuments())
        try await api.withServer { url in
            let server = try makeServer(api: url, maxBodyBytes: 4096)
            let predict = "/v1/models/enwiki-goodfaith:predict"
            func message(_ body: String) async throws -> (Int, String?) {
                let (status, json) = try await call(server, .post, predict, body: body)
                return (status, json["error"]?.stringValue)
            }
            #expect(try await message("[1, 2]") == (400, "Please verify that request input is a json dict"))
            #expect(try await message("{}") == (400, #"Expected "rev_id" in input data."#))
            #expect(try await message(#"{"rev_id": "123"}"#) == (400, #"Expected "rev_id" to be an integer."#))
            #expect(try await message(#"{"rev_id": 1.5}"#) == (400, #"Expected "rev_id" to be an integer."#))
            #expect(try await message(#"{"event": {"$schema": "/x/1.0.0"}}"#).1?.contains("Unsupported event of schema /x/1.0.0") == true)
            #expect(try await message("{not json").0 == 400)
            let missing = try await message(#"{"rev_id": 123}"#)
            #expect(missing.0 == 400 && missing.1?.hasPrefix("The MW API does not have any info related to the rev-id provided as input (123)") == true)
            #expect(try await message(String(repeating: " ", count: 5000) + "{}").0 == 413)
        }
        let slow = FakeMediaWikiAPI(documents: try fixtureDocuments(), faults: .init(delay: .seconds(2)))
        try await slow.withServer { url in
            let scorer = try Scorer(name: "goodfaith", model: try Model(contentsOf: ServerPaths.smallModel))
            let client = MediaWikiAPIClient(configuration: .init(endpoint: url, timeout: .milliseconds(200), maxAttempts: 1))
            let server = ModelServer(models: [ServedModel(wiki: "enwiki", scorer: scorer)], extractors: ["enwiki": APIExtractor(client: client)])
            #expect(try await call(server, .post, "/v1/models/enwiki-goodfaith:predict", body: #"{"rev_id": 9000001}"#).0 == 504)
        }
        let down = try makeServer(api: "http://127.0.0.1:9/w/api.php")
        let (status, json) = try await call(down, .post, "/v1/models/enwiki-goodfaith:predict", body: #"{"rev_id": 1}"#)
        #expect(status == 503 && json["error"] != nil)
    }
}
