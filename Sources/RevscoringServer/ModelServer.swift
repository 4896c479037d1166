import Foundation
import Hummingbird
import Logging
import NIOCore
import Revscoring

/// A model as the server serves it: Lift Wing's inference-service name (`enwiki-goodfaith`),
/// the scorer, and its inference batcher.
public struct ServedModel: Sendable {
    /// `{wiki}-{model}`, the name in the routes.
    public let name: String
    /// The wiki's database name (`enwiki`).
    public let wiki: String
    /// The model's name in responses (`goodfaith`).
    public let modelName: String
    /// Features and model.
    public let scorer: Scorer
    /// Feature rows of concurrent requests, scored together.
    public let batcher: ScoringBatcher
    /// When set, rows are scored by this other server instead (the transformer/predictor
    /// split): this server only fetches and extracts.
    public let predictor: RemotePredictor?

    /// Serves `scorer` as `{wiki}-{scorer.name}`; batches are recorded in `metrics`.
    ///
    /// Batching is off by default (`maxBatchSize` 1: each request is scored at once), as a
    /// KServe InferenceService has no batcher unless it asks for one: with KServe's batcher
    /// defaults (32 instances / 500 ms) a lone request waits the whole 500 ms.
    public init(wiki: String, scorer: Scorer, maxBatchSize: Int = 1, maxLatency: Duration = .milliseconds(500),
                metrics: ServerMetrics? = nil, predictorHost: String? = nil) {
        let name = "\(wiki)-\(scorer.name)"
        self.name = name
        self.wiki = wiki
        self.modelName = scorer.name
        self.scorer = scorer
        self.batcher = ScoringBatcher(model: scorer.model, maxBatchSize: maxBatchSize, maxLatency: maxLatency) { rows, elapsed in
            metrics?.recordBatch(model: name, rows: rows, elapsed: elapsed)
        }
        self.predictor = predictorHost.map { RemotePredictor(host: $0, name: name, labels: scorer.model.labels) }
    }
}

/// The model server's routes: KServe's V1 and V2 protocols with Lift Wing's request and
/// response shapes. Stateless between requests (scores are never kept on a shared object, the
/// race Lift Wing's server has); everything per request is local to its task.
public struct ModelServer: Sendable {
    /// The models, by name.
    public let models: [String: ServedModel]
    /// Where revisions come from, per wiki (`nil`: rev_id requests are refused with 400).
    public let extractors: [String: APIExtractor]
    /// The largest request body accepted (413 above).
    public let maxBodyBytes: Int
    /// Request timings and counts, rendered at `GET /metrics`.
    public let metrics: ServerMetrics
    /// Where revision-score events go, with their stream name (`nil`: no events, the default).
    public let events: (sink: EventGateSink, stream: String)?

