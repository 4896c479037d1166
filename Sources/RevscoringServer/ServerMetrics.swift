import Prometheus
import Revscoring

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

    public init() {}

    private func histogram(_ name: String, _ help: String, model: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: name, unitName: "seconds", helpText: help),
            labels: [("model_name", model)], buckets: Self.latencyBuckets)
    }

    /// Fetch and feature extraction of one request (KServe's preprocess step).
    public func preprocess(_ model: String) -> DurationHistogram {
        histogram("request_preprocess", "Time to fetch a revision and extract its features", model: model)
    }

    /// Scoring of one request, batch wait included (KServe's predict step).
    public func predict(_ model: String) -> DurationHistogram {
        histogram("request_predict", "Time to score a request, waiting for its batch included", model: model)
    }

    /// Building one response (KServe's postprocess step).
    public func postprocess(_ model: String) -> DurationHistogram {
        histogram("request_postprocess", "Time to build a response", model: model)
    }

    /// Records one batch of the inference batcher.
    public func recordBatch(model: String, rows: Int, elapsed: Duration) {
        registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(metricName: "inference_batch_size", unitName: "instances",
                                             helpText: "Instances per batch sent by the inference batcher"),
            labels: [("model_name", model)], buckets: Self.batchBuckets
        ).record(Double(rows))
        histogram("inference_batch_score", "Time to score one batch", model: model).record(elapsed)
    }

    /// Records one MediaWiki API call.
    public func recordAPICall(elapsed: Duration, error: MediaWikiAPIError?) {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "mwapi_request", unitName: "seconds",
                                             helpText: "MediaWiki Action API call latency"),
            labels: [("outcome", error == nil ? "ok" : "error")], buckets: Self.latencyBuckets
        ).record(elapsed)
        if let error {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(metricName: "mwapi_errors", unitName: "total",
                                                 helpText: "Failed MediaWiki Action API calls by kind"),
                labels: [("kind", error.kind)]
            ).increment()
        }
    }

    /// Counts one answer of a model route.
    public func recordResponse(model: String, status: Int) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "revscoring_responses", unitName: "total",
                                             helpText: "Answers of the model routes by HTTP status"),
            labels: [("model_name", model), ("status", String(status))]
        ).increment()
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
