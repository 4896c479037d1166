import AsyncHTTPClient
import NIOCore
import Revscoring

/// The predictor half of KServe's transformer/predictor split: feature rows go to another
/// server's `POST /v1/models/{name}:predict` as `{"instances": [[...], ...]}` and come back
/// as `{"predictions": [{"prediction": ..., "probability": {...}}, ...]}` — what this
/// server's own V1 route answers for feature vectors.
public struct RemotePredictor: Sendable {
    /// `http://HOST:PORT/v1/models/{name}:predict`.
    public let url: String
    /// The labels, in `classes_` order, to read probabilities back in.
    public let labels: [Label]
    let timeout: Duration
    let httpClient: HTTPClient

    /// A predictor at `host` (`HOST:PORT`) serving `model` as `name`.
    public init(host: String, name: String, labels: [Label], timeout: Duration = .seconds(5),
                httpClient: HTTPClient = MediaWikiAPIClient.sharedHTTPClient) {
        self.url = "http://\(host)/v1/models/\(name):predict"
        self.labels = labels
        self.timeout = timeout
        self.httpClient = httpClient
    }

    /// Scores rows remotely.
    public func score(_ rows: [[Double]]) async throws(ServerError) -> [Score] {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = JSONValue.object([.init("instances", .array(rows.map { .array($0.map(JSONValue.double)) }))])
        request.body = .bytes(ByteBuffer(string: body.serialized()))
        let status: Int
        let answer: JSONValue
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(timeout))
            status = Int(response.status.code)
            answer = try JSONValue.parse(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        } catch {
            throw ServerError(status: 503, "The predictor at \(url) could not be reached: \(error)")
        }
        guard status == 200 else {
            // The predictor's own client errors are the request's; its failures are ours.
            throw ServerError(status: status < 500 ? status : 502,
                              "The predictor answered HTTP \(status): \(answer["error"]?.stringValue ?? answer.serialized())")
        }
        guard let predictions = answer["predictions"]?.arrayValue, predictions.count == rows.count else {
            throw ServerError(status: 502, "The predictor's answer has no prediction per row")
        }
        var scores: [Score] = []
        for p in predictions {
            guard let prediction = p["prediction"], let label = labels.first(where: { $0.json == prediction }),
                  let probability = p["probability"] else {
                throw ServerError(status: 502, "The predictor's prediction \(p.serialized()) does not match the model's labels")
            }
            var pairs: [(label: Label, value: Double)] = []
            for l in labels {
                guard let v = probability[l.description]?.doubleValue else {
                    throw ServerError(status: 502, "The predictor's probabilities lack label \(l)")
                }
                pairs.append((l, v))
            }
            scores.append(Score(prediction: label, probability: pairs))
        }
        return scores
    }
}