    /// A server of `models`, fetching revisions of each wiki with `extractors[wiki]`.
    public init(models: [ServedModel], extractors: [String: APIExtractor], maxBodyBytes: Int = 10 << 20,
                metrics: ServerMetrics = ServerMetrics(), events: (sink: EventGateSink, stream: String)? = nil) {
        self.events = events
        self.models = Dictionary(models.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.extractors = extractors
        self.maxBodyBytes = maxBodyBytes
        self.metrics = metrics
    }

    /// The routes.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())
        router.get("/") { _, _ in Self.json(.object([.init("status", .string("alive"))])) }
        router.get("/v1/models") { _, _ in
            Self.json(.object([.init("models", .array(self.models.keys.sorted().map(JSONValue.string)))]))
        }
        router.get("/v1/models/{name}") { _, context in
            await self.answer { () throws(ServerError) in
                let model = try self.model(context.parameters.get("name"))
                return .object([.init("name", .string(model.name)), .init("ready", .bool(true))])
            }
        }
        router.post("/v1/models/{name}:predict") { request, context in
            await self.scoringRoute(request, context) { model, body throws(ServerError) in try await self.predictV1(model, body: body) }
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: self.metrics.render())))
        }
        router.get("/v2/health/live") { _, _ in Self.json(.object([.init("live", .bool(true))])) }
        router.get("/v2/health/ready") { _, _ in Self.json(.object([.init("ready", .bool(true))])) }
        router.get("/v2/models/{name}") { _, context in
            await self.answer { () throws(ServerError) in self.metadataV2(try self.model(context.parameters.get("name"))) }
        }
        router.get("/v2/models/{name}/ready") { _, context in
            await self.answer { () throws(ServerError) in
                let model = try self.model(context.parameters.get("name"))
                return .object([.init("name", .string(model.name)), .init("ready", .bool(true))])
            }
        }
        router.post("/v2/models/{name}/infer") { request, context in
            await self.scoringRoute(request, context) { model, body throws(ServerError) in try await self.inferV2(model, body: body) }
        }
        return router
    }

    // MARK: - V1

    /// `POST /v1/models/{name}:predict`: a Lift Wing request (`rev_id`), or KServe's
    /// `{"instances": [...]}` of rev_id requests and feature vectors.
    func predictV1(_ model: ServedModel, body: JSONValue) async throws(ServerError) -> JSONValue {
        guard let instances = body["instances"] else {
            return try await scoreRevision(model, LiftWingRequest(json: body))
        }
        guard let list = instances.arrayValue else { throw .badRequest(#"Expected "instances" to be a list."#) }
        var predictions = [JSONValue](repeating: .null, count: list.count)
        var rows: [(index: Int, values: [Double])] = []
        for (i, instance) in list.enumerated() {
            if case .array = instance {
                do {
                    rows.append((i, try instance.featureValues()))
                } catch {
                    throw .badRequest("instances[\(i)]: \(error)")
                }
            } else {
                predictions[i] = try await scoreRevision(model, LiftWingRequest(json: instance))
            }
        }
        if !rows.isEmpty {
            let scores = try await batched(model, rows.map(\.values))
            for (row, result) in zip(rows, scores) {
                switch result {
                case let .success(score): predictions[row.index] = score.json
                case let .failure(error): throw .badRequest("instances[\(row.index)]: \(error)")
                }
            }
        }
        return .object([.init("predictions", .array(predictions))])
    }

    /// Fetches, extracts and scores one revision: Lift Wing's response.
    func scoreRevision(_ model: ServedModel, _ request: LiftWingRequest) async throws(ServerError) -> JSONValue {
        guard let extractor = extractors[model.wiki] else {
            throw ServerError(status: 400, "This server has no MediaWiki API for \(model.wiki): send feature vectors as instances")
        }
        let clock = ContinuousClock()
        let started = clock.now
        let fetched: Result<RevisionData, ExtractionError>
        do {
            fetched = try await extractor.revisionData(for: request.revID)
        } catch {
            throw ServerError(error)
        }
        RequestTiming.current?.addMediaWiki(clock.now - started)
        let data: RevisionData
        switch fetched {
        case let .success(d): data = d
        case let .failure(e): throw ServerError(.extraction(e), revID: request.revID)
        }
        // Extraction is CPU work of a few milliseconds: it runs on this request's task.
        let context = RevisionContext(data)
        let values: [Double]
        do {
            values = try model.scorer.features.values(in: context).map(\.doubleValue)
        } catch {
            throw ServerError(.feature(error), revID: request.revID)
        }
        let extracted = clock.now
        metrics.preprocess(model.name).record(extracted - started)
        let score: Score
        switch try await batched(model, [values])[0] {
        case let .success(s): score = s
        case let .failure(e): throw ServerError(.estimator(e), revID: request.revID)
        }
        let scored = clock.now
        metrics.predict(model.name).record(scored - extracted)
        defer { metrics.postprocess(model.name).record(clock.now - scored) }
        var result = ScoreResult(score: score, features: nil)
        if request.extendedOutput {
            do {
                result.features = try model.scorer.trimmedValues(in: context)
            } catch {
                throw ServerError(.feature(error), revID: request.revID)
            }
        }
        if let event = request.event, let events {
            // Lift Wing fails the request when the event cannot be built; the score is good,
            // so here the event is counted as invalid and the answer still goes out.
            do {
                events.sink.send(try RevisionScoreEvent.make(
                    source: event, stream: events.stream, model: model.modelName,
                    version: model.scorer.model.info.version, score: score))
            } catch {
                metrics.recordEvent("invalid")
            }
        }
        var response = LiftWingResponse(wiki: model.wiki)
        response.addModel(model.modelName, version: model.scorer.model.info.version)
        response.add(revID: request.revID, model: model.modelName, .success(result))
        return response.json
    }

    /// Rows through the model's batcher, or to its remote predictor.
    func batched(_ model: ServedModel, _ rows: [[Double]]) async throws(ServerError) -> [Result<Score, EstimatorError>] {
        if let predictor = model.predictor { return try await predictor.score(rows).map { .success($0) } }
        do {
            return try await model.batcher.score(rows)
        } catch {
            throw ServerError(status: 500, "scoring failed: \(error)")
        }
    }

    // MARK: - V2

    func metadataV2(_ model: ServedModel) -> JSONValue {
        let info = model.scorer.model.info
        return .object([
            .init("name", .string(model.name)),
            .init("versions", .array(info.version.map { [.string($0)] } ?? [])),
            .init("platform", .string("revscoring-swift")),
            .init("inputs", .array([Self.tensorSpec("input-0", columns: model.scorer.model.featureNames.count)])),
            .init("outputs", .array([Self.tensorSpec("probabilities", columns: model.scorer.model.labels.count)])),
        ])
    }

    static func tensorSpec(_ name: String, columns: Int) -> JSONValue {
        .object([.init("name", .string(name)), .init("datatype", .string("FP64")), .init("shape", .array([.int(-1), .int(columns)]))])
    }

    /// `POST /v2/models/{name}/infer`: one FP64 tensor of feature rows `[N, features]` in,
    /// probabilities `[N, labels]` (in `classes_` order) out.
    func inferV2(_ model: ServedModel, body: JSONValue) async throws(ServerError) -> JSONValue {
        guard let inputs = body["inputs"]?.arrayValue, inputs.count == 1, let input = inputs.first else {
            throw .badRequest(#"Expected "inputs": a list with one tensor of feature rows."#)
        }
        let columns = model.scorer.model.featureNames.count
        guard let shape = input["shape"]?.arrayValue?.compactMap(\.intValue), shape.count == 2, shape[0] >= 0 else {
            throw .badRequest("Expected the input tensor's shape to be [rows, \(columns)].")
        }
        guard shape[1] == columns else {
            throw .badRequest("Expected \(columns) features per row, the input tensor's shape is [\(shape[0]), \(shape[1])].")
        }
        guard let datatype = input["datatype"]?.stringValue, ["FP64", "FP32", "INT64", "INT32", "BOOL"].contains(datatype) else {
            throw .badRequest("Expected the input tensor's datatype to be FP64 (or FP32, INT64, INT32, BOOL).")
        }
        var flat: [Double] = []
        guard let data = input["data"], Self.flatten(data, into: &flat), flat.count == shape[0] * columns else {
            throw .badRequest("Expected \(shape[0] * columns) numbers in the input tensor's data for shape [\(shape[0]), \(columns)].")
        }
        let rows = (0..<shape[0]).map { Array(flat[($0 * columns)..<(($0 + 1) * columns)]) }
        var probabilities: [JSONValue] = []
        for (i, result) in try await batched(model, rows).enumerated() {
            switch result {
            case let .success(score): probabilities += score.probability.map { .double($0.value) }
            case let .failure(error): throw .badRequest("row \(i): \(error)")
            }
        }
        var members: [JSONValue.Member] = [
            .init("model_name", .string(model.name)),
            .init("model_version", model.scorer.model.info.version.map(JSONValue.string) ?? .null),
        ]
        if let id = body["id"] { members.append(.init("id", id)) }
        members.append(.init("outputs", .array([.object([
            .init("name", .string("probabilities")), .init("shape", .array([.int(shape[0]), .int(model.scorer.model.labels.count)])),
            .init("datatype", .string("FP64")), .init("data", .array(probabilities)),
        ])])))
        return .object(members)
    }

    /// Row-major numbers of a flat or nested tensor; false when something is not a number.
    static func flatten(_ value: JSONValue, into out: inout [Double]) -> Bool {
        switch value {
        case let .array(items):
            for item in items where !flatten(item, into: &out) { return false }
            return true
        case let .bool(b): out.append(b ? 1 : 0); return true
        default:
            guard let d = value.doubleValue else { return false }
            out.append(d)
            return true
        }
    }

    // MARK: - Plumbing

    /// A route that scores: resolves the model, reads the body, runs `work`, then counts and
    /// logs the answer, with a `Server-Timing` header (``RequestTiming``).
    func scoringRoute(_ request: Request, _ context: BasicRequestContext,
                      _ work: (ServedModel, JSONValue) async throws(ServerError) -> JSONValue) async -> Response {
        let name = context.parameters.get("name")
        let started = ContinuousClock.now
        let timing = RequestTiming()
        var response = await RequestTiming.$current.withValue(timing) {
            await onCurrentEventLoop {
                await answer { () async throws(ServerError) in
                    let model = try self.model(name)
                    return try await work(model, try await self.body(request))
                }
            }
        }
        response.headers[.init("Server-Timing")!] = RequestTiming.header(
            total: ContinuousClock.now - started, mediaWiki: timing.mediaWikiTime)
        finished(name, response, since: started, logger: context.logger)
        return response
    }

    /// Counts a model route's answer and logs it, structured: model, status, milliseconds
    /// (and Hummingbird's request id, from the request's logger). Errors log at warning level.
    func finished(_ name: String?, _ response: Response, since started: ContinuousClock.Instant, logger: Logger) {
        let status = Int(response.status.code)
        guard let name, models[name] != nil else { return }
        metrics.recordResponse(model: name, status: status)
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
        let metadata: Logger.Metadata = ["model_name": "\(name)", "status": "\(status)", "elapsed_ms": "\(ms)"]
        if status >= 400 {
            logger.warning("request answered with an error", metadata: metadata)
        } else {
            logger.info("request scored", metadata: metadata)
        }
    }

    func model(_ name: String?) throws(ServerError) -> ServedModel {
        guard let name, let model = models[name] else { throw .unknownModel(name ?? "") }
        return model
    }

    /// The request body as JSON: 413 above ``maxBodyBytes``, 400 when it is not JSON.
    func body(_ request: Request) async throws(ServerError) -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw ServerError(status: 413, "The request body is larger than \(maxBodyBytes) bytes.")
        } catch {
            throw ServerError(status: 400, "The request body could not be read: \(error)")
        }
        do {
            return try JSONValue.parse(buffer.readableBytesView)
        } catch {
            throw .badRequest("Please verify that request input is a json dict (\(error))")
        }
    }

    /// Runs a route's work; a `ServerError` becomes its status and `{"error": ...}`.
    func answer(_ work: () async throws(ServerError) -> JSONValue) async -> Response {
        do {
            return Self.json(try await work())
        } catch {
            return Self.json(error.json, status: error.status)
        }
    }

    static func json(_ value: JSONValue, status: Int = 200) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: value.serialized())))
    }
}

/// Errors the router itself raises (no such route, wrong method) answered as every other
/// error is: a status and `{"error": ...}`, never an empty body.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound ? "No route for \(request.method) \(request.uri.path)." : error.status.reasonPhrase)
            return ModelServer.json(.object([.init("error", .string(message))]), status: error.status.code)
        }
    }
}
