/// The response shape of Lift Wing's revscoring servers (and ORES v3):
///
/// ```
/// {"enwiki": {"models": {"goodfaith": {"version": "0.5.1"}},
///             "scores": {"12345": {"goodfaith": {"score": {"prediction": true,
///                                                          "probability": {"false": 0.03, "true": 0.97}}}}}}}
/// ```
///
/// A revision that could not be scored gets ORES's `{"error": {"type": ..., "message": ...}}`
/// in place of `score`. Rev ids are JSON strings; models and revisions keep insertion order.
public struct LiftWingResponse: Sendable {
    /// The wiki's database name (`enwiki`).
    public var wiki: String
    /// Model name → version, in order.
    public var models: [(name: String, version: String?)] = []
    /// Rev id → model name → outcome, in order.
    public var scores: [(revID: Int, results: [(model: String, outcome: Result<ScoreResult, ScoringError>)])] = []

    /// An empty response for `wiki`.
    public init(wiki: String) {
        self.wiki = wiki
    }

    /// Records a model (once).
    public mutating func addModel(_ name: String, version: String?) {
        if !models.contains(where: { $0.name == name }) { models.append((name, version)) }
    }

    /// Records one model's outcome for one revision.
    public mutating func add(revID: Int, model: String, _ outcome: Result<ScoreResult, ScoringError>) {
        if let i = scores.firstIndex(where: { $0.revID == revID }) {
            scores[i].results.append((model, outcome))
        } else {
            scores.append((revID, [(model, outcome)]))
        }
    }

    /// The response as JSON.
    public var json: JSONValue {
        let models = JSONValue.object(self.models.map {
            .init($0.name, .object([.init("version", $0.version.map(JSONValue.string) ?? .null)]))
        })
        let scores = JSONValue.object(self.scores.map { entry in
            .init(String(entry.revID), .object(entry.results.map { result in
                switch result.outcome {
                case let .success(s): return .init(result.model, s.json)
                case let .failure(e): return .init(result.model, .object([.init("error", e.json)]))
                }
            }))
        })
        return .object([.init(wiki, .object([.init("models", models), .init("scores", scores)]))])
    }
}
