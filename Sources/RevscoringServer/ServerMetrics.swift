import Prometheus
import Revscoring
import NIOConcurrencyHelpers

/// The server's Prometheus metrics, under KServe's names where KServe has one
/// (`request_preprocess_seconds`, `request_predict_seconds`, `request_postprocess_seconds`,
/// labelled `model_name`), plus the batcher's batch sizes, the MediaWiki API's latency and
/// errors, and answers by status.
///
/// One registry per server (not swift-metrics' global bootstrap), so that several servers or
/// tests in one process do not share counts.
public final class ServerMetrics: Sendable {
    /// The registry `GET /metrics` renders.
    public let registry = PrometheusCollectorRegistry()

    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]
    static let batchBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]

    /// The metrics of each model, made once: the registry looks a metric up by building its
    /// name and labels and taking a lock, which cost ~5% of a small request's CPU when it ran
    /// nine times per request.
    private let models = NIOLockedValueBox<[String: ModelMetrics]>([:])
    /// `mwapi_request_seconds{outcome="ok"}`, the one API metric every call records.
    private let apiCallsOK: DurationHistogram

    public init() {
        apiCallsOK = Self.apiCallHistogram(registry, outcome: "ok")
    }

    /// The metrics of one model, labelled `model_name`.
    struct ModelMetrics: Sendable {
        let preprocess: DurationHistogram
        let predict: DurationHistogram
        let postprocess: DurationHistogram
        let batchSize: ValueHistogram
        let batchScore: DurationHistogram
        /// `revscoring_responses_total` with status 200; other statuses are looked up.
        let ok: Counter

        init(_ registry: PrometheusCollectorRegistry, model: String) {
            func histogram(_ name: String, _ help: String) -> DurationHistogram {
                registry.makeDurationHistogram(
                    descriptor: MetricNameDescriptor(metricName: name, unitName: "seconds", helpText: help),
                    labels: [("model_name", model)], buckets: ServerMetrics.latencyBuckets)
            }
            preprocess = histogram("request_preprocess", "Time to fetch a revision and extract its features")
            predict = histogram("request_predict", "Time to score a request, waiting for its batch included")
            postprocess = histogram("request_postprocess", "Time to build a response")
            batchSize = registry.makeValueHistogram(
                descriptor: MetricNameDescriptor(metricName: "inference_batch_size", unitName: "instances",
                                                 helpText: "Instances per batch sent by the inference batcher"),
                labels: [("model_name", model)], buckets: ServerMetrics.batchBuckets)
            batchScore = histogram("inference_batch_score", "Time to score one batch")
            ok = ServerMetrics.responseCounter(registry, model: model, status: 200)
        }
    }

    func model(_ name: String) -> ModelMetrics {
        models.withLockedValue { models in
            if let metrics = models[name] { return metrics }
            let metrics = ModelMetrics(registry, model: name)
            models[name] = metrics
            return metrics
        }
    }

    /// Fetch and feature extraction of one request (KServe's preprocess step).
    public func preprocess(_ model: String) -> DurationHistogram { self.model(model).preprocess }

    /// Scoring of one request, batch wait included (KServe's predict step).
    public func predict(_ model: String) -> DurationHistogram { self.model(model).predict }

    /// Building one response (KServe's postprocess step).
    public func postprocess(_ model: String) -> DurationHistogram { self.model(model).postprocess }

    /// Records one batch of the inference batcher.
    public func recordBatch(model: String, rows: Int, elapsed: Duration) {
        let metrics = self.model(model)
        metrics.batchSize.record(Double(rows))
        metrics.batchScore.record(elapsed)
    }

    private static func apiCallHistogram(_ registry: PrometheusCollectorRegistry, outcome: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "mwapi_request", unitName: "seconds",
                                             helpText: "MediaWiki Action API call latency"),
            labels: [("outcome", outcome)], buckets: latencyBuckets)
    }

    /// Records one MediaWiki API call.
    public func recordAPICall(elapsed: Duration, error: MediaWikiAPIError?) {
        guard let error else {
            apiCallsOK.record(elapsed)
            return
        }
        Self.apiCallHistogram(registry, outcome: "error").record(elapsed)
        registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "mwapi_errors", unitName: "total",
                                             helpText: "Failed MediaWiki Action API calls by kind"),
            labels: [("kind", error.kind)]
        ).increment()
    }

    private static func responseCounter(_ registry: PrometheusCollectorRegistry, model: String, status: Int) -> Counter {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "revscoring_responses", unitName: "total",
                                             helpText: "Answers of the model routes by HTTP status"),
            labels: [("model_name", model), ("status", String(status))])
    }

    /// Counts one answer of a model route.
    public func recordResponse(model: String, status: Int) {
        if status == 200 {
            self.model(model).ok.increment()
        } else {
            Self.responseCounter(registry, model: model, status: status).increment()
        }
    }

    /// Counts one revision-score event by outcome (sent, rejected, failed, dropped, invalid).
    public func recordEvent(_ outcome: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "eventgate_events", unitName: "total",
                                             helpText: "Revision-score events by outcome"),
            labels: [("outcome", outcome)]
        ).increment()
    }

    /// The Prometheus text exposition.
    public func render() -> String { registry.emitToString() }
}
